/// Builds trees from events without recursion, resolving aliases and merge keys and
/// enforcing the limits as events arrive.
struct TreeBuilder {
    /// An open collection. A struct mutated in place through the stack, so that appending
    /// never copies the items gathered so far (an enum payload would, making big maps quadratic).
    private struct Frame {
        var start: Event
        var isMapping: Bool
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
    }

    let text: SourceText
    let limits: YAMLLimits
    let singleDocument: Bool
    private(set) var documents: [YAMLNode] = []
    private var stack: [Frame] = []
    private var anchors: [String: YAMLNode] = [:]
    /// Anchors whose nodes are still open; an alias to one of them is a cycle.
    private var openAnchors: Set<String> = []
    private var aliasNodes = 0
    private var documentCount = 0
    /// Duplicate keys found so far. They do not stop the reader: the first occurrence is kept,
    /// so that later problems in the same file are still reported.
    private(set) var duplicateKeys: [YAMLError] = []

    init(text: SourceText, limits: YAMLLimits, singleDocument: Bool) {
        self.text = text
        self.limits = limits
        self.singleDocument = singleDocument
    }

    mutating func handle(_ event: Event) throws(YAMLError) {
        switch event.kind {
        case .documentStart:
            documentCount += 1
            if singleDocument && documentCount > 1 {
                throw YAMLError(kind: .multipleDocuments,
                                message: "a second YAML document starts here; a design file holds exactly one",
                                span: event.span)
            }
            // Anchors are local to a document.
            anchors = [:]
        case .documentEnd, .other:
            break
        case .scalar:
            if event.value.utf8.count > limits.maxScalarBytes {
                throw YAMLError(kind: .scalarLimit,
                                message: "scalar is \(event.value.utf8.count) bytes, over the limit of \(limits.maxScalarBytes)",
                                span: Span(at: event.span.start))
            }
            let node = YAMLNode(content: .scalar(event.value), style: event.style, tag: event.tag,
                                anchor: event.anchor, span: event.span)
            try register(node)
            try add(node)
        case .alias:
            let name = event.anchor ?? ""
            if openAnchors.contains(name) {
                throw YAMLError(kind: .recursiveAlias, message: "alias *\(name) refers to a node that contains it",
                                span: event.span)
            }
            guard var node = anchors[name] else {
                throw YAMLError(kind: .undefinedAlias, message: "alias *\(name) names no anchor defined before it",
                                span: event.span)
            }
            aliasNodes = aliasNodes.addingSaturated(node.nodeCount)
            if aliasNodes > limits.maxAliasNodes {
                throw YAMLError(kind: .aliasLimit,
                                message: "aliases expand to more than \(limits.maxAliasNodes) nodes (an alias bomb?)",
                                span: event.span)
            }
            // The copy is located at the alias, so findings inside it still point somewhere real.
            node.anchor = nil
            node.span = event.span
            try add(node)
        case .sequenceStart, .mappingStart:
            if stack.count >= limits.maxDepth {
                throw YAMLError(kind: .depthLimit,
                                message: "nesting is deeper than \(limits.maxDepth) levels",
                                span: Span(at: event.span.start))
            }
            if let anchor = event.anchor { openAnchors.insert(anchor) }
            stack.append(Frame(start: event, isMapping: event.kind == .mappingStart))
        case .sequenceEnd:
            guard let frame = stack.popLast(), !frame.isMapping else { return }
            let start = frame.start
            let node = YAMLNode(content: .sequence(frame.items), style: start.style, tag: start.tag, anchor: start.anchor,
                                span: Span(start: start.span.start, end: event.span.end))
            if let anchor = start.anchor { openAnchors.remove(anchor) }
            try register(node)
            try add(node)
        case .mappingEnd:
            guard let frame = stack.popLast(), frame.isMapping else { return }
            let start = frame.start
            let merged = try applyMerges(frame.pairs, duplicates: &duplicateKeys)
            let node = YAMLNode(content: .mapping(merged), style: start.style, tag: start.tag, anchor: start.anchor,
                                span: Span(start: start.span.start, end: event.span.end))
            if let anchor = start.anchor { openAnchors.remove(anchor) }
            try register(node)
            try add(node)
        }
    }

    private mutating func register(_ node: YAMLNode) throws(YAMLError) {
        if let anchor = node.anchor { anchors[anchor] = node }
    }

