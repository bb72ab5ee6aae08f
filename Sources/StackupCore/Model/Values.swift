/// A length of time as written: an amount and a unit. Business units elapse only in the
/// calendar's working time.
public struct Duration: Hashable, Sendable, CustomStringConvertible {
    /// The unit of a duration.
    package enum Unit: String, Sendable, CaseIterable {
        case minutes = "m", hours = "h", days = "d", weeks = "w"
        case businessHours = "bh", businessDays = "bd"

        /// True for units that elapse only in working time.
        var isBusiness: Bool { self == .businessHours || self == .businessDays }
    }

    var amount: Double
    var unit: Unit

    package init(_ amount: Double, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// Calendar minutes for calendar units; nil for business units, which depend on the
    /// starting instant.
    var calendarMinutes: Double? {
        switch unit {
        case .minutes: return amount
        case .hours: return amount * 60
        case .days: return amount * 1440
        case .weeks: return amount * 10080
        case .businessHours, .businessDays: return nil
        }
    }

    /// Working minutes for business units on a calendar with `workdayMinutes` per day.
    func businessMinutes(workdayMinutes: Int) -> Double? {
        switch unit {
        case .businessHours: return amount * 60
        case .businessDays: return amount * Double(workdayMinutes)
        default: return nil
        }
    }

    /// Minutes on the duration's own clock: calendar minutes, or working minutes of a calendar
    /// whose working day has `workdayMinutes` minutes.
    package func minutes(workdayMinutes: Int) -> Double {
        calendarMinutes ?? businessMinutes(workdayMinutes: workdayMinutes) ?? 0
    }

    /// The nominal length in hours, as people read an SLA: a business day as one calendar
    /// day and a business hour as one hour (rules.md, `business-hours-stackup`).
    var nominalHours: Double {
        switch unit {
        case .minutes: return amount / 60
        case .hours, .businessHours: return amount
        case .days, .businessDays: return amount * 24
        case .weeks: return amount * 168
        }
    }

    public var description: String { "\(NumberFormatting.plain(amount))\(unit.rawValue)" }
}

/// How a length of time is measured: calendar time, or the working time of a calendar whose
/// working day has `workdayMinutes` minutes.
public enum TimeMeasure: Hashable, Sendable {
    case calendar
    case business(workdayMinutes: Int)

    /// How a promise is measured: business time when its budgets are in `bh`/`bd`.
    public init(_ promise: Promise, calendar: BusinessCalendar) {
        self = promise.isBusinessTime ? .business(workdayMinutes: calendar.workdayMinutes) : .calendar
    }
}

/// A rate of arrivals or of work, normalised to customers per week.
public struct Rate: Hashable, Sendable, CustomStringConvertible {
    /// The unit a rate was written in.
    package enum Unit: String, Sendable, CaseIterable {
        case hour, day, week, month

        /// Weeks in one unit; a month is 30 days.
        var weeks: Double {
            switch self {
            case .hour: return 1.0 / 168
            case .day: return 1.0 / 7
            case .week: return 1
            case .month: return 30.0 / 7
            }
        }
    }

    /// Customers per week, or nil for `unlimited`.
    var perWeek: Double?
    /// The text as written, for messages.
    var text: String
    /// The unit it was written in (week for `unlimited`).
    var unit: Unit = .week

    init(amount: Double, unit: Unit) {
        perWeek = amount / unit.weeks
        text = "\(NumberFormatting.plain(amount))/\(unit.rawValue)"
        self.unit = unit
    }

    static let unlimited = Rate(unlimited: ())

    private init(unlimited: Void) {
        perWeek = nil
        text = "unlimited"
    }

    var isUnlimited: Bool { perWeek == nil }
    public var description: String { text }
}

/// How long a stage or a handoff takes, as a distribution.
public enum TimeSpec: Hashable, Sendable {
    /// Always exactly this long.
    case fixed(Duration)
    /// A hard bound, uniform on [0, D] when sampled.
    case within(Duration)
    /// Percentiles with an optional truncation at `max`.
    case percentiles(p50: Duration?, p90: Duration?, p99: Duration?, max: Duration?)

    /// The bound used for the worst case: `max`, else p99, else `within`, else fixed
    /// (rules.md), falling back to the highest percentile given.
    var worstCase: Duration {
        switch self {
        case .fixed(let d), .within(let d): return d
        case .percentiles(let p50, let p90, let p99, let max):
            return max ?? p99 ?? p90 ?? p50 ?? Duration(0, .minutes)
        }
    }

    /// True when the spec has an upper bound (`fixed`, `within`, or a `max`): otherwise its
    /// worst case is its highest percentile, which some customers exceed.
    public var isBounded: Bool {
        switch self {
        case .fixed, .within: return true
        case .percentiles(_, _, _, let max): return max != nil
        }
    }

    /// The stage's SLA bound for `queue-breaks-sla`: p90, else max, else within.
    var slaBound: Duration {
        switch self {
        case .fixed(let d), .within(let d): return d
        case .percentiles(let p50, let p90, let p99, let max):
            return p90 ?? max ?? p99 ?? p50 ?? Duration(0, .minutes)
        }
    }

    /// Every duration in the spec.
    var durations: [Duration] {
        switch self {
        case .fixed(let d), .within(let d): return [d]
        case .percentiles(let p50, let p90, let p99, let max): return [p50, p90, p99, max].compactMap { $0 }
        }
    }
}

/// A stage's capacity: `people` servers each working at `each`.
public struct Capacity: Hashable, Sendable {
    var people: Int
    var each: Rate
    /// Coefficient of variation of the effort; 1 means exponential.
    var cv: Double

    init(people: Int, each: Rate, cv: Double = 1) {
        self.people = people
        self.each = each
        self.cv = cv
    }

    /// No queueing at all.
    static let unlimited = Capacity(people: 1, each: .unlimited)

    var isUnlimited: Bool { each.isUnlimited }

    /// Customers per week the stage can handle, or nil when unlimited.
    var perWeek: Double? { each.perWeek.map { $0 * Double(people) } }
}
