/// Calendar arithmetic on a week of minutes. Times are minutes since Monday 00:00 of week 0,
/// as `Double`; business time runs only in the calendar's working hours on its workdays.
public struct BusinessClock: Hashable, Sendable {
    public static let week = 10_080.0
    public static let day = 1_440.0

    public let calendar: BusinessCalendar
    /// Working minutes in one day and in one week.
    public let dayLength: Double
    public let weekLength: Double
    /// Working minutes before the start of each weekday (Monday first), and whether it works.
    private let before: [Double]
    private let works: [Bool]

    public init(_ calendar: BusinessCalendar) {
        self.calendar = calendar
        dayLength = Double(calendar.workdayMinutes)
        works = Weekday.allCases.map { calendar.workdays.contains($0) }
        var cumulative = 0.0
        var before: [Double] = []
        for w in works {
            before.append(cumulative)
            if w { cumulative += Double(calendar.workdayMinutes) }
        }
        self.before = before
        weekLength = cumulative
    }

    /// Working minutes from the start of the week to minute `m` of the week (0 ≤ m ≤ a week).
    public func workedBefore(minuteOfWeek m: Double) -> Double {
        let d = min(max(Int((m / BusinessClock.day).rounded(.down)), 0), 6)
        let within = m - Double(d) * BusinessClock.day
        guard works[d] else { return before[d] }
        let start = Double(calendar.startMinute)
        return before[d] + min(max(within - start, 0), dayLength)
    }

    /// The earliest minute of the week by which `r` working minutes have passed (0 < r ≤ a
    /// working week): the end of a working stretch rather than the next morning.
    func minute(afterWorking r: Double) -> Double {
        for d in 0..<7 where works[d] {
            if r <= before[d] + dayLength {
                return Double(d) * BusinessClock.day + Double(calendar.startMinute) + (r - before[d])
            }
        }
        return BusinessClock.week
    }

    /// `t` plus `minutes` of working time. Monotone in `t`; adding zero returns `t`.
    public func addBusiness(_ t: Double, _ minutes: Double) -> Double {
        guard minutes > 0, weekLength > 0 else { return t }
        let weekIndex = (t / BusinessClock.week).rounded(.down)
        let m = t - weekIndex * BusinessClock.week
        let target = workedBefore(minuteOfWeek: m) + minutes
        var weeks = (target / weekLength).rounded(.down)
        var r = target - weeks * weekLength
        if r <= 0 {
            weeks -= 1
            r += weekLength
        }
        return (weekIndex + weeks) * BusinessClock.week + minute(afterWorking: r)
    }

    /// True when minute `m` of the week is working time.
    public func isWorking(minuteOfWeek m: Double) -> Bool {
        let d = min(max(Int((m / BusinessClock.day).rounded(.down)), 0), 6)
        let within = m - Double(d) * BusinessClock.day
        return works[d] && within >= Double(calendar.startMinute) && within < Double(calendar.endMinute)
    }

    /// The start of the working minute with this index in the week (0-based), for drawing
    /// arrival instants uniformly over working time.
    public func workingMinute(_ index: Int) -> Double {
        minute(afterWorking: Double(index) + 1) - 1
    }
}

/// How long a stage or delay takes on a clock: calendar minutes, or working minutes.
public struct ClockDuration: Hashable, Sendable {
    public var minutes: Double
    public var isBusiness: Bool

    public static let zero = ClockDuration(minutes: 0, isBusiness: false)

    /// Applies the duration to an instant.
    public func added(to t: Double, on clock: BusinessClock) -> Double {
        isBusiness ? clock.addBusiness(t, minutes) : t + minutes
    }
}

extension Duration {
    /// The duration on a clock: business units in working minutes, others in calendar minutes.
    public func onClock(_ calendar: BusinessCalendar) -> ClockDuration {
        if let m = calendarMinutes { return ClockDuration(minutes: m, isBusiness: false) }
        return ClockDuration(minutes: businessMinutes(workdayMinutes: calendar.workdayMinutes) ?? 0, isBusiness: true)
    }
}
