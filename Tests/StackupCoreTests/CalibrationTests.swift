import Foundation
import Testing
@testable import StackupCore

/// `calibrate`'s verdicts on logs whose truth is known: a slow SDR, a planted move, an activity
/// the design does not know, business time, promises and the written design.
@Suite struct CalibrationTests {
    static let design = """
    stackup: 1
    entries:
      web: {to: sdr, rate: 40/week}
    stages:
      sdr:
        owns_relationship: true
        sla: {p50: 2h, p90: 8h}
        routes:
          - {to: ae, share: 0.5}
          - to: lost
      ae:
        owns_relationship: true
        sla: {within: 5d}
        routes:
          - to: won
      won: {outcome: won}
      lost: {outcome: lost}
    customer:
      promises:
        to-ae: {from: start, to: ae, p90: 1d}
    """

    /// Monday 2026-01-05 00:00 UTC.
    static let monday = 1_767_571_200.0

    static func event(_ id: String, _ activity: String, hours: Double, line: Int = 0) -> LongCSVLog.Event {
        LongCSVLog.Event(caseId: id, activity: activity, time: monday + hours * 3600, left: nil, dateOnly: false, line: line)
    }

    /// The ten deciles' midpoints of a standard normal, so that a stage's times follow a
    /// lognormal exactly: median × exp(z·σ).
    static let z = [-1.645, -1.036, -0.674, -0.385, -0.126, 0.126, 0.385, 0.674, 1.036, 1.645]
    /// σ of the declared `{p50: 2h, p90: 8h}`: ln 4 / z₀.₉.
    static let sigma = Foundation.log(4.0) / 1.2816

    /// 40 cases a week for two weeks; the SDR answers after a lognormal time of median
    /// `sdrHours` and the declared spread; half go on to `ae` for a day, then win.
    static func log(sdrHours: Double, plantBack: Int = 0, unknown: Int = 0) -> EventLog {
        var events: [LongCSVLog.Event] = []
        for k in 0..<80 {
            let id = "c\(k)"
            let arrival = Double(k) * 4.2
            let answered = arrival + sdrHours * exp(z[(k / 2) % 10] * sigma)
            events.append(event(id, "sdr", hours: arrival))
            if k % 2 == 0 {
                events.append(event(id, "ae", hours: answered))
                if k < plantBack * 2 {
                    // Back to the SDR, and on again: a move no route allows.
                    events.append(event(id, "sdr", hours: answered + 5))
                    events.append(event(id, "ae", hours: answered + 6))
                }
                if k < unknown * 2 { events.append(event(id, "Demo scheduled", hours: answered + 7)) }
                events.append(event(id, "won", hours: answered + 24))
            } else {
                events.append(event(id, "lost", hours: answered))
            }
        }
        return EventLog(events: events, rows: events.count)
    }

    static func check(_ log: EventLog, design: String = design, options: CalibrationOptions = CalibrationOptions()) -> DesignReport {
        Checker.check(text: design, calibration: CalibrationInput(log: log, options: options))
    }

    @Test func aSlowSDRBreaksItsSLAAtTheSLAsLineAndColumn() throws {
        let report = Self.check(Self.log(sdrHours: 6))
        let drift = report.findings.filter { $0.rule == "sla-drift" }
        #expect(drift.count == 1)
        let finding = try #require(drift.first)
        #expect(finding.severity == .error)
        #expect("\(finding.location.line):\(finding.location.column)" == "7:10")
        #expect(finding.message == "`sdr` is slower than its SLA: p50 measured 5.2 h (95% interval 4–9.1 h) against 2 h declared; p90 measured 18.4 h (95% interval 18.4–35.6 h) against 8 h declared, over 80 visits")
        let sdr = try #require(report.calibration?.stages.first { $0.id == "sdr" })
        #expect(sdr.verdict == .drift)
        #expect(sdr.visits == 80 && sdr.censored == 0)
        // An SDR as fast as declared gives no finding.
        #expect(!Self.check(Self.log(sdrHours: 2)).findings.contains { $0.rule == "sla-drift" })
    }

    @Test func aFasterTeamIsANote() throws {
        let report = Self.check(Self.log(sdrHours: 0.5))
        let drift = try #require(report.findings.first { $0.rule == "sla-drift" })
        #expect(drift.severity == .note)
        #expect(drift.message.hasPrefix("`sdr` is faster than its SLA: p50 measured 0.4 h (95% interval 0.3–0.8 h) against 2 h declared; p90 measured 1.5 h"))
        #expect(report.calibration?.stages.first?.verdict == .faster)
    }

