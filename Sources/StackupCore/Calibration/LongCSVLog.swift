/// A long CSV event log: one row per arrival of a case at a stage. Columns are found by name,
/// case-insensitively, or named by flags; a field-history export (`Field`, `OldValue`,
/// `NewValue`, `CreatedDate`) is read through its stage-change rows. Every row becomes an event
/// or a counted, located reason why not; nothing is dropped silently.
package struct LongCSVLog {
    /// One arrival of a case at an activity (a stage, once mapped).
    package struct Event: Sendable, Equatable {
        package var caseId: String
        package var activity: String
        package var time: Double
        /// When the case left, if the log says.
        package var left: Double?
        package var dateOnly: Bool
        /// The file line the event came from.
        package var line: Int
    }

    /// Which column holds what; flags win over the names recognised by default.
    package struct Columns: Sendable, Equatable {
        package var caseId: String?
        package var stage: String?
        package var time: String?
        package var left: String?

        package init(caseId: String? = nil, stage: String? = nil, time: String? = nil, left: String? = nil) {
            self.caseId = caseId
            self.stage = stage
            self.time = time
            self.left = left
        }
    }

    static let caseNames = ["case_id", "case:concept:name", "opportunityid", "leadid", "deal_id"]
    static let stageNames = ["stage", "activity", "concept:name", "stagename"]
    static let timeNames = ["timestamp", "entered_at", "time:timestamp", "createddate"]
    static let leftNames = ["left", "left_at"]

    /// A problem that stops the file being read at all, with the line it is on.
    package struct Failure: Error, Equatable, Sendable {
        package var line: Int
        package var message: String
    }

    /// What was read: the events, and the rows skipped, by reason, with the first line of each.
    package private(set) var store = EventStore()
    package var events: [Event] { store.events }
    package private(set) var skipped: [String: (count: Int, firstLine: Int)] = [:]
    /// Rows read, header excluded.
    package private(set) var rows = 0
    /// True for a field-history export.
    package private(set) var isFieldHistory = false

    private var csv = CSVReader()
    private var header: [String]?
    private var indices: (caseId: Int, stage: Int, time: Int, left: Int?, field: Int?)?
    private let columns: Columns
    private let zone: LogTime.Zone
    private(set) var failure: Failure?

    /// Events beyond this stop the read with a located failure: memory follows the events.
    var maxEvents = Int.max

    package init(columns: Columns = Columns(), zone: LogTime.Zone = .utc, maxEvents: Int = .max) {
        self.columns = columns
        self.zone = zone
        self.maxEvents = maxEvents
    }

    /// Why a read stopped at the event limit.
    static func tooMany(_ max: Int) -> String { "more than \(max) events to read; `--limit log-events=N` raises the limit (about 200 MB of memory a million events)" }

    /// Reads the next bytes of the file.
    package mutating func feed(_ bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        for record in csv.feed(bytes) { take(record) }
    }

    /// Ends the file; the whole log, or why it could not be read.
    package mutating func finish() -> Result<LongCSVLog, Failure> {
        if failure == nil { for record in csv.finish() { take(record) } }
        if let failure { return .failure(failure) }
        if header == nil { return .failure(Failure(line: 1, message: "the log is empty: it has no header row")) }
        return .success(self)
    }

    private mutating func skip(_ reason: String, line: Int) {
        let entry = skipped[reason]
        skipped[reason] = ((entry?.count ?? 0) + 1, entry?.firstLine ?? line)
    }

    private mutating func take(_ record: Result<CSVReader.Record, CSVReader.Problem>) {
        guard failure == nil else { return }
        switch record {
        case .failure(let problem):
            if header == nil { failure = Failure(line: problem.line, message: problem.message); return }
            rows += 1
            skip(problem.message, line: problem.line)
        case .success(let row):
            guard header != nil else { readHeader(row); return }
            rows += 1
            readRow(row)
        }
    }

    private mutating func readHeader(_ row: CSVReader.Record) {
        let names = row.fields.map { $0.trimmingBlanks }
        header = names
        let lower = names.map { $0.lowercased() }
        func find(_ flag: String?, _ defaults: [String], _ what: String) -> Int? {
            if let flag {
                guard let i = lower.firstIndex(of: flag.lowercased()) else {
                    failure = Failure(line: row.line, message: "no column `\(flag)` for the \(what); the header has \(names.map { "`\($0)`" }.joined(separator: ", "))")
                    return nil
                }
                return i
            }
            return defaults.lazy.compactMap { lower.firstIndex(of: $0) }.first
        }
        // A field-history export: the stage is the new value of the stage field.
        let fieldColumn = lower.firstIndex(of: "field")
        if columns.stage == nil, let f = fieldColumn, let new = lower.firstIndex(of: "newvalue"), lower.contains("oldvalue") {
            isFieldHistory = true
            guard let c = find(columns.caseId, Self.caseNames + ["parentid"], "case id"),
                  let t = find(columns.time, Self.timeNames, "time") else {
                if failure == nil { failure = missing(row, names) }
                return
            }
            indices = (c, new, t, nil, f)
            return
        }
        guard let c = find(columns.caseId, Self.caseNames, "case id"), let s = find(columns.stage, Self.stageNames, "stage"),
              let t = find(columns.time, Self.timeNames, "time") else {
            if failure == nil { failure = missing(row, names) }
            return
        }
        var left: Int?
        if let flag = columns.left {
            left = find(flag, [], "leaving time")
            if left == nil { return }
        } else {
            // An addition to the names the contract recognises: `simulate --events` writes `left`.
            left = find(nil, Self.leftNames, "leaving time")
        }
        indices = (c, s, t, left, nil)
    }

    private func missing(_ row: CSVReader.Record, _ names: [String]) -> Failure {
        let lower = names.map { $0.lowercased() }
        var wanted: [String] = []
        if columns.caseId == nil, !Self.caseNames.contains(where: lower.contains) { wanted.append("a case id (\(Self.caseNames.joined(separator: ", ")), or --case)") }
        if columns.stage == nil, !Self.stageNames.contains(where: lower.contains) { wanted.append("a stage (\(Self.stageNames.joined(separator: ", ")), or --stage)") }
        if columns.time == nil, !Self.timeNames.contains(where: lower.contains) { wanted.append("a time (\(Self.timeNames.joined(separator: ", ")), or --time)") }
        return Failure(line: row.line, message: "the header names no column for \(wanted.joined(separator: "; ")); it has \(names.map { "`\($0)`" }.joined(separator: ", "))")
    }

    private mutating func readRow(_ row: CSVReader.Record) {
        guard let indices else { return }
        guard store.count < maxEvents else { failure = Failure(line: row.line, message: Self.tooMany(maxEvents)); return }
        let needed = max(indices.caseId, indices.stage, indices.time, indices.left ?? 0, indices.field ?? 0)
        guard row.fields.count > needed else { skip("too few columns", line: row.line); return }
        if let f = indices.field {
            let field = row.fields[f].trimmingBlanks
            guard field == "StageName" || field == "Status" else { skip("not a stage change", line: row.line); return }
        }
        let caseId = row.fields[indices.caseId].trimmingBlanks
        let activity = row.fields[indices.stage].trimmingBlanks
        guard !caseId.isEmpty else { skip("no case id", line: row.line); return }
        guard !activity.isEmpty else { skip("no stage", line: row.line); return }
        guard let time = LogTime.parse(row.fields[indices.time].trimmingBlanks, zone: zone) else { skip("bad timestamp", line: row.line); return }
        var left: Double?
        if let l = indices.left {
            let text = row.fields[l].trimmingBlanks
            if !text.isEmpty {
                guard let t = LogTime.parse(text, zone: zone) else { skip("bad timestamp", line: row.line); return }
                left = t.seconds
            }
        }
        store.append(caseId: caseId, activity: activity, time: time.seconds, left: left, dateOnly: time.dateOnly, line: row.line)
    }
}
