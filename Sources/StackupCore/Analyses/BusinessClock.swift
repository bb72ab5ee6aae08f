/// Calendar arithmetic on a week of minutes. Times are minutes since Monday 00:00 of week 0,
/// as `Double`; business time runs only in the calendar's working hours on its workdays.
package struct BusinessClock: Hashable, Sendable {
    static let week = 10_080.0
    static let day = 1_440.0

    /// Working minutes in one day and in one week.
    let dayLength: Double
    let weekLength: Double
    /// Minutes after midnight at which work starts and ends.
    private let start: Double
    private let end: Double
    /// The week's shape packed in integers, so that the clock holds no references (copying
    /// it in the sampling loop costs no reference counting) and reading a day's figures is a
    /// shift and a mask, with no table to index and so no bounds check. Bit d of
    /// `workdayBits` is set when weekday d (Monday = 0) works; 3-bit field d of
    /// `workdaysBefore` counts the working days before weekday d; 3-bit field j of
    /// `workdayOrder` is the weekday of the j-th working day.
    private let workdayBits: UInt32
    private let workdaysBefore: UInt32
    private let workdayOrder: UInt32
    private let startMinute: Int64
    /// Whole working minutes in a day and in a week, as divisors for the integer path.
    private let perDay: Divisor
    private let perWeek: Divisor

    init(_ calendar: BusinessCalendar) {
        dayLength = Double(calendar.workdayMinutes)
        start = Double(calendar.startMinute)
        end = Double(calendar.endMinute)
        var workdayBits: UInt32 = 0, workdaysBefore: UInt32 = 0, workdayOrder: UInt32 = 0
        var workdays: UInt32 = 0
        for (i, day) in Weekday.allCases.enumerated() {
            workdaysBefore |= workdays << UInt32(3 * i)
            if calendar.workdays.contains(day) {
                workdayBits |= 1 << UInt32(i)
                workdayOrder |= UInt32(i) << (3 * workdays)
                workdays += 1
            }
        }
        self.workdayBits = workdayBits
        self.workdaysBefore = workdaysBefore
        self.workdayOrder = workdayOrder
        startMinute = Int64(calendar.startMinute)
        let cumulative = Double(workdays) * Double(calendar.workdayMinutes)
        weekLength = cumulative
        perDay = Divisor(UInt64(max(calendar.workdayMinutes, 1)))
        perWeek = Divisor(UInt64(max(cumulative, 1)))
    }

    /// 1 when weekday `d` (0...6) works, else 0.
    @inline(__always)
    private func works(_ d: Int) -> Double { Double((workdayBits &>> UInt32(truncatingIfNeeded: d)) & 1) }

    /// Working minutes in the week before weekday `d` (0...6) starts.
    @inline(__always)
    private func before(_ d: Int) -> Double { Double((workdaysBefore &>> UInt32(truncatingIfNeeded: 3 &* d)) & 7) * dayLength }

    /// The minute of the week at which working day `j` (0-based, below the workdays) opens.
    @inline(__always)
    private func opens(_ j: Int) -> Int64 { Int64((workdayOrder &>> UInt32(truncatingIfNeeded: 3 &* j)) & 7) &* 1_440 &+ startMinute }

    /// Working minutes from the start of the week to minute `m` of the week (0 ≤ m ≤ a week).
    @inline(__always)
    func workedBefore(minuteOfWeek m: Double) -> Double {
        // Times are never negative, so truncation is the floor (and cheaper than libm's).
        let d = min(max(Int(m / BusinessClock.day), 0), 6)
        return workedBefore(day: d, within: m - Double(d) * BusinessClock.day)
    }

    /// Working minutes from the start of the week to `within` minutes into weekday `d`.
    @inline(__always)
    private func workedBefore(day d: Int, within: Double) -> Double {
        before(d) + works(d) * min(max(within - start, 0), dayLength)
    }

    /// The earliest minute of the week by which `r` working minutes have passed (0 < r ≤ a
    /// working week): the end of a working stretch rather than the next morning.
    func minute(afterWorking r: Double) -> Double {
        for d in 0..<7 where works(d) > 0 {
            if r <= before(d) + dayLength {
                return Double(d) * BusinessClock.day + start + (r - before(d))
            }
        }
        return BusinessClock.week
    }

    /// `t` plus `minutes` of working time. Monotone in `t`; adding zero returns `t`.
    ///
    /// In whole minutes and integers where it can: floating-point division and the conversions
    /// around it made a long chain of dependent steps, and the search for the working day a
    /// mispredicted branch; this path has neither. It gives the same result to the bit as
    /// `addBusinessByDivision` (a test compares them), which handles what it cannot.
    @inline(__always)
    func addBusiness(_ t: Double, _ minutes: Double) -> Double {
        guard minutes > 0, weekLength > 0 else { return t }
        // The divisors are exact for numerators below 2^32 minutes, about 8,000 years.
        guard t >= 0, t < 4e9, minutes < 4e9 else { return addBusinessByDivision(t, minutes) }
        // Conversions go through Int64: between UInt64 and Double, x86-64 needs a sequence of
        // instructions with a branch; between Int64 and Double, one.
        // Past the guard every integer below is under 2^33, so the arithmetic wraps rather than
        // checks for overflow, which it cannot.
        let whole = Int64(t)
        let fraction = t - Double(whole)
        let week = whole / 10_080
        let minuteOfWeek = whole &- week &* 10_080
        let d = Int(truncatingIfNeeded: minuteOfWeek / 1_440)
        let within = Double(minuteOfWeek &- Int64(d) &* 1_440) + fraction
        let target = workedBefore(day: d, within: within) + minutes
        // The working minute in which the target ends, counted from the start of this week,
        // and how far into it: a target on a whole minute ends the minute before, so that
        // work ends at closing time rather than the next morning.
        var k = Int64(target)
        if Double(k) == target { k &-= 1 }
        let into = target - Double(k)
        // k ≥ 0: the target is positive.
        let weeks = perWeek.quotient(UInt64(bitPattern: k))
        let ofWeek = UInt64(bitPattern: k) &- weeks &* perWeek.divisor
        return Double(week &+ Int64(bitPattern: weeks)) * BusinessClock.week + (Double(startOfWorkingMinute(ofWeek)) + into)
    }

    /// The minute of the week at which working minute `k` of the week (0-based, below the
    /// week's working minutes) starts.
    @inline(__always)
    private func startOfWorkingMinute(_ k: UInt64) -> Int64 {
        let day = perDay.quotient(k)
        return opens(Int(truncatingIfNeeded: day)) &+ Int64(bitPattern: k &- day &* perDay.divisor)
    }

    /// `addBusiness` by floating-point division, for every `t` and `minutes`.
    func addBusinessByDivision(_ t: Double, _ minutes: Double) -> Double {
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

    /// Working minutes from the start of week 0 to instant `t` (t ≥ 0).
    func workedSinceEpoch(_ t: Double) -> Double {
        guard t > 0 else { return 0 }
        let weeks = (t / BusinessClock.week).rounded(.down)
        return weeks * weekLength + workedBefore(minuteOfWeek: t - weeks * BusinessClock.week)
    }

    /// Working minutes between two instants: how much business time a customer lived through.
    func workingMinutes(from a: Double, to b: Double) -> Double {
        guard b > a else { return 0 }
        return max(0, workedSinceEpoch(b) - workedSinceEpoch(a))
    }

    /// The time from `a` to `b` in a measure: calendar minutes, or working minutes.
    @inline(__always)
    func elapsed(from a: Double, to b: Double, in measure: TimeMeasure) -> Double {
        measure == .calendar ? b - a : workingMinutes(from: a, to: b)
    }

    /// True when minute `m` of the week is working time.
    func isWorking(minuteOfWeek m: Double) -> Bool {
        let d = min(max(Int((m / BusinessClock.day).rounded(.down)), 0), 6)
        let within = m - Double(d) * BusinessClock.day
        return works(d) > 0 && within >= start && within < end
    }

    /// The start of the working minute with this index in the week (0-based), for drawing
    /// arrival instants uniformly over working time.
    @inline(__always)
    func workingMinute(_ index: Int) -> Double {
        guard index >= 0, Double(index) < weekLength else { return minute(afterWorking: Double(index) + 1) - 1 }
        return Double(startOfWorkingMinute(UInt64(index)))
    }
}

/// Unsigned division by a divisor fixed at run time, as a multiplication: ⌊n / d⌋ is the high
/// word of M · n with M = ⌊(2^64 − 1) / d⌋ + 1, exact for n and d below 2^32 (Lemire, Kaser
/// and Kurz, "Faster remainder by direct computation", 2019).
struct Divisor: Hashable, Sendable {
    let divisor: UInt64
    /// M, or 0 for d = 1, whose M does not fit.
    private let multiplier: UInt64

    init(_ d: UInt64) {
        divisor = max(d, 1)
        multiplier = divisor == 1 ? 0 : UInt64.max / divisor &+ 1
    }

    /// ⌊n / divisor⌋ for n below 2^32.
    @inline(__always)
    func quotient(_ n: UInt64) -> UInt64 {
        multiplier == 0 ? n : multiplier.multipliedFullWidth(by: n).high
    }
}

/// How long a stage or delay takes on a clock: calendar minutes, or working minutes.
struct ClockDuration: Hashable, Sendable {
    var minutes: Double
    var isBusiness: Bool

    static let zero = ClockDuration(minutes: 0, isBusiness: false)

    /// Applies the duration to an instant.
    @inline(__always)
    func added(to t: Double, on clock: BusinessClock) -> Double {
        isBusiness ? clock.addBusiness(t, minutes) : t + minutes
    }
}
