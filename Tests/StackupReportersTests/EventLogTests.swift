import Foundation
import Testing
@testable import StackupCore
@testable import StackupReporters

/// `simulate --events`: the simulated journeys as a long CSV event log.
@Suite struct EventLogTests {
    @Test func isoTimesAndDates() {
        #expect(ISOTime.format(0) == "1970-01-01T00:00:00Z")
        #expect(ISOTime.format(1_767_571_200) == "2026-01-05T00:00:00Z")
        #expect(ISOTime.format(1_767_571_200 + 9 * 3600 + 30 * 60 + 7) == "2026-01-05T09:30:07Z")
        #expect(ISOTime.format(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(ISOTime.format(-86_400) == "1969-12-31T00:00:00Z")
        #expect(ISOTime.format(.max) == "9999-12-31T23:59:59Z")
        #expect(ISOTime.parseDate("2026-01-05")?.unix == 1_767_571_200)
        #expect(ISOTime.parseDate("2026-01-05")?.weekday == 0)
        #expect(ISOTime.parseDate("2026-01-08")?.weekday == 3)
        #expect(ISOTime.parseDate("2000-02-29") != nil)
        for bad in ["2001-02-29", "2026-13-01", "2026-1-05", "26-01-05", "2026-01-05T00:00", "", "２０２６-01-05"] {
            #expect(ISOTime.parseDate(bad) == nil, "\(bad)")
        }
    }

    /// Every customer's visits chain up: each leaves a stage when (no delay here) it enters the
    /// next, and an outcome has no leaving time.
    @Test func visitsFormJourneys() throws {
        let text = """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            owns_relationship: true
            sla: {p50: 2h, p90: 8h}
            routes:
              - {to: ae, share: 0.3}
              - to: lost
          ae:
            owns_relationship: true
            sla: {p50: 3d, p90: 8d}
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """
        let design = try #require(Checker.check(text: text).design)
        let run = Simulation.run(design: design, options: .init(customers: 2_000, recordsVisits: true))
        let byCustomer = Dictionary(grouping: run.log, by: \.customer)
        #expect(byCustomer.count == 2_000)
        for (_, visits) in byCustomer {
            #expect(design.stages[visits[0].stage].id == "sdr")
            for (a, b) in zip(visits, visits.dropFirst()) { #expect(a.left == b.entered) }
            let last = try #require(visits.last)
            #expect(last.left == nil && design.stages[last.stage].isOutcome)
            #expect(visits.dropLast().allSatisfy { ($0.left ?? -1) >= $0.entered })
        }
        // About 30% reach `ae`.
        let share = Double(byCustomer.values.filter { $0.contains { design.stages[$0.stage].id == "ae" } }.count) / 2_000
        #expect(abs(share - 0.3) < 3.29 * (0.3 * 0.7 / 2_000).squareRoot(), "\(share)")
        // Nothing is kept unless asked for.
        #expect(Simulation.run(design: design, options: .init(customers: 100)).log.isEmpty)

        let csv = EventLogReporter.csv(run.log, stageIds: design.stages.map(\.id), start: 1_767_571_200)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "case_id,stage,timestamp,left")
        #expect(lines.count == run.log.count + 2)
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 4 })
        #expect(lines.contains { $0.hasPrefix("case-1,sdr,2026-01-05T") })
        #expect(lines.contains { $0.contains(",won,2026-") && $0.hasSuffix(",") }, "an outcome row has no leaving time")
    }

    @Test func stageNamesThatNeedQuotingAreQuoted() {
        #expect(EventLogReporter.field("a,b") == "\"a,b\"")
        #expect(EventLogReporter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(EventLogReporter.field("sdr") == "sdr")
    }
}
