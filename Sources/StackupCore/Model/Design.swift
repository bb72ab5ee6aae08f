/// A value with the place it was written.
public struct Located<Value: Hashable & Sendable>: Hashable, Sendable {
    public internal(set) var value: Value
    public internal(set) var location: Location

    init(_ value: Value, _ location: Location) {
        self.value = value
        self.location = location
    }
}

/// A day of the week.
enum Weekday: String, Sendable, CaseIterable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    var index: Int { Weekday.allCases.firstIndex(of: self) ?? 0 }
    static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }
}

/// When business time runs.
public struct BusinessCalendar: Hashable, Sendable {
    var workdays: Set<Weekday>
    /// Minutes after midnight at which the working day starts and ends.
    var startMinute: Int
    var endMinute: Int

    init(workdays: Set<Weekday>, startMinute: Int, endMinute: Int) {
        self.workdays = workdays
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Mon–Fri 09:00–17:00.
    static let standard = BusinessCalendar(workdays: [.mon, .tue, .wed, .thu, .fri], startMinute: 540, endMinute: 1020)

    var workdayMinutes: Int { endMinute - startMinute }
}

/// A customer attribute that conditions and routes talk about.
public struct Attribute: Hashable, Sendable {
    /// The attribute's domain.
    public enum Kind: Hashable, Sendable {
        case number(min: Double?, max: Double?)
        case enumeration([String])
        case boolean
    }

    public internal(set) var name: String
    var kind: Kind
    public internal(set) var location: Location

    var kindName: String {
        switch kind {
        case .number: return "number"
        case .enumeration: return "enumeration"
        case .boolean: return "boolean"
        }
    }
}

/// Where a promise starts or ends.
package enum PromiseEnd: Hashable, Sendable {
    case start
    case firstContact
    case stages([Located<String>])
}

/// An end-to-end budget the customer is promised.
public struct Promise: Hashable, Sendable {
    public internal(set) var name: String
    package var from: PromiseEnd
    package var to: PromiseEnd
    /// With `until: done` the promise ends when the `to` stage hands the customer on.
    var untilDone: Bool
    /// `for`: the customers the promise is made to, as they enter; nil for everyone.
    var population: Condition? = nil
    var populationLocation: Location? = nil
    public internal(set) var p50: Duration?
    public internal(set) var p90: Duration?
    public internal(set) var p99: Duration?
    public internal(set) var max: Duration?
    public internal(set) var location: Location

    /// Every budget given, by key, in the order p50, p90, p99, max.
    public var budgets: [(key: String, duration: Duration)] {
        [("p50", p50), ("p90", p90), ("p99", p99), ("max", max)].compactMap { k, d in d.map { (k, $0) } }
    }

    /// True when the budgets are written in business units: the promise is then measured in
    /// the calendar's working time (the loader rejects a promise that mixes the two).
    var isBusinessTime: Bool { budgets.contains { $0.duration.unit.isBusiness } }
}

/// A distribution of one attribute among arriving customers.
enum MixDistribution: Hashable, Sendable {
    case uniform(Double, Double)
    case lognormal(p50: Double, p90: Double)
    case fixed(Double)
    /// Value → normalised weight, for enumerations and booleans.
    case weights([(value: AttributeValue, weight: Double)])

