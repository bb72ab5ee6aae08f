/// ISO 8601 in UTC without Foundation's formatters, so that output is byte-stable everywhere.
public enum ISOTime {
    /// `2026-01-05T09:30:00Z` for a Unix time in seconds (years 0 to 9999; others clamp).
    public static func format(_ unix: Int64) -> String {
        let clamped = min(max(unix, -62_167_219_200), 253_402_300_799)
        let days = Int64((Double(clamped) / 86_400).rounded(.down))
        let secondOfDay = clamped - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        return "\(year)-\(two(m))-\(two(d))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// Days since 1970-01-01 → year, month, day (the proleptic Gregorian calendar; Howard
    /// Hinnant's `civil_from_days`).
    public static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01 of a date (the inverse, Hinnant's `days_from_civil`).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A date `YYYY-MM-DD` as a Unix time at 00:00 UTC, and its weekday (Monday 0); nil for
    /// anything else or a day that does not exist.
    public static func parseDate(_ text: String) -> (unix: Int64, weekday: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]), (1...12).contains(m), (1...31).contains(d) else { return nil }
        let days = days(year: y, month: m, day: d)
        // A day past the month's end comes back as another date.
        guard civil(fromDays: days) == (y, m, d) else { return nil }
        // 1970-01-01 was a Thursday (3, counting Monday as 0).
        let weekday = Int(((days % 7) + 7 + 3) % 7)
        return (days * 86_400, weekday)
    }
}
