#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// RFC 4180 records from a stream of bytes fed in chunks, so that memory is bounded by the
/// longest record, not by the file: fields separated by commas, quoted with `"` (a quote
/// inside doubled), records ended by CRLF, LF or a lone CR; a line break inside quotes belongs
/// to the field. A UTF-8 byte order mark at the start is skipped. Each record knows the line
/// it starts on, for located messages.
package struct CSVReader {
    package struct Record: Sendable, Equatable {
        package var fields: [String]
        /// 1-based line of the file the record starts on.
        package var line: Int
    }

    package enum Problem: Error, Equatable, Sendable {
        /// A field longer than the limit: the row was not read.
        case fieldTooLong(line: Int, limit: Int)
        /// A record with more fields than the limit.
        case tooManyFields(line: Int, limit: Int)
        /// The file ends inside a quoted field that began on this line.
        case unterminatedQuote(line: Int)
        /// Bytes that are not UTF-8 in a field on this line.
        case notUTF8(line: Int)

        package var line: Int {
            switch self {
            case .fieldTooLong(let l, _), .tooManyFields(let l, _), .unterminatedQuote(let l), .notUTF8(let l): return l
            }
        }

        package var message: String {
            switch self {
            case .fieldTooLong(_, let limit): return "a field is longer than \(limit) bytes; the row was not read"
            case .tooManyFields(_, let limit): return "a row has more than \(limit) columns; it was not read"
            case .unterminatedQuote: return "a quoted field is never closed: the file ends inside it"
            case .notUTF8: return "a field is not UTF-8 text"
            }
        }
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }

    let maxFieldBytes: Int
    let maxFields: Int
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var line = 1
    private var recordLine = 1
    private var atFileStart = true
    private var bomBytes: [UInt8] = []
    /// Set while the rest of an oversized record is skipped.
    private var skipping = false
    private var badText = false

    package init(maxFieldBytes: Int = 1 << 20, maxFields: Int = 10_000) {
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
    }

    /// The records the bytes complete, and the problems found in them, in file order.
    package mutating func feed(_ bytes: some Sequence<UInt8>) -> [Result<Record, Problem>] {
        if let array = bytes as? [UInt8] { return feed(array: array) }
        var out: [Result<Record, Problem>] = []
        for byte in bytes { consume(byte, into: &out) }
        return out
    }

    /// As `feed`, jumping over the rest of an oversized field with `memchr` instead of a byte
    /// at a time: a 200 MB line took 14 s byte by byte in a debug build.
    private mutating func feed(array: [UInt8]) -> [Result<Record, Problem>] {
        var out: [Result<Record, Problem>] = []
        array.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var i = 0
            while i < count {
                if skipping, !atFileStart {
                    let rest = count - i
                    if state == .unquoted {
                        // The field ends at the first comma or line break.
                        var end = count
                        for delimiter in [0x2C, 0x0A, 0x0D] as [Int32] {
                            if let hit = memchr(base + i, delimiter, min(rest, end - i)) {
                                end = min(end, base.distance(to: hit.assumingMemoryBound(to: UInt8.self)))
                            }
                        }
                        i = end
                        if i == count { break }
                    } else if state == .quoted {
                        // Up to the next quote, counting the line breaks inside.
                        let end = memchr(base + i, 0x22, rest).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? count
                        var k = i
                        while k < end, let lf = memchr(base + k, 0x0A, end - k) {
                            line += 1
                            k = base.distance(to: lf.assumingMemoryBound(to: UInt8.self)) + 1
                        }
                        i = end
                        if i == count { break }
                    }
                }
                consume(base[i], into: &out)
                i += 1
            }
        }
        return out
    }

    /// The last record, if the file does not end with a line break.
    package mutating func finish() -> [Result<Record, Problem>] {
        var out: [Result<Record, Problem>] = []
        if !bomBytes.isEmpty {
            // A file of one or two bytes of a would-be BOM: they are text after all.
            let pending = bomBytes
            bomBytes = []
            atFileStart = false
            for b in pending { consume(b, into: &out) }
        }
        switch state {
        case .quoted:
            if !skipping { out.append(.failure(.unterminatedQuote(line: recordLine))) }
            reset()
        case .fieldStart where fields.isEmpty && field.isEmpty:
            break
        case .afterCR:
            break
        default:
            endRecord(into: &out)
        }
        return out
    }

    private mutating func consume(_ byte: UInt8, into out: inout [Result<Record, Problem>]) {
        if atFileStart {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            if byte == bom[bomBytes.count] {
                bomBytes.append(byte)
                if bomBytes.count == 3 { bomBytes = []; atFileStart = false }
                return
            }
            atFileStart = false
            let pending = bomBytes
            bomBytes = []
            for b in pending { consume(b, into: &out) }
        }
        switch state {
        case .afterCR:
            state = .fieldStart
            if byte == 0x0A { return }   // CRLF: the LF ends nothing more.
            consume(byte, into: &out)
        case .fieldStart:
            switch byte {
            case 0x22: state = .quoted
            case 0x2C: endField()
            case 0x0D: line += 1; endRecord(into: &out); state = .afterCR
            case 0x0A: line += 1; endRecord(into: &out)
            default: append(byte); state = .unquoted
            }
        case .unquoted:
            switch byte {
            case 0x2C: endField(); state = .fieldStart
            case 0x0D: line += 1; endRecord(into: &out); state = .afterCR
            case 0x0A: line += 1; endRecord(into: &out); state = .fieldStart
            default: append(byte)
            }
        case .quoted:
            switch byte {
            case 0x22: state = .quoteInQuoted
            case 0x0A: line += 1; append(byte)
            case 0x0D: append(byte)
            default: append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case 0x22: append(byte); state = .quoted
            case 0x2C: endField(); state = .fieldStart
            case 0x0D: line += 1; endRecord(into: &out); state = .afterCR
            case 0x0A: line += 1; endRecord(into: &out); state = .fieldStart
            default:
                // `"a"b`: lenient, as most readers are: the text after the quote joins the field.
                append(byte)
                state = .unquoted
            }
        }
    }

    private mutating func append(_ byte: UInt8) {
        guard !skipping else { return }
        if field.count >= maxFieldBytes {
            skipping = true
            field = []
            return
        }
        field.append(byte)
    }

    private mutating func endField() {
        guard !skipping else { return }
        if fields.count >= maxFields {
            skipping = true
            return
        }
        if let text = String(validating: field, as: UTF8.self) { fields.append(text) } else { badText = true; fields.append("") }
        field = []
    }

    private mutating func endRecord(into out: inout [Result<Record, Problem>]) {
        endField()
        if skipping {
            out.append(.failure(fields.count >= maxFields ? .tooManyFields(line: recordLine, limit: maxFields) : .fieldTooLong(line: recordLine, limit: maxFieldBytes)))
        } else if badText {
            out.append(.failure(.notUTF8(line: recordLine)))
        } else if !(fields.count == 1 && fields[0].isEmpty) {
            // A blank line is no record.
            out.append(.success(Record(fields: fields, line: recordLine)))
        }
        reset()
    }

    private mutating func reset() {
        fields = []
        field = []
        skipping = false
        badText = false
        recordLine = line
    }
}
