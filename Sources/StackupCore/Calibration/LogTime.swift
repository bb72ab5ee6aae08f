import Foundation

/// Times in event logs as CRMs and process-mining tools write them, read into Unix seconds:
/// ISO 8601 with a zone (`2026-01-05T09:30:00Z`, `…+01:00`, Salesforce's `….000+0000`), without
/// one (then the log's zone applies: `--tz`, UTC by default), with a space for the `T`
/// (HubSpot), or a date alone (midnight in the log's zone, and counted as date-only).
package struct LogTime: Sendable, Equatable {
    package var seconds: Double
    /// True for a date without a time of day: a stage measured from such values says so.
    package var dateOnly: Bool

    /// The zone for times written without one: a fixed offset, or a named zone whose offset
    /// follows its daylight-saving rules at the time read.
    package enum Zone: Sendable, Equatable {
        case offset(seconds: Int)
        case named(String)

        package static let utc = Zone.offset(seconds: 0)

        /// `UTC`, `+01:00`, `-0530`, or an IANA name such as `Europe/Berlin`; nil for others.
        package static func parse(_ text: String) -> Zone? {
            if text == "UTC" || text == "Z" { return .utc }
            if let offset = LogTime.offset(Array(text.utf8)[...]) { return .offset(seconds: offset) }
            return TimeZone(identifier: text) != nil ? .named(text) : nil
        }

        /// Seconds east of UTC at the instant `utc`: local time is `utc` plus this.
        func secondsEast(atUTC utc: Double) -> Int {
            switch self {
            case .offset(let s): return s
            case .named(let name): return TimeZone(identifier: name)?.secondsFromGMT(for: Date(timeIntervalSince1970: utc)) ?? 0
            }
        }

        /// Seconds east of UTC at the local time `local` (UTC is `local` minus this).
        func secondsFromUTC(local: Double) -> Int {
            switch self {
            case .offset(let s): return s
            case .named(let name):
                guard let zone = TimeZone(identifier: name) else { return 0 }
                // The offset at the local time, found from the instant it names under the
                // offset that applies there (a second pass settles a change of offset).
                let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local))
                return zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(guess)))
            }
        }
    }

    /// The time a log value names; nil for anything that is not one of the forms above, or a
    /// year outside 1900–2999 (a year 10000 is a typo, not a date).
    package static func parse(_ text: String, zone: Zone = .utc) -> LogTime? {
        let b = Array(text.utf8)
        guard b.count >= 10, let year = number(b, 0, 4), b[4] == 0x2D, let month = number(b, 5, 2), b[7] == 0x2D, let day = number(b, 8, 2),
              (1900...2999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = ISOTime.days(year: Int64(year), month: Int64(month), day: Int64(day))
        guard ISOTime.civil(fromDays: days) == (Int64(year), Int64(month), Int64(day)) else { return nil }
        let midnight = Double(days) * 86_400
        if b.count == 10 { return LogTime(seconds: midnight - Double(zone.secondsFromUTC(local: midnight)), dateOnly: true) }
        guard b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20, b.count >= 16,
              let hour = number(b, 11, 2), b[13] == 0x3A, let minute = number(b, 14, 2), hour < 24, minute < 60 else { return nil }
        var i = 16
        var second = 0.0
        if i < b.count, b[i] == 0x3A {
            guard let s = number(b, i + 1, 2), s < 61 else { return nil }
            second = Double(min(s, 59))
            i += 3
            // Fractions of a second, to the millisecond at most that matters here.
            if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
                var j = i + 1, scale = 0.1
                while j < b.count, b[j] >= 0x30, b[j] <= 0x39 {
                    second += Double(b[j] - 0x30) * scale
                    scale /= 10
                    j += 1
                }
                guard j > i + 1 else { return nil }
                i = j
            }
        }
        let local = midnight + Double(hour * 3600 + minute * 60) + second
        if i == b.count { return LogTime(seconds: local - Double(zone.secondsFromUTC(local: local)), dateOnly: false) }
        let rest = b[i...]
        if rest.count == 1, rest.first == 0x5A || rest.first == 0x7A { return LogTime(seconds: local, dateOnly: false) }
        guard let offset = offset(rest) else { return nil }
        return LogTime(seconds: local - Double(offset), dateOnly: false)
    }

    /// `+01:00`, `-0530`, `+01`: seconds east of UTC.
    static func offset(_ b: ArraySlice<UInt8>) -> Int? {
        let a = Array(b)
        guard let sign = a.first, sign == 0x2B || sign == 0x2D else { return nil }
        let digits = a.dropFirst().filter { $0 != 0x3A }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        // A colon, if any, sits between the hours and the minutes.
        if a.count == 6, a[3] != 0x3A { return nil }
        if a.count != 3 && a.count != 5 && a.count != 6 { return nil }
        let d = digits.map { Int($0 - 0x30) }
        let hours = d[0] * 10 + d[1], minutes = d.count == 4 ? d[2] * 10 + d[3] : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// The decimal number in `count` ASCII digits at `start`.
    static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var n = 0
        for k in start..<(start + count) {
            guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
            n = n * 10 + Int(b[k] - 0x30)
        }
        return n
    }
}
