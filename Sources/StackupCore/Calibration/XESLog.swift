import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XES event log (IEEE 1849): traces with `concept:name` as the case id, events with
/// `concept:name` (the activity) and `time:timestamp`. With `lifecycle:transition`, a
/// `start` and the `complete` of the same activity that follows it are one visit: the
/// `complete` is when the case left. A `complete` with no open `start` is an arrival, as in a
/// log that records completions only. Read by the toolchain's XML parser from a stream of
/// chunks, so that memory follows the traces, not the file.
package enum XESLog {
    /// Reads the log `next` hands out chunk by chunk (an empty chunk or nil ends it).
    package static func read(zone: LogTime.Zone, maxEvents: Int = .max, next: @escaping () -> [UInt8]?) -> Result<EventLog, LongCSVLog.Failure> {
        let stream = ChunkInputStream(next: next)
        let parser = XMLParser(stream: stream)
        let reader = Reader(zone: zone)
        reader.maxEvents = maxEvents
        parser.delegate = reader
        reader.parser = parser
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let failure = stream.failure { return .failure(LongCSVLog.Failure(line: stream.failureLine ?? max(1, parser.lineNumber), message: failure)) }
        if let line = reader.overLimitLine { return .failure(LongCSVLog.Failure(line: line, message: LongCSVLog.tooMany(maxEvents))) }
        guard parsed else {
            let why = (parser.parserError as NSError?).map { Self.describe($0) } ?? "not well-formed XML"
            return .failure(LongCSVLog.Failure(line: max(1, parser.lineNumber), message: "the XES log is not well-formed XML: \(why)"))
        }
        guard reader.sawLog else {
            return .failure(LongCSVLog.Failure(line: 1, message: "no <log> element: this is not an XES log"))
        }
        var log = EventLog(store: reader.store, skipped: reader.skipped, rows: reader.rows)
        log.isXES = true
        return .success(log)
    }

    private static func describe(_ error: NSError) -> String {
        let text = error.localizedDescription
        // libxml2's messages end with a newline and sometimes say only the code.
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "error \(error.code)" : trimmed
    }

    /// The parser's delegate: the element stack, the current trace and event.
    private final class Reader: NSObject, XMLParserDelegate {
        let zone: LogTime.Zone
        var store = EventStore()
        var skipped: [String: (count: Int, firstLine: Int)] = [:]
        var rows = 0
        var sawLog = false
        /// Element names from the root down.
        var stack: [String] = []
        var traceId: String?
        var traceLine = 0
        var trace: [LongCSVLog.Event] = []
        /// Per activity, the index in `trace` of a `start` not yet completed.
        var openStarts: [String: Int] = [:]
        var event: (name: String?, time: String?, transition: String?, line: Int)?

        var maxEvents = Int.max
        /// The line of the first event over `maxEvents`; parsing stops there.
        var overLimitLine: Int?
        weak var parser: XMLParser?

        init(zone: LogTime.Zone) { self.zone = zone }

        func skip(_ reason: String, line: Int, count: Int = 1) {
            let entry = skipped[reason]
            skipped[reason] = ((entry?.count ?? 0) + count, entry?.firstLine ?? line)
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let parent = stack.last
            stack.append(name)
            switch name {
            case "log" where stack.count == 1:
                sawLog = true
            case "trace" where parent == "log":
                traceId = nil
                traceLine = parser.lineNumber
                trace = []
                openStarts = [:]
            case "event" where parent == "trace":
                event = (nil, nil, nil, parser.lineNumber)
            default:
                // An attribute of the trace or event itself (not one nested in a list).
                guard let key = attributes["key"], let value = attributes["value"] else { return }
                if parent == "trace", stack.count == 3, key == "concept:name" { traceId = value }
                if parent == "event", stack.count == 4, event != nil {
                    switch key {
                    case "concept:name": event?.name = value
                    case "time:timestamp": event?.time = value
                    case "lifecycle:transition": event?.transition = value.lowercased()
                    default: break
                    }
                }
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            defer { stack.removeLast() }
            switch name {
            case "event" where stack.count == 3:
                guard let current = event else { return }
                event = nil
                rows += 1
                takeEvent(current)
            case "trace" where stack.count == 2:
                let id = (traceId ?? "").trimmingBlanks
                if id.isEmpty {
                    if !trace.isEmpty { skip("a trace without concept:name", line: traceLine, count: trace.count) }
                } else {
                    for e in trace { store.append(caseId: id, activity: e.activity, time: e.time, left: e.left, dateOnly: e.dateOnly, line: e.line) }
                }
                trace = []
            default: break
            }
        }

        func takeEvent(_ e: (name: String?, time: String?, transition: String?, line: Int)) {
            // A trace is held until it ends: count its events with the ones already kept.
            if store.count + trace.count >= maxEvents, overLimitLine == nil {
                overLimitLine = e.line
                parser?.abortParsing()
                return
            }
            guard let name = e.name?.trimmingBlanks, !name.isEmpty else { skip("an event without concept:name", line: e.line); return }
            guard let text = e.time, let time = LogTime.parse(text.trimmingBlanks, zone: zone) else { skip("bad timestamp", line: e.line); return }
            switch e.transition {
            case "complete"?:
                if let i = openStarts.removeValue(forKey: name) {
                    trace[i].left = max(trace[i].time, time.seconds)
                    return
                }
            case "start"?:
                openStarts[name] = trace.count
            case nil: break
            default:
                // schedule, assign, suspend, resume…: the activity's start and end are what count.
                skip("lifecycle:transition other than start or complete", line: e.line)
                return
            }
            trace.append(LongCSVLog.Event(caseId: "", activity: name, time: time.seconds, left: nil, dateOnly: time.dateOnly, line: e.line))
        }
    }
}

/// An `InputStream` over chunks handed out by a closure: what lets the XML parser read a log
/// as it is decompressed, without the whole file in memory.
final class ChunkInputStream: InputStream {
    private let next: () -> [UInt8]?
    private var pending: [UInt8] = []
    private var offset = 0
    private var ended = false
    /// Why the stream stopped early, and on which line, when the stream itself knows.
    private(set) var failure: String?
    private(set) var failureLine: Int?

    init(next: @escaping () -> [UInt8]?) {
        self.next = next
        super.init(data: Data())
    }

    override func open() {}
    override func close() {}
    override var hasBytesAvailable: Bool { !ended }
    override var streamStatus: Stream.Status { ended ? .atEnd : .open }

    /// The start of a UTF-8 sequence that the last chunk cut, carried into the next.
    private var carry: [UInt8] = []
    private var lines = 1

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        while offset >= pending.count {
            guard !ended, failure == nil, let chunk = next(), !chunk.isEmpty else {
                if !ended, failure == nil, !carry.isEmpty { (failure, failureLine) = ("the XES log is not UTF-8: it ends inside a character", lines) }
                ended = true
                return 0
            }
            // Only UTF-8 reaches the parser: FoundationXML traps on some invalid bytes in names
            // (found by fuzzing), and XES tools write UTF-8.
            let bytes = carry + chunk
            switch Self.validUTF8Prefix(bytes) {
            case .invalid(let at):
                lines += bytes[..<at].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
                failure = "the XES log is not UTF-8: a byte 0x\(String(bytes[at], radix: 16, uppercase: true)) is no character"
                failureLine = lines
                ended = true
                return 0
            case .valid(let count):
                pending = Array(bytes[..<count])
                carry = Array(bytes[count...])
                lines += pending.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
                offset = 0
            }
        }
        let n = min(length, pending.count - offset)
        pending.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.update(from: base + offset, count: n) }
        }
        offset += n
        return n
    }

    enum UTF8Check: Equatable {
        /// The first `count` bytes are whole, valid characters; the rest start one.
        case valid(Int)
        /// The byte at this index is not part of any character.
        case invalid(Int)
    }

    /// How much of `b` is valid UTF-8 (RFC 3629: no overlong forms, surrogates or values past
    /// U+10FFFF), leaving out a character cut at the end.
    static func validUTF8Prefix(_ b: [UInt8]) -> UTF8Check {
        var i = 0
        while i < b.count {
            let lead = b[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int, low: UInt8, high: UInt8
            switch lead {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return .invalid(i)
            }
            for k in 1..<length {
                guard i + k < b.count else { return .valid(i) }
                let c = b[i + k]
                let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
                guard c >= lo, c <= hi else { return .invalid(i + k) }
            }
            i += length
        }
        return .valid(b.count)
    }
}
