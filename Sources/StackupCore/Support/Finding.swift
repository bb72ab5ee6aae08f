/// How much a finding matters. Ordered: note < warning < error.
public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A value of one customer attribute in an example customer.
public enum AttributeValue: Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case symbol(String)
    case bool(Bool)

    public var description: String {
        switch self {
        case .number(let d): return NumberFormatting.plain(d)
        case .symbol(let s): return s
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// One concrete customer, attribute by attribute, in declaration order.
public struct ExampleCustomer: Hashable, Sendable {
    public var values: [(name: String, value: AttributeValue)]

    init(_ values: [(name: String, value: AttributeValue)]) { self.values = values }

    public static func == (a: ExampleCustomer, b: ExampleCustomer) -> Bool {
        a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (name, value) in values { hasher.combine(name); hasher.combine(value) }
    }

    public var description: String { values.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }
}

/// A secondary location that explains a finding.
public struct RelatedLocation: Hashable, Sendable {
    public var location: Location
    public var message: String

    public init(_ location: Location, _ message: String) {
        self.location = location
        self.message = message
    }
}

/// A small table that explains a finding, e.g. each stage's part of a broken promise.
public struct FindingTable: Hashable, Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }
}

/// What the customer meets at one step of a journey: an entry, a stage, or an outcome, with
/// where it is defined. Findings carry their paths as these, so that every reporter names and
/// links the same step.
public struct JourneyStep: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case entry, stage, outcome }

    public var name: String
    public var location: Location
    var kind: Kind

    init(name: String, location: Location, kind: Kind) {
        self.name = name
        self.location = location
        self.kind = kind
    }

    init(_ entry: Entry) { self.init(name: entry.name, location: entry.location, kind: .entry) }

    init(_ stage: Stage) { self.init(name: stage.id, location: stage.location, kind: stage.isOutcome ? .outcome : .stage) }
}

/// A diagnostic: data only. How it looks is the reporters' business.
public struct Finding: Hashable, Sendable {
    public var rule: String
    public var severity: Severity
    public var message: String
    public var location: Location
    /// The stage the finding is about, where there is one.
    public var stage: String?
    /// The journey that shows the problem, entry first.
    public var journey: [JourneyStep]?
    /// One customer that shows the problem.
    public var example: ExampleCustomer?
    public var related: [RelatedLocation]
    public var notes: [String]
    public var help: String?
    /// Shown by the text reporter under the finding.
    public var table: FindingTable?
    /// What the finding is about, for rules whose messages carry details that move with every
    /// edit (which percentiles, which stages lead): keys then use it instead of the message.
    public var subject: String?

    /// The journey's step names, entry first.
    public var path: [String]? { journey?.map(\.name) }

    public init(rule: String, severity: Severity, message: String, location: Location, stage: String? = nil,
                journey: [JourneyStep]? = nil, example: ExampleCustomer? = nil, related: [RelatedLocation] = [],
                notes: [String] = [], help: String? = nil, table: FindingTable? = nil, subject: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.location = location
        self.stage = stage
        self.journey = journey
        self.example = example
        self.related = related
        self.notes = notes
        self.help = help
        self.table = table
        self.subject = subject
    }

    /// The order findings are reported in: file, line, column, rule, then message.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        let ka = (a.location.file, a.location.line, a.location.column, a.rule, a.message)
        let kb = (b.location.file, b.location.line, b.location.column, b.rule, b.message)
        return ka < kb
    }
}

/// Number formatting shared by messages and reporters, so that the same value always reads
/// the same way.
public enum NumberFormatting {
    /// A whole number without a fraction, otherwise the shortest round-trip form.
    public static func plain(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    /// At most `digits` decimals, trailing zeros removed.
    public static func rounded(_ d: Double, digits: Int = 1) -> String {
        guard d.isFinite else { return "\(d)" }
        var scale = 1.0
        for _ in 0..<max(0, min(digits, 9)) { scale *= 10 }
        let r = (d * scale).rounded() / scale
        return plain(r)
    }

    /// Hours as measured figures read: one decimal below 100, whole hours above.
    public static func hours(_ h: Double) -> String {
        rounded(h, digits: abs(h) < 100 ? 1 : 0)
    }
}
