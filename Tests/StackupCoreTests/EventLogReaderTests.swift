import Foundation
import Testing
@testable import StackupCore

/// The readers behind `calibrate` on hand-written fixtures: XES with start/complete pairs,
/// gzip (one member, several, truncated), and what cannot be read, with exact messages.
@Suite struct EventLogReaderTests {
    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/StackupCoreTests/Fixtures/\(name)").path
    }

    static func read(_ name: String, options: LogReadOptions = LogReadOptions()) -> Result<EventLog, LogReadFailure> {
        EventLogReader.read(path: fixture(name), name: name, options: options)
    }

    /// Bytes handed out in chunks of `size`, as a file is read.
    static func chunks(_ bytes: [UInt8], size: Int) -> () -> [UInt8]? {
        var offset = 0
        return {
            guard offset < bytes.count else { return nil }
            defer { offset += size }
            return Array(bytes[offset..<min(offset + size, bytes.count)])
        }
    }

    @Test(arguments: ["stage-history.xes", "stage-history.xes.gz"])
    func xesPairsStartAndCompleteAndCountsWhatItSkips(name: String) throws {
        let log = try Self.read(name).get()
        // One visit per start/complete pair, left at the complete; a completion-only log's
        // events are arrivals; the nested list's concept:name is not an activity.
        #expect(log.events.map(\.caseId) == ["0061x0001", "0061x0001", "0061x0002"])
        #expect(log.events.map(\.activity) == ["sdr", "ae", "ae & co"])
        let start = try #require(LogTime.parse("2026-01-05T08:00:00Z")).seconds
        #expect(log.events[0].time == start)
        #expect(log.events[0].left == start + 4.5 * 3600)
        #expect(log.events[1].left == nil)
        #expect(log.events[2].dateOnly)
        #expect(log.rows == 6)
        #expect(log.skipped["a trace without concept:name"]?.count == 1)
        #expect(log.skipped["a trace without concept:name"]?.firstLine == 22)
        #expect(log.skipped["bad timestamp"]?.count == 1)
        #expect(log.skipped["bad timestamp"]?.firstLine == 30)
        #expect(log.skipped["bad timestamp"]?.file == name)
    }

    /// The same events whatever the chunk size, down to one byte at a time.
    @Test(arguments: [1, 7, 4096])
    func xesReadsTheSameInAnyChunks(size: Int) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture("stage-history.xes.gz"))))
        let log = try EventLogReader.read(name: "x.xes.gz", options: LogReadOptions(), next: Self.chunks(bytes, size: size)).get()
        let whole = try Self.read("stage-history.xes").get()
        #expect(log.events == whole.events)
    }

    @Test func concatenatedGzipMembersAreOneLog() throws {
        let log = try Self.read("two-members.csv.gz").get()
        #expect(log.events.map(\.caseId) == ["a,1", "a,1"])
        #expect(log.events.map(\.activity) == ["sdr", "ae"])
    }

    @Test func truncatedGzipSaysSo() {
        #expect(throws: LogReadFailure(file: "truncated.csv.gz", line: nil, message: "the gzip data ends in the middle (truncated after 70 compressed bytes)")) {
            try Self.read("truncated.csv.gz").get()
        }
    }

    @Test func malformedInputsHaveExactMessages() {
        func failure(_ text: [UInt8], _ name: String = "log.csv") -> String? {
            if case .failure(let f) = EventLogReader.read(name: name, options: LogReadOptions(), next: Self.chunks(text, size: 64)) { return f.description }
            return nil
        }
        #expect(failure([]) == "log.csv:1: the log is empty")
        #expect(failure(Array("case_id,stage,timestamp\na,sdr,2026-01-05\n\u{0}\u{1}binary".utf8)) == "log.csv:3: this is not a text log: it holds binary data (a NUL byte on line 3)")
        #expect(failure(Array("<log><trace></log>".utf8), "x.xes")?.hasPrefix("x.xes:1: the XES log is not well-formed XML") == true)
        #expect(failure(Array("<?xml version=\"1.0\"?>\n<events/>".utf8), "x.xes") == "x.xes:1: no <log> element: this is not an XES log")
        #expect(failure([0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0xFF], "x.csv.gz")?.hasPrefix("x.csv.gz: the gzip data is corrupt") == true)
        #expect(EventLogReader.read(path: Self.fixture("no-such.csv"), name: "no-such.csv", options: LogReadOptions()).failureText == "no-such.csv: no such log file")
        #expect(EventLogReader.read(path: Self.fixture(""), name: "Fixtures", options: LogReadOptions()).failureText == "Fixtures: not a regular file")
    }

    /// Found by fuzzing: invalid UTF-8 in an attribute name made FoundationXML trap when the log
    /// came a byte at a time. Only UTF-8 reaches the parser, and a character cut between chunks
    /// is carried whole into the next.
    @Test(arguments: [1, 2, 3, 4096])
    func xesThatIsNotUTF8IsRefusedWhereItBreaks(chunk: Int) {
        let broken = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n<trace>\n<string key=\"concept:name\" value=\"c1\"/>\n<event>\n<string key=\"li".utf8)
            + [0xFF, 0xFF] + Array("fe\" value=\"x\"/>\n</event>\n</trace>\n</log>\n".utf8)
        guard case .failure(let f) = EventLogReader.read(name: "x.xes", options: LogReadOptions(), next: Self.chunks(broken, size: chunk)) else {
            Issue.record("read a log that is not UTF-8"); return
        }
        #expect(f.description == "x.xes:6: the XES log is not UTF-8: a byte 0xFF is no character")
        let accented = Array("<log><trace><string key=\"concept:name\" value=\"Bärbel\"/><event><string key=\"concept:name\" value=\"sdr\"/><date key=\"time:timestamp\" value=\"2026-01-05T09:00:00Z\"/></event></trace></log>".utf8)
        let read = EventLogReader.read(name: "x.xes", options: LogReadOptions(), next: Self.chunks(accented, size: chunk))
        #expect((try? read.get())?.events.map(\.caseId) == ["Bärbel"])
    }

    @Test func utf8PrefixesAreCheckedByTheRFC() {
        #expect(ChunkInputStream.validUTF8Prefix(Array("aé".utf8)) == .valid(3))
        #expect(ChunkInputStream.validUTF8Prefix([0x61, 0xC3]) == .valid(1))
        #expect(ChunkInputStream.validUTF8Prefix([0xF0, 0x9F, 0x9A]) == .valid(0))
        #expect(ChunkInputStream.validUTF8Prefix([0xC0, 0x80]) == .invalid(0))
        #expect(ChunkInputStream.validUTF8Prefix([0xED, 0xA0, 0x80]) == .invalid(1))
        #expect(ChunkInputStream.validUTF8Prefix([0xF4, 0x90, 0x80, 0x80]) == .invalid(1))
        #expect(ChunkInputStream.validUTF8Prefix([0x61, 0x80]) == .invalid(1))
    }

    /// The kind comes from the flag, then the extension, then the first byte.
    @Test func kindFromFlagExtensionAndHeader() {
        let plain = LogReadOptions()
        #expect(EventLogReader.kind(of: "a.XES.gz", firstBytes: [], options: plain) == .xes)
        #expect(EventLogReader.kind(of: "a.log", firstBytes: Array("\u{FEFF}  <?xml".utf8), options: plain) == .xes)
        #expect(EventLogReader.kind(of: "a.csv", firstBytes: Array("case_id".utf8), options: plain) == .long)
        #expect(EventLogReader.kind(of: "a.csv", firstBytes: [], options: LogReadOptions(stageColumnPattern: "{stage}")) == .wide)
        #expect(EventLogReader.kind(of: "a.xes", firstBytes: [], options: LogReadOptions(kind: .long)) == .long)
    }
}

extension Result where Failure == LogReadFailure {
    var failureText: String? {
        if case .failure(let f) = self { return f.description }
        return nil
    }
}
