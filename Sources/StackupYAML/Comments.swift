/// A YAML comment: its text after `#`, and where the `#` is.
public struct YAMLComment: Sendable, Equatable {
    public var text: String
    public var position: SourcePosition
    /// For a comment on the line of a mapping key: the last line of that key's value (a
    /// suppression there covers the whole value).
    public var keyValueEndLine: Int?

    public init(text: String, position: SourcePosition, keyValueEndLine: Int? = nil) {
        self.text = text
        self.position = position
        self.keyValueEndLine = keyValueEndLine
    }
}

extension YAMLComments {
    /// Marks each comment that stands on the line of a mapping key, after the key, with the
    /// last line of the key's value.
    public static func attachKeys(_ comments: [YAMLComment], root: YAMLNode) -> [YAMLComment] {
        guard !comments.isEmpty else { return comments }
        // Per line (1-based, up to the last comment's): the last line of the values of keys
        // that start there, and the leftmost such key's column; arrays, since lines are dense.
        let lines = (comments.map(\.position.line).max() ?? 0) + 1
        var lastLineOfValue = [Int](repeating: 0, count: lines)
        var keyColumn = [Int](repeating: .max, count: lines)
        /// The last line holding a scalar of the node: collection end marks point at the next
        /// token, which may be a sibling's line. The parser caps nesting, so recursion is bounded.
        func lastLine(_ node: YAMLNode) -> Int {
            switch node.content {
            case .scalar: return node.span.end.line
            case .sequence(let items):
                var last = items.isEmpty ? node.span.start.line : Int.min
                for item in items { last = max(last, lastLine(item)) }
                return last
            case .mapping(let pairs):
                var last = node.span.start.line
                for pair in pairs {
                    let end = max(lastLine(pair.key), lastLine(pair.value))
                    let line = pair.key.span.start.line
                    if line >= 0 && line < lines {
                        lastLineOfValue[line] = max(lastLineOfValue[line], end)
                        keyColumn[line] = min(keyColumn[line], pair.key.span.start.column)
                    }
                    last = max(last, end)
                }
                return last
            }
        }
        _ = lastLine(root)
        return comments.map { comment in
            var c = comment
            let line = comment.position.line
            if line >= 0 && line < lines, keyColumn[line] != .max, keyColumn[line] < comment.position.column { c.keyValueEndLine = lastLineOfValue[line] }
            return c
        }
    }
}

/// Finds comments in YAML text. libyaml's event API drops comments, so they are found here:
/// a `#` at the start of a line or after a space or tab, outside every quoted and block scalar
/// of the parsed tree (plain scalars cannot hold ` #`).
public enum YAMLComments {
    public static func scan(_ text: SourceText, root: YAMLNode?) -> [YAMLComment] {
        var excluded: [(start: Int, end: Int)] = []
        if let root { collectQuotedSpans(root, into: &excluded) }
        excluded.sort { $0.start < $1.start }
        var comments: [YAMLComment] = []
        var next = 0
        let bytes = text.bytes
        for index in text.lineStarts.indices {
            let start = text.lineStarts[index]
            let end = text.lineEnd(index)
            var i = start
            while i < end {
                let b = bytes[i]
                if b == UInt8(ascii: "#"), i == start || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 {
                    while next < excluded.count, excluded[next].end <= i { next += 1 }
                    let inside = next < excluded.count && excluded[next].start <= i
                    if !inside {
                        let body = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
                        comments.append(YAMLComment(text: body, position: text.position(byteOffset: i)))
                        break
                    }
                }
                i += 1
            }
        }
        return comments
    }

    /// Byte ranges of scalars whose text may contain ` #`, iteratively (trees can be deep).
    static func collectQuotedSpans(_ root: YAMLNode, into out: inout [(start: Int, end: Int)]) {
        var stack = [root]
        while let node = stack.popLast() {
            switch node.content {
            case .scalar:
                if node.style != .plain { out.append((node.span.start.offset, node.span.end.offset)) }
            case .sequence(let items):
                stack.append(contentsOf: items)
            case .mapping(let pairs):
                for pair in pairs {
                    stack.append(pair.key)
                    stack.append(pair.value)
                }
            }
        }
    }
}
