import Testing
@testable import StackupCore

/// Events into journeys through a design, and the stage times Kaplan–Meier reads.
@Suite struct LogJourneysTests {
    static let design = """
    stackup: 1
    entries:
      web: {to: sdr, rate: 10/week}
    stages:
      sdr:
        owns_relationship: true
        routes:
          - {to: ae, share: 0.5}
          - to: lost
      ae:
        owns_relationship: true
        routes:
          - to: won
      won: {outcome: won}
      lost: {outcome: lost}
    """

    func event(_ c: String, _ a: String, _ hours: Double, left: Double? = nil) -> LongCSVLog.Event {
        LongCSVLog.Event(caseId: c, activity: a, time: hours * 3600, left: left.map { $0 * 3600 }, dateOnly: false, line: 0)
    }

    @Test func visitsChainAndRepeatedRowsCollapse() throws {
        let design = try #require(Checker.check(text: Self.design).design)
        let events = [
            event("c1", "SDR call", 0), event("c1", "SDR call", 2), event("c1", "Demo scheduled", 3), event("c1", "ae", 5), event("c1", "won", 30),
            event("c2", "sdr", 1), event("c2", "lost", 4),
            event("c3", "sdr", 2),
        ]
        let journeys = LogJourneys(events: events, design: design, map: ["SDR call": "sdr"])
        #expect(journeys.events == 8)
        #expect(journeys.unknownActivities == ["Demo scheduled": 1])
        #expect(journeys.cases.map(\.id) == ["c1", "c2", "c3"])
        let sdr = try #require(design.stageIndex["sdr"]), ae = try #require(design.stageIndex["ae"])
        // c1: one sdr visit from 0 to 5 (the repeated row and the unknown activity between).
        #expect(journeys.cases[0].visits.map(\.stage) == [sdr, ae, design.stageIndex["won"]!])
        #expect(journeys.cases[0].visits[0] == .init(stage: sdr, entered: 0, left: 5 * 3600))
        // Times in sdr: c1 5 h and c2 3 h left; c3 is still there at the cut-off, 8 h in.
        let times = journeys.stageTimes(design: design, asOf: 10 * 3600)
        #expect(times[sdr].map { "\($0.time / 3600):\($0.left)" } == ["5.0:true", "3.0:true", "8.0:false"])
        // c1 left ae at 30 h: at a cut-off of 10 h it has been there 5 h and is censored.
        #expect(times[ae].map { "\($0.time / 3600):\($0.left)" } == ["5.0:false"])
        #expect(journeys.stageTimes(design: design, asOf: 40 * 3600)[ae].map { "\($0.time / 3600):\($0.left)" } == ["25.0:true"])
        let moves = journeys.moves()
        #expect(moves[.init(from: sdr, to: ae)]?.moves == 1)
        #expect(moves[.init(from: sdr, to: design.stageIndex["lost"]!)]?.cases == ["c2"])
        // Shares out of sdr count the two visits that moved on; c3, still there, is not counted.
        let shares = try #require(journeys.shares()[sdr])
        #expect(shares.map(\.moves) == [1, 1])
        #expect(shares.map(\.share.value) == [0.5, 0.5])
        #expect(journeys.arrivals(weeks: 2)[sdr]?.cases == 3)
        #expect(journeys.arrivals(weeks: 2)[sdr]?.perWeek.value == 1.5)
    }

    /// Rows out of time order are put in order; rows at one time keep the file's order.
    @Test func eventsAreOrderedByTime() throws {
        let design = try #require(Checker.check(text: Self.design).design)
        let journeys = LogJourneys(events: [event("c1", "ae", 5), event("c1", "sdr", 0), event("c1", "won", 9)], design: design)
        #expect(journeys.cases[0].visits.map { design.stages[$0.stage].id } == ["sdr", "ae", "won"])
    }
}
