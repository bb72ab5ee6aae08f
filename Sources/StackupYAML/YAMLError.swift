/// What went wrong while reading YAML. Every error is located.
public struct YAMLError: Error, Sendable, Equatable {
    /// The class of problem, so that callers can give hints or pick rule ids.
    public enum Kind: String, Sendable {
        case syntax
        case encoding
        case emptyInput
        case multipleDocuments
        case duplicateKey
        case undefinedAlias
        case recursiveAlias
        case invalidMerge
        case depthLimit
        case aliasLimit
        case sizeLimit
        case scalarLimit
    }

    public var kind: Kind
    public var message: String
    public var span: Span
    /// A second location that explains the first, e.g. where a quote was opened or where a
    /// duplicated key first appeared.
    public var context: Context?

    /// A located note attached to an error.
    public struct Context: Sendable, Equatable {
        public var message: String
        public var position: SourcePosition
    }

    public init(kind: Kind, message: String, span: Span, context: Context? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
        self.context = context
    }
}

/// Limits that protect the reader from hostile or accidental inputs. Each is configurable.
public struct YAMLLimits: Sendable, Equatable {
    /// Deepest nesting of collections. libyaml 0.2.5 is quadratic on deep flow nesting, so
    /// this is checked as events arrive.
    public var maxDepth: Int
    /// Nodes that aliases may produce in total (the "billion laughs" guard).
    public var maxAliasNodes: Int
    /// Largest file, in bytes.
    public var maxFileBytes: Int
    /// Longest scalar, in bytes.
    public var maxScalarBytes: Int

    public init(maxDepth: Int = 64, maxAliasNodes: Int = 100_000, maxFileBytes: Int = 4 << 20, maxScalarBytes: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxAliasNodes = maxAliasNodes
        self.maxFileBytes = maxFileBytes
        self.maxScalarBytes = maxScalarBytes
    }

    public static let `default` = YAMLLimits()
}
