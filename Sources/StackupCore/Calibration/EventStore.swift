/// A log's events, compactly: each case id and each activity is kept once, and an event is a
/// 32-byte record of their numbers, its times and its line (a struct of two strings was 64
/// bytes, plus a heap string for every id longer than 15 bytes, such as Salesforce's 18).
/// Grouping events by case is then a counting sort on the numbers.
package struct EventStore: Sendable {
    package struct Record: Sendable, Equatable {
        package var caseNumber: Int32
        package var activity: Int32
        /// The file line the event came from.
        package var line: Int32
        package var dateOnly: Bool
        package var time: Double
        /// When the case left, if the log says; NaN when it does not.
        package var leftOrNaN: Double

        package var left: Double? { leftOrNaN.isNaN ? nil : leftOrNaN }
    }

    /// Case ids in the order they first appear.
    package private(set) var caseIds: [String] = []
    private var caseNumbers: [String: Int32] = [:]
    package private(set) var activities: [String] = []
    private var activityNumbers: [String: Int32] = [:]
    package private(set) var records: [Record] = []
    /// The last case id seen: exports sorted by case repeat it row after row.
    private var lastCase: (id: String, number: Int32)?

    package init() {}

    package var count: Int { records.count }

    package mutating func append(caseId: String, activity: String, time: Double, left: Double?, dateOnly: Bool, line: Int) {
        let number: Int32
        if let last = lastCase, last.id == caseId {
            number = last.number
        } else if let known = caseNumbers[caseId] {
            number = known
        } else {
            number = Int32(truncatingIfNeeded: caseIds.count)
            caseNumbers[caseId] = number
            caseIds.append(caseId)
        }
        lastCase = (caseId, number)
        let a: Int32
        if let known = activityNumbers[activity] {
            a = known
        } else {
            a = Int32(truncatingIfNeeded: activities.count)
            activityNumbers[activity] = a
            activities.append(activity)
        }
        records.append(Record(caseNumber: number, activity: a, line: Int32(clamping: line), dateOnly: dateOnly, time: time, leftOrNaN: left ?? .nan))
    }

    package mutating func append(_ event: LongCSVLog.Event) {
        append(caseId: event.caseId, activity: event.activity, time: event.time, left: event.left, dateOnly: event.dateOnly, line: event.line)
    }

    /// Another log's events after these; a case id in both is one case.
    package mutating func append(contentsOf other: EventStore) {
        records.reserveCapacity(records.count + other.records.count)
        for r in other.records {
            append(caseId: other.caseIds[Int(r.caseNumber)], activity: other.activities[Int(r.activity)], time: r.time, left: r.left,
                   dateOnly: r.dateOnly, line: Int(r.line))
        }
    }

    /// The events as values, for tests and small logs.
    package var events: [LongCSVLog.Event] {
        records.map { r in
            LongCSVLog.Event(caseId: caseIds[Int(r.caseNumber)], activity: activities[Int(r.activity)], time: r.time, left: r.left,
                             dateOnly: r.dateOnly, line: Int(r.line))
        }
    }

    package init(_ events: [LongCSVLog.Event]) {
        for e in events { append(e) }
    }
}