    static func == (a: MixDistribution, b: MixDistribution) -> Bool {
        switch (a, b) {
        case (.uniform(let x, let y), .uniform(let u, let v)): return x == u && y == v
        case (.lognormal(let x, let y), .lognormal(let u, let v)): return x == u && y == v
        case (.fixed(let x), .fixed(let y)): return x == y
        case (.weights(let x), .weights(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.value == $1.value && $0.weight == $1.weight }
        default: return false
        }
    }

    func hash(into hasher: inout Hasher) {
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
    public internal(set) var name: String
    public internal(set) var to: Located<String>
    var rate: Rate
    /// Where `rate`'s value is written, for `calibrate --write`.
    var rateLocation: Location? = nil
    /// True for `arrives: business_hours`.
    var arrivesInBusinessHours: Bool
    /// Coefficient of variation of inter-arrival times (default 1: Poisson).
    var cv: Double
    var mix: [String: Located<MixDistribution>]
    public internal(set) var location: Location
}

/// One route out of a stage. First match wins.
public struct Route: Hashable, Sendable {
    public internal(set) var to: Located<String>
    var when: Condition?
    var whenLocation: Location?
    /// True when `when` was written but could not be read (already reported): the route
    /// then matches nobody, and the stage's routing is not judged.
    var whenIsInvalid: Bool = false
    var delay: TimeSpec?
    /// `share`: of the customers who reach the route and match its `when`, the share it takes
    /// at random (1: all of them); the others go on to the next route.
    public internal(set) var share: Double = 1
    public internal(set) var location: Location
    /// Where `share`'s value is written, for `calibrate --write`; nil when the route has none.
    var shareLocation: Location? = nil

    /// True when the route takes every customer it matches; one with a smaller share leaves
    /// them all possible for the routes after it.
    var takesAll: Bool { share >= 1 }

    /// `share 30%` for a route with a share below 1, as messages and the graph show it.
    public var shareLabel: String? { takesAll ? nil : "share \(NumberFormatting.percent(share))" }
}

/// Whether a stage ends the journey.
public enum Outcome: String, Hashable, Sendable, CaseIterable {
    case won, lost
}

/// A team (or an outcome) in the journey.
public struct Stage: Hashable, Sendable {
    public internal(set) var id: String
    public internal(set) var team: String?
    public internal(set) var description: String?
    public internal(set) var outcome: Outcome?
    public internal(set) var contact: Bool
    public internal(set) var ownsRelationship: Bool
    public internal(set) var accepts: Condition?
    var acceptsLocation: Location?
    public internal(set) var rejectsTo: Located<String>?
    var sla: TimeSpec?
    var slaLocation: Location?
    /// The time from receiving a customer to the first touch (speed to lead on a contact stage).
    var responds: TimeSpec?
    var respondsLocation: Location?
    public internal(set) var capacity: Capacity
    var requires: [Located<String>]
    var captures: [Located<String>]
    /// nil means every field known at that point.
    var handsOff: [Located<String>]?
    var handsOffLocation: Location?
    var engages: [Located<String>]
    var maxVisits: Int?
    public internal(set) var routes: [Route]
    /// Where the `routes` key is written, when it is.
    var routesLocation: Location?
    /// The location of the stage's id.
    public internal(set) var location: Location

    public var isOutcome: Bool { outcome != nil }

    /// True when its `accepts` or a route's `when` could not be read. Findings about its
    /// routing would rest on a guess, so rules leave it alone.
    var hasInvalidCondition: Bool = false
}

/// An expected rate of one outcome: a stage id, or `won`/`lost` for every stage with that outcome.
struct Target: Hashable, Sendable {
    var outcome: Located<String>
    var rate: Rate
}

/// The customer side of the design.
public struct CustomerSpec: Hashable, Sendable {
    package var attributes: [Attribute] = []
    var committee: [Located<String>] = []
    var neverAskTwice: [Located<String>] = []
    var maxHandoffs: Int?
    var maxLoops: Int = 1
    /// Where `max_loops` is written, when it is.
    var maxLoopsLocation: Location?
    var maxOwnerChanges: Int = 1
    var promises: [Promise] = []
    /// Expected outcome rates the design must reach.
    var targets: [Target] = []

    func attribute(named name: String) -> Attribute? { attributes.first { $0.name == name } }
}

/// A whole design: the root file and everything it includes.
public struct Design: Hashable, Sendable {
    public internal(set) var name: String?
    /// The root file's display path.
    public internal(set) var file: String
    public internal(set) var calendar: BusinessCalendar = .standard
    public internal(set) var customer = CustomerSpec()
    /// In the order written, root file first, then includes in order.
    public internal(set) var entries: [Entry] = []
    public internal(set) var stages: [Stage] = []
    public internal(set) var stageIndex: [String: Int] = [:]

    public init(file: String) { self.file = file }

    public func stage(_ id: String) -> Stage? { stageIndex[id].map { stages[$0] } }
}
