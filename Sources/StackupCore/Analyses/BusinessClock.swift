/// Calendar arithmetic on a week of minutes. Times are minutes since Monday 00:00 of week 0,
/// as `Double`; business time runs only in the calendar's working hours on its workdays.
public struct BusinessClock: Hashable, Sendable {
    public static let week = 10_080.0
    public static let day = 1_440.0

    /// Working minutes in one day and in one week.
    public let dayLength: Double
    public let weekLength: Double
    /// Minutes after midnight at which work starts and ends.
    private let start: Double
    private let end: Double
    /// Per weekday (Monday first): working minutes before it, and 1 when it works. Fixed-size
    /// vectors rather than arrays, so that the clock holds no references and copying it in
    /// the sampling loop costs no reference counting.
    private let before: SIMD8<Double>
    private let works: SIMD8<Double>

    public init(_ calendar: BusinessCalendar) {
        dayLength = Double(calendar.workdayMinutes)
        start = Double(calendar.startMinute)
        end = Double(calendar.endMinute)
        var works = SIMD8<Double>(repeating: 0)
        var before = SIMD8<Double>(repeating: 0)
        var cumulative = 0.0
        for (i, day) in Weekday.allCases.enumerated() {
            before[i] = cumulative
            if calendar.workdays.contains(day) {
                works[i] = 1
                cumulative += Double(calendar.workdayMinutes)
            }
        }
        self.before = before
        self.works = works
        weekLength = cumulative
    }

    /// Working minutes from the start of the week to minute `m` of the week (0 ≤ m ≤ a week).
    @inline(__always)
    public func workedBefore(minuteOfWeek m: Double) -> Double {
        // Times are never negative, so truncation is the floor (and cheaper than libm's).
        let d = min(max(Int(m / BusinessClock.day), 0), 6)
        let within = m - Double(d) * BusinessClock.day
        guard works[d] > 0 else { return before[d] }
        return before[d] + min(max(within - start, 0), dayLength)
    }

    /// The earliest minute of the week by which `r` working minutes have passed (0 < r ≤ a
    /// working week): the end of a working stretch rather than the next morning.
    func minute(afterWorking r: Double) -> Double {
        for d in 0..<7 where works[d] > 0 {
            if r <= before[d] + dayLength {
                return Double(d) * BusinessClock.day + start + (r - before[d])
            }
        }
        return BusinessClock.week
    }

    /// `t` plus `minutes` of working time. Monotone in `t`; adding zero returns `t`.
    @inline(__always)
    public func addBusiness(_ t: Double, _ minutes: Double) -> Double {
        guard minutes > 0, weekLength > 0 else { return t }
        let weekIndex = t >= 0 && t < 1e15 ? Double(Int(t / BusinessClock.week)) : (t / BusinessClock.week).rounded(.down)
        let m = t - weekIndex * BusinessClock.week
        let target = workedBefore(minuteOfWeek: m) + minutes
        var weeks = target < 1e15 ? Double(Int(target / weekLength)) : (target / weekLength).rounded(.down)
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
        return works[d] > 0 && within >= start && within < end
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
    @inline(__always)
    public func added(to t: Double, on clock: BusinessClock) -> Double {
        isBusiness ? clock.addBusiness(t, minutes) : t + minutes
    }
}