    @Test func aPlantedMoveBackIsUndeclaredWithItsCountAndCases() throws {
        let report = Self.check(Self.log(sdrHours: 2, plantBack: 3))
        let undeclared = report.findings.filter { $0.rule == "undeclared-transition" }
        #expect(undeclared.count == 1)
        let finding = try #require(undeclared.first)
        #expect(finding.severity == .error)
        // At `ae`'s `routes` key.
        #expect("\(finding.location.line):\(finding.location.column)" == "14:5")
        #expect(finding.message == "3 journeys (4% of the log's cases) move from `ae` to `sdr`, along no route or `rejects_to` of `ae`")
        #expect(finding.notes == ["3 moves in all; for example cases `c0`, `c2`, `c4`"])
        let conformance = try #require(report.calibration?.conformance)
        #expect(conformance.fitness == 77.0 / 80)
        #expect(conformance.undeclared.map { "\($0.from)→\($0.to) \($0.cases)/\($0.moves) \($0.examples)" } == ["ae→sdr 3/3 [\"c0\", \"c2\", \"c4\"]"])
    }

    @Test func anActivityTheDesignDoesNotKnowIsListedAndTakesNoPart() throws {
        let report = Self.check(Self.log(sdrHours: 2, unknown: 4))
        let c = try #require(report.calibration)
        #expect(c.conformance.unknownActivities == ["Demo scheduled": 4])
        // It lies between `ae` and `won` and changes no visit: `ae` still lasts a day.
        #expect(c.conformance.fitness == 1)
        #expect(c.events == 80 * 2 + 40 + 4)
        // Mapped to a stage, it is one.
        let mapped = Self.check(Self.log(sdrHours: 2, unknown: 4), options: CalibrationOptions(map: ["Demo scheduled": "won"]))
        #expect(mapped.calibration?.conformance.unknownActivities.isEmpty == true)
    }

    @Test func unvisitedStagesAreListed() throws {
        let design = Self.design
            .replacingOccurrences(of: "      - to: won\n", with: "      - {to: won, share: 0.5}\n      - to: nurture\n")
            .replacingOccurrences(of: "  won: {outcome: won}\n", with: "  won: {outcome: won}\n  nurture:\n    routes:\n      - to: lost\n")
        let report = Self.check(Self.log(sdrHours: 2), design: design)
        #expect(report.design != nil, "\(report.findings.map(\.message))")
        #expect(report.calibration?.conformance.unvisitedStages == ["nurture"])
        // A stage nobody visited has no figures at all, not an "above 0".
        let nurture = try #require(report.calibration?.stages.first { $0.id == "nurture" })
        #expect(nurture.p50 == nil && nurture.p90 == nil && nurture.visits == 0 && nurture.verdict == .noData)
    }

    /// Friday 16:00 to Monday 10:00 UTC is two working hours on Mon–Fri 09:00–17:00; read in
    /// +05:00 it is Friday 21:00 to Monday 15:00 local, six.
    @Test func businessTimeRunsOnTheCalendarInTheZone() throws {
        let friday = Self.monday + 4 * 86_400 + 16 * 3_600, monday = Self.monday + 7 * 86_400 + 10 * 3_600
        let utc = LocalClock(calendar: .standard, zone: .utc)
        #expect(utc.workingMinutes(from: friday, to: monday) == 120)
        let east = LocalClock(calendar: .standard, zone: .offset(seconds: 5 * 3_600))
        #expect(east.workingMinutes(from: friday, to: monday) == 360)
        // Years before 1970 keep the weekday: 1969-12-29 was a Monday.
        let old = -3 * 86_400.0 + 9 * 3_600
        #expect(utc.workingMinutes(from: old, to: old + 8 * 3_600) == 480)
    }

    @Test func aBusinessSLAIsMeasuredInWorkingHours() throws {
        let design = Self.design.replacingOccurrences(of: "sla: {p50: 2h, p90: 8h}", with: "sla: {within: 1bd}")
        // Every case arrives Friday 16:00 and is answered Monday 10:00: 66 calendar hours, two
        // working hours, within one business day.
        var events: [LongCSVLog.Event] = []
        for k in 0..<20 {
            events.append(Self.event("c\(k)", "sdr", hours: 4 * 24 + 16))
            events.append(Self.event("c\(k)", "lost", hours: 7 * 24 + 10))
        }
        let report = Self.check(EventLog(events: events, rows: events.count), design: design)
        let sdr = try #require(report.calibration?.stages.first { $0.id == "sdr" })
        #expect(sdr.business)
        #expect(sdr.p50 == .value(2, low: 2, high: 2))
        #expect(sdr.withinSLA == 1)
        #expect(!report.findings.contains { $0.rule == "sla-drift" })
        // In calendar hours the same visits break a 1-day `within`.
        let calendar = Self.check(EventLog(events: events, rows: events.count), design: Self.design.replacingOccurrences(of: "sla: {p50: 2h, p90: 8h}", with: "sla: {within: 1d}"))
        let finding = try #require(calendar.findings.first { $0.rule == "sla-drift" })
        #expect(finding.message == "`sdr` is slower than its SLA: 100% of visits take longer than its `within` of 24 h, over 20 visits")
    }

