import Foundation
import Testing
@testable import StackupCore
@testable import StackupReporters

/// The truth test: a design simulated with `--events`'s writer, read back by `calibrate`'s
/// reader and measured, gives back what the design declares, inside the measured intervals,
/// over many seeds; cut in the middle, Kaplan–Meier stays true where the completed cases alone
/// are biased low.
@Suite struct CalibrationRoundTripTests {
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
          - {to: won, share: 0.3}
          - to: lost
      won: {outcome: won}
      lost: {outcome: lost}
    """

    /// A simulated log of the design, through the CSV writer and reader, and its last arrival
    /// (a simulated log stops taking cases there and drains: the cut-off for arrivals).
    static func log(seed: UInt64, customers: Int, design text: String = design) throws -> (log: EventLog, lastArrival: Double) {
        let design = try #require(Checker.check(text: text).design)
        let run = Simulation.run(design: design, options: .init(customers: customers, seed: seed, recordsVisits: true))
        let csv = Array(EventLogReporter.csv(run.log, stageIds: design.stages.map(\.id), start: 1_767_571_200).utf8)
        var handed = false
        let log = try EventLogReader.read(name: "log.csv", options: LogReadOptions()) {
            defer { handed = true }
            return handed ? nil : csv
        }.get()
        let sdr = try #require(design.stageIndex["sdr"])
        let firsts = Dictionary(grouping: run.log, by: \.customer).compactMap { $0.value.min { $0.entered < $1.entered } }
        let last = firsts.filter { $0.stage == sdr }.map(\.entered).max() ?? 0
        return (log, 1_767_571_200 + (last * 60).rounded(.down))
    }

    static func covers(_ hours: Calibration.Hours?, _ truth: Double) -> Bool {
        guard case .value(_, let low, let high?)? = hours else { return false }
        return low <= truth && truth <= high
    }

    @Test func everyIntervalCoversTheTruthInNineOfTenSeeds() throws {
        let design = try #require(Checker.check(text: Self.design).design)
        var covered: [String: Int] = [:]
        let seeds: [UInt64] = Array(1...50)
        for seed in seeds {
            let (log, last) = try Self.log(seed: seed, customers: 1_500)
            let c = Calibration.measure(design: design, log: log, options: CalibrationOptions(asOf: last, seed: seed))
            let sdr = try #require(c.stages.first { $0.id == "sdr" }), ae = try #require(c.stages.first { $0.id == "ae" })
            for (name, hit) in [("sdr p50", Self.covers(sdr.p50, 2)), ("sdr p90", Self.covers(sdr.p90, 8)),
                                ("ae p50", Self.covers(ae.p50, 72)), ("ae p90", Self.covers(ae.p90, 216))] where hit {
                covered[name, default: 0] += 1
            }
            for route in c.routes {
                let truth = try #require(route.designShare)
                if route.share.low <= truth && truth <= route.share.high { covered["\(route.from) → \(route.to)", default: 0] += 1 }
                #expect(!route.designShareSampled)
            }
            let web = try #require(c.entries.first)
            if web.perWeek.low <= 200 && 200 <= web.perWeek.high { covered["web rate", default: 0] += 1 }
            #expect(c.conformance.fitness == 1)
        }
        let figures = ["sdr p50", "sdr p90", "ae p50", "ae p90", "sdr → ae", "sdr → lost", "ae → won", "ae → lost", "web rate"]
        for figure in figures {
            let hits = covered[figure, default: 0]
            #expect(hits * 10 >= seeds.count * 9, "\(figure): the 95% interval held the truth in \(hits) of \(seeds.count) runs")
        }
    }

    /// One run as `calibrate` makes it: no drift finding, every move declared.
    @Test func theDesignsOwnLogGivesNoFinding() throws {
        let (log, last) = try Self.log(seed: 7, customers: 4_000)
        let report = Checker.check(text: Self.design, calibration: CalibrationInput(log: log, options: CalibrationOptions(asOf: last)))
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.rule): \($0.message)" })")
        let c = try #require(report.calibration)
        #expect(c.conformance.fitness == 1 && c.conformance.undeclared.isEmpty && c.conformance.unknownActivities.isEmpty)
        #expect(c.conformance.unvisitedStages.isEmpty)
        #expect(c.stages.map(\.verdict) == [.ok, .ok])
        #expect(c.cases == 4_000)
    }

    /// Cut at the middle of a log whose arrivals take two weeks (arrivals ten times as fast): many cases are
    /// still in `ae`, whose visits take days. Kaplan–Meier's median keeps
    /// the truth inside its interval; the median of the cases that finished is biased low,
    /// since the long visits are the ones still running.
    @Test func censoringAtTheMiddleKeepsKaplanMeierTrueAndTheNaiveMedianLow() throws {
        let fast = Self.design.replacingOccurrences(of: "rate: 200/week", with: "rate: 2000/week")
        let design = try #require(Checker.check(text: fast).design)
        let (log, last) = try Self.log(seed: 11, customers: 4_000, design: fast)
        let first = try #require(log.events.map(\.time).min())
        // The middle of the arrivals (the log's latest time is some rare long visit's end).
        let cut = first + (last - first) / 2
        let c = Calibration.measure(design: design, log: log, options: CalibrationOptions(asOf: cut))
        let ae = try #require(c.stages.first { $0.id == "ae" })
        #expect(ae.censored > 0)
        #expect(Self.covers(ae.p50, 72), "\(String(describing: ae.p50))")
        // A week in, no visit has run as long as the p90 (nine days): it is "above" the longest.
        guard case .above(let bound)? = ae.p90 else { Issue.record("ae p90 \(String(describing: ae.p90)) should be above what a week shows"); return }
        #expect(bound < 216)
        // The completed visits alone, as a spreadsheet would take them.
        let journeys = LogJourneys(events: log.events, design: design)
        let completed = journeys.stageTimes(design: design, asOf: cut)[try #require(design.stageIndex["ae"])].filter(\.left).map { $0.time / 3600 }.sorted()
        let naive = completed[completed.count / 2]
        guard case .value(let km, _, _)? = ae.p50 else { Issue.record("no ae median"); return }
        #expect(naive < 72 * 0.8, "completed-only median \(naive) h against the truth 72 h (Kaplan–Meier \(km) h)")
        print("censoring at the middle: ae median 72 h true, Kaplan–Meier \(NumberFormatting.hours(km)) h, completed only \(NumberFormatting.hours(naive)) h (\(NumberFormatting.percent(1 - naive / 72)) low); p90 above \(NumberFormatting.hours(bound)) h; \(ae.censored) of \(ae.visits) visits censored")
    }

    /// `--write` of the design's own log declares figures inside the intervals, and the
    /// written design loads and checks as the original does.
    @Test func theWrittenDesignHoldsTheMeasuredFigures() throws {
        let (log, last) = try Self.log(seed: 5, customers: 3_000)
        let report = Checker.check(text: Self.design, calibration: CalibrationInput(log: log, options: CalibrationOptions(asOf: last)))
        let c = try #require(report.calibration), design = try #require(report.design)
        let source = try #require(report.sources["design.stackup.yaml"])
        let written = CalibrationWriter.write(design: design, calibration: c, source: source, file: "design.stackup.yaml")
        #expect(written.kept.isEmpty, "\(written.kept)")
        #expect(written.written.count == 5, "\(written.written)")
        let again = Checker.check(text: written.text)
        #expect(!again.findings.contains { RuleRegistry.loadingRuleIds.contains($0.rule) }, "\(again.findings.map(\.message))")
        // Only the figures changed: every other line is as it was.
        let before = Self.design.split(separator: "\n"), after = written.text.split(separator: "\n")
        #expect(before.count == after.count)
        let changed = zip(before, after).filter { $0 != $1 }.map { String($0.0.drop { $0 == " " }.prefix(4)) }
        #expect(changed == ["web:", "sla:", "- {t", "sla:", "- {t"], "\(changed)")
        // Calibrating the written design on the same log finds nothing to say.
        let recalibrated = Checker.check(text: written.text, calibration: CalibrationInput(log: log, options: CalibrationOptions(asOf: last)))
        #expect(recalibrated.findings.isEmpty, "\(recalibrated.findings.map(\.message))")
    }
}
