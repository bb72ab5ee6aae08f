/// A wide CSV log: one row per case, one column per stage holding when the case entered it,
/// the columns named by a pattern with `{stage}` in it (HubSpot's `Date entered "{stage}"`).
/// An empty cell is a stage the case never entered; a cell that is not a time is counted, with
/// its first line.
package struct WideCSVLog {
    package private(set) var store = EventStore()
    package var events: [LongCSVLog.Event] { store.events }
    package private(set) var skipped: [String: (count: Int, firstLine: Int)] = [:]
    package private(set) var rows = 0
    /// The stages the header's columns name, in column order.
    package private(set) var stages: [String] = []

    private var csv = CSVReader()
    private var header: [String]?
    private var caseIndex = 0
    private var stageColumns: [(index: Int, stage: String)] = []
    private let prefix: Substring
    private let suffix: Substring
    private let caseColumn: String?
    private let zone: LogTime.Zone
    private var failure: LongCSVLog.Failure?

    /// Nil when `pattern` does not hold `{stage}` exactly once.
    private var maxEvents = Int.max

    package init?(stageColumn pattern: String, caseColumn: String? = nil, zone: LogTime.Zone = .utc, maxEvents: Int = .max) {
        self.maxEvents = maxEvents
        let parts = pattern.components(separatedBy: "{stage}")
        guard parts.count == 2 else { return nil }
        prefix = Substring(parts[0])
        suffix = Substring(parts[1])
        self.caseColumn = caseColumn
        self.zone = zone
    }

    package mutating func feed(_ bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        for record in csv.feed(bytes) { take(record) }
    }

    package mutating func finish() -> Result<WideCSVLog, LongCSVLog.Failure> {
        if failure == nil { for record in csv.finish() { take(record) } }
        if let failure { return .failure(failure) }
        if header == nil { return .failure(.init(line: 1, message: "the log is empty: it has no header row")) }
        return .success(self)
    }

    private mutating func take(_ record: Result<CSVReader.Record, CSVReader.Problem>) {
        guard failure == nil else { return }
        switch record {
        case .failure(let problem):
            if header == nil { failure = .init(line: problem.line, message: problem.message); return }
            rows += 1
            count(problem.message, line: problem.line)
        case .success(let row):
            guard header != nil else { readHeader(row); return }
            rows += 1
            readRow(row)
        }
    }

    private mutating func count(_ reason: String, line: Int) {
        let entry = skipped[reason]
        skipped[reason] = ((entry?.count ?? 0) + 1, entry?.firstLine ?? line)
    }

    private mutating func readHeader(_ row: CSVReader.Record) {
        let names = row.fields.map { $0.trimmingBlanks }
        header = names
        let lower = names.map { $0.lowercased() }
        let wanted = caseColumn.map { [$0.lowercased()] } ?? LongCSVLog.caseNames + ["record id", "deal id", "contact id"]
        guard let c = wanted.lazy.compactMap({ lower.firstIndex(of: $0) }).first else {
            failure = .init(line: row.line, message: "the header names no column for the case id (\(caseColumn.map { "`\($0)`" } ?? wanted.joined(separator: ", ")), or --case); it has \(names.map { "`\($0)`" }.joined(separator: ", "))")
            return
        }
        caseIndex = c
        for (i, name) in names.enumerated() where i != c && name.count > prefix.count + suffix.count && name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            let stage = String(name.dropFirst(prefix.count).dropLast(suffix.count))
            stageColumns.append((i, stage))
            stages.append(stage)
        }
        if stageColumns.isEmpty {
            failure = .init(line: row.line, message: "no column of the header fits the stage pattern `\(prefix){stage}\(suffix)`; it has \(names.map { "`\($0)`" }.joined(separator: ", "))")
        }
    }

    private mutating func readRow(_ row: CSVReader.Record) {
        guard store.count < maxEvents else { failure = .init(line: row.line, message: LongCSVLog.tooMany(maxEvents)); return }
        guard row.fields.count > caseIndex else { count("too few columns", line: row.line); return }
        let caseId = row.fields[caseIndex].trimmingBlanks
        guard !caseId.isEmpty else { count("no case id", line: row.line); return }
        for (index, stage) in stageColumns where index < row.fields.count {
            let text = row.fields[index].trimmingBlanks
            guard !text.isEmpty else { continue }
            guard let time = LogTime.parse(text, zone: zone) else { count("bad timestamp", line: row.line); continue }
            store.append(caseId: caseId, activity: stage, time: time.seconds, left: nil, dateOnly: time.dateOnly, line: row.line)
        }
    }
}