    @Test func casesStillInAStageAreCensoredAtTheCutOff() throws {
        // Ten cases arrive at the SDR at hour 0; five answer at hour 1, five never do by hour 10.
        var events: [LongCSVLog.Event] = []
        for k in 0..<10 {
            events.append(Self.event("c\(k)", "sdr", hours: 0))
            if k < 5 { events.append(Self.event("c\(k)", "lost", hours: 1)) }
        }
        let c = try #require(Self.check(EventLog(events: events, rows: events.count), options: CalibrationOptions(asOf: Self.monday + 10 * 3_600)).calibration)
        let sdr = try #require(c.stages.first { $0.id == "sdr" })
        #expect(sdr.visits == 10 && sdr.censored == 5)
        #expect(sdr.p50 == .value(1, low: 1, high: nil))
        // Half are still there after ten hours: the p90 is above the longest time seen.
        #expect(sdr.p90 == .above(10))
    }

    @Test func promisesAreMeasuredEndToEndWithTheUnreachedApart() throws {
        let c = try #require(Self.check(Self.log(sdrHours: 2)).calibration)
        let promise = try #require(c.promises.first)
        #expect(promise.name == "to-ae")
        // Half the cases reach `ae`; the others are lost first.
        #expect(promise.cases == 80 && promise.unreached == 40 && promise.censored == 0)
        #expect(promise.kept == 1)
    }

    /// Found by fuzzing: one case over a year was written as `rate: 0/week`, which is no rate.
    @Test func writtenFiguresAreNeverRoundedToZero() {
        #expect(CalibrationWriter.significant(0.0192) == "0.0192")
        #expect(CalibrationWriter.significant(2.834) == "2.83")
        #expect(CalibrationWriter.significant(152.74) == "152.7")
        #expect(CalibrationWriter.significant(18_400.26) == "18400.3")
        #expect(CalibrationWriter.duration(0.001) == "0.01")
    }

    /// Found by fuzzing: when every move out of `sdr` took its first route, `share: 1` was
    /// written before the last route, which leaves that route unreachable: the design did not load.
    @Test func aShareOfEveryMoveIsWrittenBelowOne() throws {
        var events: [LongCSVLog.Event] = []
        for k in 0..<20 {
            events.append(Self.event("c\(k)", "sdr", hours: Double(k)))
            events.append(Self.event("c\(k)", "ae", hours: Double(k) + 2))
            events.append(Self.event("c\(k)", "won", hours: Double(k) + 20))
        }
        let report = Self.check(EventLog(events: events, rows: events.count))
        let c = try #require(report.calibration), design = try #require(report.design), source = try #require(report.sources["design.stackup.yaml"])
        let written = CalibrationWriter.write(design: design, calibration: c, source: source, file: "design.stackup.yaml")
        #expect(written.text.contains("      - {to: ae, share: 0.9999}"), "\(written.text)")
        #expect(written.kept.contains { $0.hasPrefix("`sdr` → `ae` share: every measured move took it") })
        let again = Checker.check(text: written.text)
        #expect(!again.findings.contains { RuleRegistry.loadingRuleIds.contains($0.rule) }, "\(again.findings.map(\.message))")
    }

    @Test func sharesOfTheDesignAreSampledWhereConditionsDecide() throws {
        let design = """
        stackup: 1
        customer:
          attributes:
            size: [small, large]
        entries:
          web: {to: sdr, rate: 40/week, mix: {size: {small: 0.75, large: 0.25}}}
        stages:
          sdr:
            routes:
              - {to: ae, when: {size: large}}
              - to: lost
          ae:
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """
        let c = try #require(Self.check(Self.log(sdrHours: 2), design: design).calibration)
        let toAE = try #require(c.routes.first { $0.from == "sdr" && $0.to == "ae" })
        #expect(toAE.designShareSampled)
        let implied = try #require(toAE.designShare)
        #expect(abs(implied - 0.25) < 0.02, "\(implied)")
        // Half the log's cases go to `ae`, against a quarter: route-drift, noting the sampling.
        let report = Self.check(Self.log(sdrHours: 2), design: design)
        let drift = report.findings.filter { $0.rule == "route-drift" }
        #expect(drift.count == 2)
        #expect(drift.allSatisfy { $0.notes.contains { $0.contains("sampled") } })
    }
}
