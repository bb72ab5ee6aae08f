import Testing
@testable import StackupCore

/// RFC 4180 as CRM exports write it, fed whole and byte by byte.
@Suite struct CSVReaderTests {
    func read(_ text: String, maxFieldBytes: Int = 1 << 20, maxFields: Int = 10_000, chunk: Int = .max) -> [String] {
        var reader = CSVReader(maxFieldBytes: maxFieldBytes, maxFields: maxFields)
        var out: [Result<CSVReader.Record, CSVReader.Problem>] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + min(chunk, bytes.count))
            out += reader.feed(bytes[i..<end])
            i = end
        }
        out += reader.finish()
        return out.map {
            switch $0 {
            case .success(let r): return "\(r.line): " + r.fields.map { "[\($0)]" }.joined()
            case .failure(let p): return "\(p.line)! \(p.message)"
            }
        }
    }

    @Test(arguments: [Int.max, 1, 2, 7])
    func quotingLineBreaksAndEndings(chunk: Int) {
        let text = "\u{FEFF}case_id,stage,timestamp\r\n0061x01,\"Discovery, call\",2026-01-05T09:00:00Z\r\n\r\n\"0061\"\"x02\",\"two\nlines\",2026-01-06\rlast,row,x"
        #expect(read(text, chunk: chunk) == [
            "1: [case_id][stage][timestamp]",
            "2: [0061x01][Discovery, call][2026-01-05T09:00:00Z]",
            "4: [0061\"x02][two\nlines][2026-01-06]",
            "6: [last][row][x]",
        ])
    }

    @Test func emptyFieldsAndTrailingComma() {
        #expect(read("a,,c,\n,\n") == ["1: [a][][c][]", "2: [][]"])
        #expect(read("").isEmpty)
        #expect(read("\n\n").isEmpty)
        // A would-be BOM that is not one is text.
        #expect(read("\u{EF}x") == ["1: [\u{EF}x]"])
    }

    @Test func problemsAreLocatedAndTheRestIsRead() {
        #expect(read("a,b\nc,\"never closed\nd,e\n") == ["1: [a][b]", "2! a quoted field is never closed: the file ends inside it"])
        #expect(read("a,b\n\(String(repeating: "x", count: 20)),y\nc,d\n", maxFieldBytes: 10) == ["1: [a][b]", "2! a field is longer than 10 bytes; the row was not read", "3: [c][d]"])
        #expect(read("a,b,c,d\ne,f\n", maxFields: 3) == ["1! a row has more than 3 columns; it was not read", "2: [e][f]"])
    }

    @Test func bytesThatAreNotUTF8() {
        var reader = CSVReader()
        let out = reader.feed([0x61, 0x2C, 0xFF, 0xFE, 0x0A, 0x62, 0x0A]) + reader.finish()
        #expect(out.count == 2)
        #expect(out.first == .failure(.notUTF8(line: 1)))
        #expect(out.last == .success(CSVReader.Record(fields: ["b"], line: 2)))
    }
}
