#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The events of one or more logs, whatever their format, with every row that did not become
/// an event counted by reason and the first line it happened on.
public struct EventLog: Sendable {
    package var store = EventStore()
    /// The events as values, for tests and small logs.
    package var events: [LongCSVLog.Event] { store.events }
    /// Reason → rows skipped, and the first line (in `firstFile`) where it happened.
    package var skipped: [String: (count: Int, firstLine: Int, file: String)] = [:]
    /// Events or rows read, header excluded, mapped or not.
    package var rows = 0
    package var isXES = false

    package init(events: [LongCSVLog.Event], skipped: [String: (count: Int, firstLine: Int)] = [:], rows: Int = 0, file: String = "") {
        self.init(store: EventStore(events), skipped: skipped, rows: rows, file: file)
    }

    package init(store: EventStore = EventStore(), skipped: [String: (count: Int, firstLine: Int)] = [:], rows: Int = 0, file: String = "") {
        self.store = store
        self.skipped = skipped.mapValues { ($0.count, $0.firstLine, file) }
        self.rows = rows
    }

    /// Rows skipped, all reasons together.
    public var skippedRows: Int { skipped.values.reduce(0) { $0 + $1.count } }

    /// Adds another file's events; file lines stay with their own file.
    package mutating func append(_ other: EventLog) {
        store.append(contentsOf: other.store)
        rows += other.rows
        for (reason, entry) in other.skipped {
            if let mine = skipped[reason] { skipped[reason] = (mine.count + entry.count, mine.firstLine, mine.file) } else { skipped[reason] = entry }
        }
    }
}

/// How a log file is read: its kind (by `--log-format`, else by its extension and first
/// bytes), its columns, and the zone of times written without one.
public struct LogReadOptions: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case long, wide, xes
    }

    public var kind: Kind?
    public var caseColumn: String?
    public var stageColumn: String?
    public var timeColumn: String?
    public var leftColumn: String?
    /// `--stage-column`, for a wide log: a column name with `{stage}` in it.
    public var stageColumnPattern: String?
    public var zone: LogZone
    /// Events beyond this stop the read (`--limit log-events`).
    public var maxEvents: Int = Limits.default.logEvents

    public init(kind: Kind? = nil, caseColumn: String? = nil, stageColumn: String? = nil, timeColumn: String? = nil, leftColumn: String? = nil,
                stageColumnPattern: String? = nil, zone: LogZone = .utc) {
        self.kind = kind
        self.caseColumn = caseColumn
        self.stageColumn = stageColumn
        self.timeColumn = timeColumn
        self.leftColumn = leftColumn
        self.stageColumnPattern = stageColumnPattern
        self.zone = zone
    }
}

/// The zone of log times written without one, as `--tz` names it.
public struct LogZone: Sendable, Equatable {
    package let zone: LogTime.Zone

    public static let utc = LogZone(zone: .utc)

    package init(zone: LogTime.Zone) { self.zone = zone }

    /// `UTC`, `+01:00`, `-0530` or an IANA name such as `Europe/Berlin`; nil for anything else.
    public init?(_ text: String) {
        guard let zone = LogTime.Zone.parse(text) else { return nil }
        self.zone = zone
    }
}

/// Why a log could not be read at all: its file, line and what is wrong.
public struct LogReadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// Reads event logs from disk, chunk by chunk: gzip is inflated as it is read, CSV is parsed as
/// it arrives, and XES is handed to the XML parser as a stream.
public enum EventLogReader {
    static let chunkBytes = 1 << 20

    /// The kind a file is read as: `--log-format`, else `.xes`/`.xes.gz` (or a first byte
    /// `<`) as XES, else long CSV.
    static func kind(of name: String, firstBytes: [UInt8], options: LogReadOptions) -> LogReadOptions.Kind {
        if let kind = options.kind { return kind }
        if options.stageColumnPattern != nil { return .wide }
        let lower = name.lowercased()
        if lower.hasSuffix(".xes") || lower.hasSuffix(".xes.gz") { return .xes }
        let text = firstBytes.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return text.first == 0x3C ? .xes : .long
    }

