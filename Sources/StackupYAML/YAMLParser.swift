internal import CLibYAML

/// One parsed design file: its root node (nil when the file holds no document) and the
/// duplicate keys found in it.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode?
    public var duplicateKeys: [YAMLError]
}

/// Reads YAML into located trees with libyaml's event API. Nothing of libyaml leaves this file.
public enum YAMLParser {
    /// Parses a file that must hold at most one document. A fatal problem is thrown;
    /// duplicate keys are collected in the result, since reading can go on past them.
    public static func parseDocument(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> YAMLDocument {
        let (documents, duplicates) = try parse(bytes, limits: limits, singleDocument: true)
        return YAMLDocument(root: documents.first, duplicateKeys: duplicates)
    }

    /// Parses every document of a stream; any problem, duplicate keys included, is thrown.
    public static func parseStream(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> [YAMLNode] {
        let (documents, duplicates) = try parse(bytes, limits: limits, singleDocument: false)
        if let first = duplicates.first { throw first }
        return documents
    }

    static func parse(_ bytes: [UInt8], limits: YAMLLimits, singleDocument: Bool) throws(YAMLError) -> ([YAMLNode], [YAMLError]) {
        let text = SourceText(bytes)
        if bytes.count > limits.maxFileBytes {
            throw YAMLError(kind: .sizeLimit,
                            message: "file is \(bytes.count) bytes, over the limit of \(limits.maxFileBytes) bytes",
                            span: Span(at: .start))
        }
        try checkEncoding(bytes, text: text)
        // libyaml asserts on an empty buffer; an empty file is simply no document.
        if bytes.isEmpty || (bytes.count == 3 && SourceText.hasBOM(bytes)) { return ([], []) }
        var builder = TreeBuilder(text: text, limits: limits, singleDocument: singleDocument)
        let result: Result<([YAMLNode], [YAMLError]), YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .success(([], [])) }
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) != 0 else {
                return .failure(YAMLError(kind: .syntax, message: "could not start the YAML reader (out of memory)", span: Span(at: .start)))
            }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_input_string(parser, base, buffer.count)
            let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
            defer { event.deallocate() }
            var cursor = SourceText.Cursor()
            while true {
                guard yaml_parser_parse(parser, event) != 0 else {
                    return .failure(libyamlError(parser, text: text))
                }
                defer { yaml_event_delete(event) }
                // After an error libyaml returns NO_EVENT forever; never wait on it.
                if event.pointee.type == YAML_NO_EVENT || event.pointee.type == YAML_STREAM_END_EVENT {
                    return .success((builder.documents, builder.duplicateKeys))
                }
                do throws(YAMLError) {
                    try builder.handle(Event(event.pointee, text: text, cursor: &cursor))
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    /// Rejects NUL bytes, invalid UTF-8 and UTF-16/32 input with a precise location; libyaml
    /// reports these with a byte offset only.
    static func checkEncoding(_ bytes: [UInt8], text: SourceText) throws(YAMLError) {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            throw YAMLError(kind: .encoding, message: "file is UTF-16 or UTF-32; save it as UTF-8", span: Span(at: .start))
        }
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0 {
                throw YAMLError(kind: .encoding, message: "file contains a NUL byte", span: Span(at: text.position(byteOffset: i)))
            }
            if b < 0x80 { i += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; scalar = UInt32(b & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; scalar = UInt32(b & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; scalar = UInt32(b & 0x07); minimum = 0x10000
            default:
                throw YAMLError(kind: .encoding, message: "invalid UTF-8 byte 0x\(hex(b))", span: Span(at: text.position(byteOffset: i)))
            }
            guard i + length <= n else {
                throw YAMLError(kind: .encoding, message: "truncated UTF-8 sequence at the end of the file", span: Span(at: text.position(byteOffset: i)))
            }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else {
                    throw YAMLError(kind: .encoding, message: "invalid UTF-8 sequence (byte 0x\(hex(c)))", span: Span(at: text.position(byteOffset: i)))
                }
                scalar = (scalar << 6) | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                throw YAMLError(kind: .encoding, message: "invalid UTF-8 sequence (overlong or out of range)", span: Span(at: text.position(byteOffset: i)))
            }
            minimum = 0
            i += length
        }
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    static func libyamlError(_ parser: UnsafeMutablePointer<yaml_parser_t>, text: SourceText) -> YAMLError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown YAML error"
        let mark = p.problem_mark
        var position: SourcePosition
        if p.error == YAML_READER_ERROR || (mark.line == 0 && mark.column == 0 && mark.index == 0 && p.problem_offset > 0) {
            // Reader errors leave the mark at 0:0 and carry only a byte offset.
            position = text.position(byteOffset: Int(p.problem_offset))
        } else {
            position = text.position(line0: Int(mark.line), column0: Int(mark.column))
        }
        var message = problem
        if p.error == YAML_READER_ERROR, p.problem_value != -1 {
            message += " (0x\(String(UInt32(bitPattern: p.problem_value), radix: 16, uppercase: true)))"
        }
        var context: YAMLError.Context?
        if let c = p.context {
            let cm = p.context_mark
            context = YAMLError.Context(message: String(cString: c),
                                        position: text.position(line0: Int(cm.line), column0: Int(cm.column)))
        }
        return YAMLError(kind: p.error == YAML_READER_ERROR ? .encoding : .syntax, message: message,
                         span: Span(at: position), context: context)
    }
}

/// A libyaml event copied into Swift values, so the builder never touches C memory.
struct Event {
    enum Kind {
        case documentStart, documentEnd, alias, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd, other
    }

    var kind: Kind
    var span: Span
    var anchor: String?
    var tag: String?
    var value: String = ""
    var style: YAMLStyle = .plain
    var implicitDocument = false

    init(_ e: yaml_event_t, text: SourceText, cursor: inout SourceText.Cursor) {
        let start = cursor.position(in: text, line0: Int(e.start_mark.line), column0: Int(e.start_mark.column))
        span = Span(start: start, end: cursor.position(in: text, line0: Int(e.end_mark.line), column0: Int(e.end_mark.column)))
        switch e.type {
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart
            implicitDocument = e.data.document_start.implicit != 0
        case YAML_DOCUMENT_END_EVENT:
            kind = .documentEnd
        case YAML_ALIAS_EVENT:
            kind = .alias
            anchor = Event.string(e.data.alias.anchor)
        case YAML_SCALAR_EVENT:
            kind = .scalar
            let s = e.data.scalar
            anchor = Event.string(s.anchor)
            tag = Event.tag(s.tag)
            // Build from pointer and length: scalars may contain NUL via escapes.
            if let v = s.value, s.length > 0 {
                value = v.withMemoryRebound(to: UInt8.self, capacity: s.length) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self)
                }
            }
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            // A non-plain scalar tagged `!` is a string; a plain one stays untagged.
            if tag == "!" { tag = YAMLNode.stringTag }
        case YAML_SEQUENCE_START_EVENT:
            kind = .sequenceStart
            anchor = Event.string(e.data.sequence_start.anchor)
            tag = Event.tag(e.data.sequence_start.tag)
            style = e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : .block
        case YAML_SEQUENCE_END_EVENT:
            kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            kind = .mappingStart
            anchor = Event.string(e.data.mapping_start.anchor)
            tag = Event.tag(e.data.mapping_start.tag)
            style = e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE ? .flow : .block
        case YAML_MAPPING_END_EVENT:
            kind = .mappingEnd
        default:
            kind = .other
        }
    }

    static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return p.withMemoryRebound(to: CChar.self, capacity: 1) { String(cString: $0) }
    }

    static func tag(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let t = string(p) else { return nil }
        return t
    }
}
