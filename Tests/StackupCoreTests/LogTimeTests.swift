import Testing
@testable import StackupCore

/// Times as CRM exports and event logs write them.
@Suite struct LogTimeTests {
    static let monday = 1_767_571_200.0   // 2026-01-05T00:00:00Z

    @Test(arguments: [
        ("2026-01-05T09:30:00Z", monday + 9.5 * 3600, false),
        ("2026-01-05T09:30:00.250Z", monday + 9.5 * 3600 + 0.25, false),
        ("2026-01-05T09:30:00+01:00", monday + 8.5 * 3600, false),
        ("2026-01-05T09:30:00.000+0000", monday + 9.5 * 3600, false),   // Salesforce
        ("2026-01-05T09:30:00-0530", monday + 15 * 3600, false),
        ("2026-01-05 09:30", monday + 9.5 * 3600, false),               // HubSpot, no zone: UTC
        ("2026-01-05T09:30", monday + 9.5 * 3600, false),
        ("2026-01-05", monday, true),
    ])
    func readsTheCommonForms(text: String, seconds: Double, dateOnly: Bool) throws {
        let t = try #require(LogTime.parse(text), "\(text)")
        #expect(abs(t.seconds - seconds) < 1e-6, "\(text): \(t.seconds)")
        #expect(t.dateOnly == dateOnly)
    }

    @Test func theLogsZoneAppliesToTimesWithoutOne() throws {
        // Berlin is UTC+1 in January and UTC+2 in July.
        let berlin = try #require(LogTime.Zone.parse("Europe/Berlin"))
        #expect(try #require(LogTime.parse("2026-01-05T09:30:00", zone: berlin)).seconds == Self.monday + 8.5 * 3600)
        let july = try #require(LogTime.parse("2026-07-06T09:30:00", zone: berlin)).seconds
        #expect(july == 1_783_296_000 + 7.5 * 3600)
        // A time with its own zone keeps it.
        #expect(try #require(LogTime.parse("2026-01-05T09:30:00Z", zone: berlin)).seconds == Self.monday + 9.5 * 3600)
        #expect(LogTime.Zone.parse("+05:30") == .offset(seconds: 19_800))
        #expect(LogTime.Zone.parse("UTC") == .utc)
        #expect(LogTime.Zone.parse("Mars/Olympus") == nil)
    }

    @Test(arguments: ["", "yesterday", "10000-01-05T00:00:00Z", "2026-02-30", "2026-13-01", "2026-01-05T25:00", "2026-01-05T09:30:00+25:00",
                      "2026-01-05T09:30:00 UTC", "2026/01/05", "05.01.2026", "2026-01-05T09:30:00.Z", "2026-01-05T09"])
    func refusesWhatIsNotATime(text: String) {
        #expect(LogTime.parse(text) == nil, "\(text)")
    }
}
