import Testing
@testable import StackupCore
@testable import StackupReporters

/// The pieces together, the truth test in small: a simulated log of a design, read back, gives
/// each stage's declared percentiles inside the Kaplan–Meier intervals, with and without a cut-off
/// in the middle (where the completed cases alone are biased low).
@Suite struct LogRoundTripTests {
    static let design = """
    stackup: 1
    entries:
      web: {to: sdr, rate: 200/week}
    stages:
      sdr:
        owns_relationship: true
        sla: {p50: 2h, p90: 8h}
        routes:
          - {to: ae, share: 0.6}
          - to: lost
      ae:
        owns_relationship: true
        sla: {p50: 3d, p90: 9d}
        routes:
          - to: won
      won: {outcome: won}
      lost: {outcome: lost}
    """

    @Test func declaredPercentilesLieInsideTheMeasuredIntervals() throws {
        let design = try #require(Checker.check(text: Self.design).design)
        let run = Simulation.run(design: design, options: .init(customers: 4_000, seed: 3, recordsVisits: true))
        let csv = Array(EventLogReporter.csv(run.log, stageIds: design.stages.map(\.id), start: 1_767_571_200).utf8)
        var log = LongCSVLog(columns: .init(left: "left"))
        log.feed(csv)
        let read = try log.finish().get()
        #expect(read.events.count == run.log.count)
        let journeys = LogJourneys(events: read.events, design: design)
        let latest = read.events.map(\.time).max() ?? 0
        for (stage, p50, p90) in [("sdr", 2.0, 8.0), ("ae", 72.0, 216.0)] {
            let s = try #require(design.stageIndex[stage])
            let km = KaplanMeier(journeys.stageTimes(design: design, asOf: latest)[s])
            for (p, truth) in [(0.5, p50), (0.9, p90)] {
                guard case .value(_, let low, let high?) = km.percentile(p) else { Issue.record("\(stage) p\(p)"); continue }
                #expect(low / 3600 <= truth && truth <= high / 3600, "\(stage) p\(Int(p * 100)): \(low / 3600)–\(high / 3600) h against \(truth) h")
            }
        }
        // The shares out of `sdr` and the arrival rate hold the declared 60% and 200 a week.
        let sdr = try #require(design.stageIndex["sdr"]), ae = try #require(design.stageIndex["ae"]), lost = try #require(design.stageIndex["lost"])
        let shares = try #require(journeys.shares()[sdr])
        let toAE = try #require(shares.first { $0.to == ae }).share, toLost = try #require(shares.first { $0.to == lost }).share
        #expect(toAE.low <= 0.6 && 0.6 <= toAE.high, "\(toAE)")
        #expect(toLost.low <= 0.4 && 0.4 <= toLost.high, "\(toLost)")
        // Over the span of the arrivals themselves (a real log runs to its cut-off).
        let firsts = journeys.cases.compactMap(\.visits.first?.entered)
        let weeks = ((firsts.max() ?? 0) - (firsts.min() ?? 0)) / (7 * 86_400)
        let rate = try #require(journeys.arrivals(weeks: weeks)[sdr])
        #expect(rate.cases == 4_000)
        #expect(rate.perWeek.low <= 200 && 200 <= rate.perWeek.high, "\(rate.perWeek)")
        // Cut in the middle: Kaplan–Meier still holds ae's median; the cases that finished are
        // biased low, since the long ones are the ones still there.
        let first = read.events.map(\.time).min() ?? 0
        let cut = first + (latest - first) / 2
        let times = journeys.stageTimes(design: design, asOf: cut)[ae]
        #expect(times.contains { !$0.left })
        guard case .value(_, let low, let high?) = KaplanMeier(times).percentile(0.5) else { Issue.record("ae median at the cut"); return }
        #expect(low / 3600 <= 72 && 72 <= high / 3600, "\(low / 3600)–\(high / 3600) h")
        let completed = times.filter(\.left).map(\.time).sorted()
        let naive = completed[completed.count / 2] / 3600
        #expect(naive < 72, "the completed-cases median \(naive) h is not below the truth")
    }
}
