/// How a node was written in the source.
public enum YAMLStyle: String, Hashable, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
    case block, flow
}

/// A node of the located YAML tree. Aliases are already resolved to copies of their
/// anchored node (copies share storage), and `<<` merge keys are already applied.
public struct YAMLNode: Sendable {
    /// The node's content.
    public enum Content: Sendable {
        case scalar(String)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var style: YAMLStyle
    /// Tag and anchor in one reference, nil for the many nodes with neither: a node copy then
    /// retains one object less (or two), and the node is smaller (docs/performance.md).
    private var marks: Marks?
    /// The span in 32-bit fields, saturating: files are limited to far below 4 GiB.
    private var packed: PackedSpan
    /// Nodes in this subtree, itself included; used to budget alias expansion.
    public let nodeCount: Int

    /// The resolved tag, e.g. `tag:yaml.org,2002:str`, or nil when the node has none.
    public var tag: String? {
        get { marks?.tag }
        set { marks = Marks.make(tag: newValue, anchor: anchor) }
    }

    public var anchor: String? {
        get { marks?.anchor }
        set { marks = Marks.make(tag: tag, anchor: newValue) }
    }

    public var span: Span {
        get { packed.span }
        set { packed = PackedSpan(newValue) }
    }

    public init(content: Content, style: YAMLStyle, tag: String? = nil, anchor: String? = nil, span: Span) {
        self.content = content
        self.style = style
        self.marks = Marks.make(tag: tag, anchor: anchor)
        self.packed = PackedSpan(span)
        var count = 1
        switch content {
        case .scalar: break
        case .sequence(let items): for item in items { count = count.addingSaturated(item.nodeCount) }
        case .mapping(let pairs):
            for pair in pairs { count = count.addingSaturated(pair.key.nodeCount).addingSaturated(pair.value.nodeCount) }
        }
        self.nodeCount = count
    }

    private final class Marks: Sendable {
        let tag: String?
        let anchor: String?

        private init(tag: String?, anchor: String?) {
            self.tag = tag
            self.anchor = anchor
        }

        static func make(tag: String?, anchor: String?) -> Marks? {
            tag == nil && anchor == nil ? nil : Marks(tag: tag, anchor: anchor)
        }
    }

    private struct PackedSpan: Sendable {
        var startLine, startColumn, startOffset, endLine, endColumn, endOffset: UInt32

        init(_ span: Span) {
            func narrow(_ x: Int) -> UInt32 { UInt32(clamping: x) }
            startLine = narrow(span.start.line); startColumn = narrow(span.start.column); startOffset = narrow(span.start.offset)
            endLine = narrow(span.end.line); endColumn = narrow(span.end.column); endOffset = narrow(span.end.offset)
        }

        var span: Span {
            Span(start: SourcePosition(line: Int(startLine), column: Int(startColumn), offset: Int(startOffset)),
                 end: SourcePosition(line: Int(endLine), column: Int(endColumn), offset: Int(endOffset)))
        }
    }

    /// The scalar's text, or nil for a collection.
    public var scalar: String? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The items of a sequence, or nil.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The pairs of a mapping, or nil.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// True for a plain scalar that YAML's core schema reads as null (`~`, `null`, empty).
    public var isNull: Bool {
        guard case .scalar(let s) = content, style == .plain, tag == nil || tag == YAMLNode.nullTag else { return false }
        return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
    }

    /// True when the scalar was quoted or explicitly tagged as a string.
    public var isQuotedOrString: Bool {
        (style != .plain && scalar != nil) || tag == YAMLNode.stringTag
    }

    public static let stringTag = "tag:yaml.org,2002:str"
    public static let nullTag = "tag:yaml.org,2002:null"
    public static let mergeTag = "tag:yaml.org,2002:merge"

    /// A short name of the node's kind for messages: "a string", "a list", "a map".
    public var kindDescription: String {
        switch content {
        case .scalar:
            if isNull { return "null" }
            return CoreSchema.resolve(self).kindDescription
        case .sequence: return "a list"
        case .mapping: return "a map"
        }
    }
}

/// A key and its value in a mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// The value of a scalar under YAML 1.2's core schema.
public enum CoreValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a number"
        case .string: return "a string"
        }
    }
}

/// Resolution of plain scalars by YAML 1.2's core schema.
public enum CoreSchema {
    /// Resolves a scalar node; collections resolve to `.null`.
    public static func resolve(_ node: YAMLNode) -> CoreValue {
        guard let text = node.scalar else { return .null }
        if let tag = node.tag {
            switch tag {
            case YAMLNode.stringTag: return .string(text)
            case YAMLNode.nullTag: return .null
            case "tag:yaml.org,2002:bool": return resolvePlain(text).asBool ?? .string(text)
            case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float": return resolveNumber(text) ?? .string(text)
            default: break
            }
        }
        guard node.style == .plain else { return .string(text) }
        return resolvePlain(text)
    }

    /// Resolves the text of a plain scalar.
    public static func resolvePlain(_ text: String) -> CoreValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: return resolveNumber(text) ?? .string(text)
        }
    }

    static func resolveNumber(_ text: String) -> CoreValue? {
        guard let first = text.unicodeScalars.first else { return nil }
        guard first == "-" || first == "+" || first == "." || ("0"..."9").contains(first) else { return nil }
        if text.hasPrefix("0x"), let v = Int(text.dropFirst(2), radix: 16) { return .int(v) }
        if text.hasPrefix("0o"), let v = Int(text.dropFirst(2), radix: 8) { return .int(v) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let isInteger = text.unicodeScalars.enumerated().allSatisfy { i, c in
            ("0"..."9").contains(c) || (i == 0 && (c == "-" || c == "+"))
        }
        if isInteger {
            if let v = Int(text) { return .int(v) }
            // Too large for Int: still a number.
            if let d = Double(text) { return .float(d) }
            return nil
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "-" || scalars.first == "+" { scalars.removeFirst() }
        var i = 0
        var digits = 0
        while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1; digits += 1 }
        if i < scalars.count, scalars[i] == "." {
            i += 1
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < scalars.count, scalars[i] == "e" || scalars[i] == "E" {
            i += 1
            if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" { i += 1 }
            var expDigits = 0
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == scalars.count, let d = Double(text) else { return nil }
        return .float(d)
    }
}

extension CoreValue {
    var asBool: CoreValue? {
        if case .bool = self { return self }
        return nil
    }
}

extension Int {
    /// Addition that saturates at `Int.max` instead of trapping.
    public func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? Int.max : Int.min) : sum
    }
}
