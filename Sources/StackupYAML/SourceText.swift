/// A position in a source file: 1-based line and column (counted in Unicode scalars),
/// plus the 0-based UTF-8 byte offset.
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column, a.offset) < (b.line, b.column, b.offset)
    }

    public var description: String { "\(line):\(column)" }

    /// The start of a file.
    public static let start = SourcePosition(line: 1, column: 1, offset: 0)
}

/// A half-open range of source, start inclusive and end exclusive.
public struct Span: Hashable, Sendable, CustomStringConvertible {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// A span that covers one position only.
    public init(at position: SourcePosition) {
        self.start = position
        self.end = position
    }

    public var description: String { "\(start)-\(end)" }
}

/// The text of a source file split into lines the way libyaml splits them: CR, LF, CRLF,
/// NEL (U+0085), LS (U+2028) and PS (U+2029) each end a line. A leading UTF-8 byte order
/// mark is skipped and not counted, as libyaml does.
///
/// This is the one place where libyaml's 0-based marks become `SourcePosition`s.
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; never empty.
    public let lineStarts: [Int]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts: [Int] = []
        var i = SourceText.hasBOM(bytes) ? 3 : 0
        starts.append(i)
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                i += 1
                starts.append(i)
            } else if b == 0x0D {
                i += (i + 1 < n && bytes[i + 1] == 0x0A) ? 2 : 1
                starts.append(i)
            } else if b == 0xC2, i + 1 < n, bytes[i + 1] == 0x85 {
                i += 2
                starts.append(i)
            } else if b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                i += 3
                starts.append(i)
            } else {
                i += 1
            }
        }
        self.lineStarts = starts
    }

    public init(_ string: String) { self.init(Array(string.utf8)) }

    static func hasBOM(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    public var lineCount: Int { lineStarts.count }

    /// Converts a libyaml mark (0-based line and column in code points) to a position.
    /// Out-of-range marks are clamped, never trapped on.
    public func position(line0: Int, column0: Int) -> SourcePosition {
        let lineIndex = min(max(line0, 0), lineStarts.count - 1)
        let start = lineStarts[lineIndex]
        let end = lineEnd(lineIndex)
        var offset = start
        var column = 0
        let wanted = max(column0, 0)
        while column < wanted && offset < end {
            offset += SourceText.scalarLength(bytes[offset])
            column += 1
        }
        offset = min(offset, bytes.count)
        return SourcePosition(line: lineIndex + 1, column: column + 1 + (wanted - column), offset: offset)
    }

    /// Converts marks that arrive in source order, continuing from the last one on the same
    /// line: converting each mark from its line's start made a 200 KB flow mapping on one
    /// line quadratic (10,000 keys took over a minute).
    public struct Cursor {
        var line = -1
        var column = 0
        var offset = 0

        public init() {}

        public mutating func position(in text: SourceText, line0: Int, column0: Int) -> SourcePosition {
            let lineIndex = min(max(line0, 0), text.lineStarts.count - 1)
            let wanted = max(column0, 0)
            if lineIndex != line || wanted < column {
                line = lineIndex
                column = 0
                offset = text.lineStarts[lineIndex]
            }
            let end = text.lineEnd(lineIndex)
            while column < wanted && offset < end {
                offset += SourceText.scalarLength(text.bytes[offset])
                column += 1
            }
            offset = min(offset, text.bytes.count)
            return SourcePosition(line: lineIndex + 1, column: wanted + 1, offset: offset)
        }
    }

    /// The position of a byte offset (used for reader errors, which carry only an offset).
    public func position(byteOffset: Int) -> SourcePosition {
        let target = min(max(byteOffset, 0), bytes.count)
        // Binary search for the last line start <= target.
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= target { lo = mid } else { hi = mid - 1 }
        }
        var offset = lineStarts[lo]
        var column = 1
        while offset < target {
            offset += SourceText.scalarLength(bytes[offset])
            column += 1
        }
        return SourcePosition(line: lo + 1, column: column, offset: target)
    }

    /// Byte offset where the content of line `index` (0-based) ends, before its line break.
    func lineEnd(_ index: Int) -> Int {
        guard index + 1 < lineStarts.count else { return bytes.count }
        let next = lineStarts[index + 1]
        var end = next
        // Step back over the break that ended this line.
        if end >= 2, bytes[end - 2] == 0x0D, bytes[end - 1] == 0x0A { end -= 2 }
        else if end >= 3, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80,
                bytes[end - 1] == 0xA8 || bytes[end - 1] == 0xA9 { end -= 3 }
        else if end >= 2, bytes[end - 2] == 0xC2, bytes[end - 1] == 0x85 { end -= 2 }
        else if end >= 1 { end -= 1 }
        return max(end, lineStarts[index])
    }

    /// The text of a 1-based line without its line break, or nil when out of range.
    /// Invalid UTF-8 is replaced, so this never fails.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let start = lineStarts[number - 1]
        let end = lineEnd(number - 1)
        guard start <= end else { return "" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Length in bytes of the UTF-8 sequence that starts with `lead`; 1 for a stray byte.
    static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...0xF7: return 4
        case 0xE0...0xEF: return 3
        case 0xC0...0xDF: return 2
        default: return 1
        }
    }
}
