/// A value with the place it was written.
public struct Located<Value: Hashable & Sendable>: Hashable, Sendable {
    public var value: Value
    public var location: Location

    public init(_ value: Value, _ location: Location) {
        self.value = value
        self.location = location
    }
}

/// A day of the week.
public enum Weekday: String, Sendable, CaseIterable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    public var index: Int { Weekday.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }
}

/// When business time runs.
public struct BusinessCalendar: Hashable, Sendable {
    public var workdays: Set<Weekday>
    /// Minutes after midnight at which the working day starts and ends.
    public var startMinute: Int
    public var endMinute: Int

    public init(workdays: Set<Weekday>, startMinute: Int, endMinute: Int) {
        self.workdays = workdays
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Mon–Fri 09:00–17:00.
    public static let standard = BusinessCalendar(workdays: [.mon, .tue, .wed, .thu, .fri], startMinute: 540, endMinute: 1020)

    public var workdayMinutes: Int { endMinute - startMinute }
}

/// A customer attribute that conditions and routes talk about.
public struct Attribute: Hashable, Sendable {
    /// The attribute's domain.
    public enum Kind: Hashable, Sendable {
        case number(min: Double?, max: Double?)
        case enumeration([String])
        case boolean
    }

    public var name: String
    public var kind: Kind
    public var location: Location

    public var kindName: String {
        switch kind {
        case .number: return "number"
        case .enumeration: return "enumeration"
        case .boolean: return "boolean"
        }
    }
}

/// Where a promise starts or ends.
public enum PromiseEnd: Hashable, Sendable {
    case start
    case firstContact
    case stages([Located<String>])
}

/// An end-to-end budget the customer is promised.
public struct Promise: Hashable, Sendable {
    public var name: String
    public var from: PromiseEnd
    public var to: PromiseEnd
    /// With `until: done` the promise ends when the `to` stage hands the customer on.
    public var untilDone: Bool
    public var p50: Duration?
    public var p90: Duration?
    public var p99: Duration?
    public var max: Duration?
    public var location: Location

    /// Every budget given, by key, in the order p50, p90, p99, max.
    public var budgets: [(key: String, duration: Duration)] {
        [("p50", p50), ("p90", p90), ("p99", p99), ("max", max)].compactMap { k, d in d.map { (k, $0) } }
    }

    /// True when the budgets are written in business units: the promise is then measured in
    /// the calendar's working time (the loader rejects a promise that mixes the two).
    public var isBusinessTime: Bool { budgets.contains { $0.duration.unit.isBusiness } }
}

/// A distribution of one attribute among arriving customers.
public enum MixDistribution: Hashable, Sendable {
    case uniform(Double, Double)
    case lognormal(p50: Double, p90: Double)
    case fixed(Double)
    /// Value → normalised weight, for enumerations and booleans.
    case weights([(value: AttributeValue, weight: Double)])

    public static func == (a: MixDistribution, b: MixDistribution) -> Bool {
        switch (a, b) {
        case (.uniform(let x, let y), .uniform(let u, let v)): return x == u && y == v
        case (.lognormal(let x, let y), .lognormal(let u, let v)): return x == u && y == v
        case (.fixed(let x), .fixed(let y)): return x == y
        case (.weights(let x), .weights(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.value == $1.value && $0.weight == $1.weight }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .uniform(let a, let b): hasher.combine(0); hasher.combine(a); hasher.combine(b)
        case .lognormal(let a, let b): hasher.combine(1); hasher.combine(a); hasher.combine(b)
        case .fixed(let a): hasher.combine(2); hasher.combine(a)
        case .weights(let w): hasher.combine(3); for (v, x) in w { hasher.combine(v); hasher.combine(x) }
        }
    }
}

/// Where customers come in.
public struct Entry: Hashable, Sendable {
    public var name: String
    public var to: Located<String>
    public var rate: Rate
    /// True for `arrives: business_hours`.
    public var arrivesInBusinessHours: Bool
    /// Coefficient of variation of inter-arrival times (default 1: Poisson).
    public var cv: Double
    public var mix: [String: Located<MixDistribution>]
    public var location: Location
}

/// One route out of a stage. First match wins.
public struct Route: Hashable, Sendable {
    public var to: Located<String>
    public var when: Condition?
    public var whenLocation: Location?
    /// True when `when` was written but could not be read (already reported): the route
    /// then matches nobody, and the stage's routing is not judged.
    public var whenIsInvalid: Bool = false
    public var delay: TimeSpec?
    public var location: Location
}

/// Whether a stage ends the journey.
public enum Outcome: String, Hashable, Sendable, CaseIterable {
    case won, lost
}

/// A team (or an outcome) in the journey.
public struct Stage: Hashable, Sendable {
    public var id: String
    public var team: String?
    public var description: String?
    public var outcome: Outcome?
    public var contact: Bool
    public var ownsRelationship: Bool
    public var accepts: Condition?
    public var acceptsLocation: Location?
    public var rejectsTo: Located<String>?
    public var sla: TimeSpec?
    public var slaLocation: Location?
    /// The time from receiving a customer to the first touch (speed to lead on a contact stage).
    public var responds: TimeSpec?
    public var respondsLocation: Location?
    public var capacity: Capacity
    public var requires: [Located<String>]
    public var captures: [Located<String>]
    /// nil means every field known at that point.
    public var handsOff: [Located<String>]?
    public var handsOffLocation: Location?
    public var engages: [Located<String>]
    public var maxVisits: Int?
    public var routes: [Route]
    /// Where the `routes` key is written, when it is.
    public var routesLocation: Location?
    /// The location of the stage's id.
    public var location: Location

    public var isOutcome: Bool { outcome != nil }

    /// True when its `accepts` or a route's `when` could not be read. Findings about its
    /// routing would rest on a guess, so rules leave it alone.
    public var hasInvalidCondition: Bool = false
}

/// An expected rate of one outcome: a stage id, or `won`/`lost` for every stage with that outcome.
public struct Target: Hashable, Sendable {
    public var outcome: Located<String>
    public var rate: Rate
}

/// The customer side of the design.
public struct CustomerSpec: Hashable, Sendable {
    public var attributes: [Attribute] = []
    public var committee: [Located<String>] = []
    public var neverAskTwice: [Located<String>] = []
    public var maxHandoffs: Int?
    public var maxLoops: Int = 1
    /// Where `max_loops` is written, when it is.
    public var maxLoopsLocation: Location?
    public var maxOwnerChanges: Int = 1
    public var promises: [Promise] = []
    /// Expected outcome rates the design must reach.
    public var targets: [Target] = []

    public func attribute(named name: String) -> Attribute? { attributes.first { $0.name == name } }
}

/// A whole design: the root file and everything it includes.
public struct Design: Hashable, Sendable {
    public var name: String?
    /// The root file's display path.
    public var file: String
    public var calendar: BusinessCalendar = .standard
    public var customer = CustomerSpec()
    /// In the order written, root file first, then includes in order.
    public var entries: [Entry] = []
    public var stages: [Stage] = []
    public var stageIndex: [String: Int] = [:]

    public init(file: String) { self.file = file }

    public func stage(_ id: String) -> Stage? { stageIndex[id].map { stages[$0] } }
}