    /// Reads the log at `path`, shown as `name` in messages.
    public static func read(path: String, name: String, options: LogReadOptions) -> Result<EventLog, LogReadFailure> {
        func failure(_ line: Int?, _ message: String) -> Result<EventLog, LogReadFailure> {
            .failure(LogReadFailure(file: name, line: line, message: message))
        }
        guard !path.isEmpty, !path.utf8.contains(0) else { return failure(nil, "not a file name") }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return failure(nil, errno == ENOENT ? "no such log file" : "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return failure(nil, "cannot stat: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return failure(nil, "not a regular file") }
        var readError: String?
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        let raw: () -> [UInt8]? = {
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    readError = "read failed: \(String(cString: strerror(errno)))"
                    return nil
                }
                return n == 0 ? nil : Array(buffer[0..<n])
            }
        }
        return read(name: name, options: options, next: raw).flatMap { log in
            readError.map { .failure(LogReadFailure(file: name, line: nil, message: $0)) } ?? .success(log)
        }
    }

    /// Reads a log whose bytes `next` hands out in chunks (nil at the end).
    public static func read(name: String, options: LogReadOptions, next raw: @escaping () -> [UInt8]?) -> Result<EventLog, LogReadFailure> {
        func failure(_ line: Int?, _ message: String) -> Result<EventLog, LogReadFailure> {
            .failure(LogReadFailure(file: name, line: line, message: message))
        }
        // Enough of the start to tell gzip, XES or CSV apart, however small the chunks.
        var first: [UInt8] = []
        while first.count < 64, let chunk = raw() { first += chunk }
        var gzipFailure: String?
        let gunzip: Gunzip? = Gunzip.isGzip(first) ? Gunzip() : nil
        if let gunzip {
            gunzip.push(first)
            first = gunzip.pull(limit: chunkBytes)
            if let why = gunzip.failure { return failure(nil, why) }
        }
        // What comes after the first chunk, inflated when the file is gzip, a bounded piece at a
        // time however well it compresses.
        let next: () -> [UInt8]? = {
            guard gzipFailure == nil else { return nil }
            guard let gunzip else { return raw() }
            while true {
                let out = gunzip.pull(limit: chunkBytes)
                if let why = gunzip.failure { gzipFailure = why; return nil }
                if !out.isEmpty { return out }
                guard let chunk = raw() else {
                    gunzip.finish()
                    gzipFailure = gunzip.failure
                    return nil
                }
                gunzip.push(chunk)
            }
        }
        // Inflating may give nothing from the first chunk (a long gzip header).
        while first.isEmpty, let more = next() { first = more }
        if first.isEmpty {
            if let gzipFailure { return failure(nil, gzipFailure) }
            return failure(1, "the log is empty")
        }
        if let nul = first.prefix(8192).firstIndex(of: 0) {
            let line = first[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return failure(line, "this is not a text log: it holds binary data (a NUL byte on line \(line))")
        }
        let kind = kind(of: name, firstBytes: Array(first.prefix(64)), options: options)
        var log: EventLog
        switch kind {
        case .xes:
            var handedFirst = false
            let stream: () -> [UInt8]? = {
                if !handedFirst { handedFirst = true; return first }
                return next()
            }
            switch XESLog.read(zone: options.zone.zone, maxEvents: options.maxEvents, next: stream) {
            case .failure(let f): return gzipFailure.map { failure(nil, $0) } ?? failure(f.line, f.message)
            case .success(let read): log = read
            }
        case .long:
            var reader = LongCSVLog(columns: .init(caseId: options.caseColumn, stage: options.stageColumn, time: options.timeColumn, left: options.leftColumn),
                                    zone: options.zone.zone, maxEvents: options.maxEvents)
            reader.feed(first)
            while let chunk = next() { reader.feed(chunk) }
            if let gzipFailure { return failure(nil, gzipFailure) }
            switch reader.finish() {
            case .failure(let f): return failure(f.line, f.message)
            case .success(let read): log = EventLog(store: read.store, skipped: read.skipped, rows: read.rows, file: name)
            }
        case .wide:
            guard let pattern = options.stageColumnPattern else {
                return failure(nil, "a wide log needs --stage-column PATTERN, a column name with {stage} in it, such as 'Date entered \"{stage}\"'")
            }
            guard var reader = WideCSVLog(stageColumn: pattern, caseColumn: options.caseColumn, zone: options.zone.zone, maxEvents: options.maxEvents) else {
                return failure(nil, "--stage-column `\(pattern)` must hold `{stage}` exactly once, where each column names its stage")
            }
            reader.feed(first)
            while let chunk = next() { reader.feed(chunk) }
            if let gzipFailure { return failure(nil, gzipFailure) }
            switch reader.finish() {
            case .failure(let f): return failure(f.line, f.message)
            case .success(let read): log = EventLog(store: read.store, skipped: read.skipped, rows: read.rows, file: name)
            }
        }
        if let gzipFailure { return failure(nil, gzipFailure) }
        // Skipped lines name their own file, for the report.
        log.skipped = log.skipped.mapValues { ($0.count, $0.firstLine, name) }
        return .success(log)
    }
}