    private mutating func add(_ node: YAMLNode) throws(YAMLError) {
        let top = stack.count - 1
        guard top >= 0 else {
            documents.append(node)
            return
        }
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pairs.append(YAMLPair(key: key, value: node))
            stack[top].pendingKey = nil
        } else {
            stack[top].pendingKey = node
        }
    }

    /// Rejects duplicate keys and applies `<<` merge keys as YAML 1.1 configs use them:
    /// explicit keys win over merged ones, and earlier merged maps win over later ones.
    private func applyMerges(_ pairs: [YAMLPair], duplicates: inout [YAMLError]) throws(YAMLError) -> [YAMLPair] {
        var seen = SeenKeys(expected: pairs.count)
        var explicit: [YAMLPair] = []
        explicit.reserveCapacity(pairs.count)
        var sources: [YAMLNode] = []
        for pair in pairs {
            if TreeBuilder.isMergeKey(pair.key) {
                switch pair.value.content {
                case .mapping: sources.append(pair.value)
                case .sequence(let items):
                    for item in items {
                        guard item.mapping != nil else {
                            throw YAMLError(kind: .invalidMerge, message: "merge key `<<` takes a map or a list of maps; this item is \(item.kindDescription)",
                                            span: item.span)
                        }
                        sources.append(item)
                    }
                default:
                    throw YAMLError(kind: .invalidMerge, message: "merge key `<<` takes a map or a list of maps, not \(pair.value.kindDescription)",
                                    span: pair.value.span)
                }
                continue
            }
            let identity = KeyIdentity(pair.key)
            if let first = seen.first(identity) {
                duplicates.append(YAMLError(kind: .duplicateKey, message: "duplicate key \(identity.display) in this map",
                                            span: pair.key.span,
                                            context: .init(message: "first defined here", position: first.span.start)))
                continue
            }
            seen.insert(identity)
            explicit.append(pair)
        }
        guard !sources.isEmpty else { return explicit }
        var result = explicit
        for source in sources {
            for pair in source.mapping ?? [] {
                let identity = KeyIdentity(pair.key)
                if seen.first(identity) == nil {
                    seen.insert(identity)
                    result.append(pair)
                }
            }
        }
        return result
    }

    static func isMergeKey(_ key: YAMLNode) -> Bool {
        key.scalar == "<<" && (key.tag == YAMLNode.mergeTag || (key.tag == nil && key.style == .plain))
    }
}

/// The keys of one map seen so far: a list for the small maps designs are made of (a linear
/// scan of a few keys is cheaper than hashing into a dictionary), a dictionary past that.
struct SeenKeys {
    private var list: [KeyIdentity] = []
    private var table: [KeyIdentity: YAMLNode]?

    init(expected: Int) {
        if expected > 16 { table = Dictionary(minimumCapacity: expected) } else { list.reserveCapacity(expected) }
    }

    /// The key node first seen with this identity.
    func first(_ identity: KeyIdentity) -> YAMLNode? {
        if let table { return table[identity] }
        return list.first { $0 == identity }?.node
    }

    mutating func insert(_ identity: KeyIdentity) {
        if table != nil { table?[identity] = identity.node } else { list.append(identity) }
    }
}

/// The identity of a mapping key for duplicate detection: scalars by their core-schema
/// value, collections by their structure. A key that is plainly a string (quoted, or a plain
/// word that no other type reads) is its text: the common case, with no canonical form to
/// build.
struct KeyIdentity: Hashable {
    private let isText: Bool
    private let canonical: String
    let node: YAMLNode

    init(_ node: YAMLNode) {
        self.node = node
        if case .scalar(let s) = node.content, KeyIdentity.isPlainlyText(s, node) {
            isText = true
            canonical = s
        } else if node.scalar != nil, case .string(let s) = CoreSchema.resolve(node) {
            isText = true
            canonical = s
        } else {
            isText = false
            canonical = KeyIdentity.canonical(node)
        }
    }

    var display: String { node.scalar.map { "`\($0)`" } ?? "(a complex key)" }

    static func == (a: KeyIdentity, b: KeyIdentity) -> Bool { a.isText == b.isText && a.canonical == b.canonical }

    func hash(into hasher: inout Hasher) {
        hasher.combine(isText)
        hasher.combine(canonical)
    }

    /// True when the core schema reads the scalar as a string: a quoted or `!!str` scalar, or
    /// a plain untagged one starting with a letter that is not a null or boolean word.
    private static func isPlainlyText(_ s: String, _ node: YAMLNode) -> Bool {
        if node.tag == YAMLNode.stringTag || (node.tag == nil && node.style != .plain) { return true }
        guard node.tag == nil, let first = s.utf8.first,
              (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")) else { return false }
        switch s {
        case "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE": return false
        default: return true
        }
    }

    static func canonical(_ root: YAMLNode) -> String {
        // Iterative, so that a deep complex key cannot exhaust the stack.
        var out = ""
        var work: [YAMLNode?] = [root]
        while let item = work.popLast() {
            guard let node = item else { out += ")"; continue }
            switch node.content {
            case .scalar(let s):
                switch CoreSchema.resolve(node) {
                case .string: out += "s\(s.utf8.count):\(s)"
                case .null: out += "n"
                case .bool(let b): out += "b\(b)"
                case .int(let i): out += "i\(i);"
                case .float(let d): out += "f\(d);"
                }
            case .sequence(let items):
                out += "["
                work.append(nil)
                for child in items.reversed() { work.append(child) }
            case .mapping(let pairs):
                out += "{"
                work.append(nil)
                for pair in pairs.reversed() { work.append(pair.value); work.append(pair.key) }
            }
        }
        return out
    }
}
