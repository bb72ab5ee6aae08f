import Foundation
import Testing
@testable import StackupCore

/// Verdicts that used to be false or misleading (issue 13), each pinned by rule id,
/// line:column and figure.
@Suite struct VerdictTests {
    func check(_ text: String, samples: Int = 20_000) -> DesignReport {
        Checker.check(text: text, options: CheckOptions(samples: samples))
    }

    func promise(_ report: DesignReport, _ name: String) throws -> PromiseMetrics {
        try #require(report.metrics.promises.first { $0.name == name })
    }

    let timeRules: Set<String> = ["promise-broken", "promise-at-risk", "business-hours-stackup", "vacuous-promise", "schema", "invalid-sla"]

    // MARK: business-time budgets

    func businessDesign(stage: String, budget: String) -> String {
        """
        stackup: 1
        customer:
          promises:
            reply: {to: won, \(budget)}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: \(stage)
            routes:
              - to: won
          won: {outcome: won}
        """
    }

    @Test func aFixedTwoBusinessDaysKeepsAThreeBusinessDayBudget() throws {
        let report = check(businessDesign(stage: "{fixed: 2bd}", budget: "p90: 3bd"))
        #expect(positions(report, only: timeRules) == [])
        let p = try promise(report, "reply")
        #expect(p.measure == .business(workdayMinutes: 480))
        // 2bd on a 09:00–17:00 calendar is 16 working hours, whenever it starts.
        #expect(p.statistics?.quantiles["p90"]?.value == 960)
        #expect(p.worstCaseMinutes == 960)
        #expect(p.budgets.first { $0.key == "p90" }?.minutes == 1440)
    }

    @Test func aBusinessBudgetBreaksInBusinessTime() throws {
        let report = check(businessDesign(stage: "{fixed: 4bd}", budget: "p90: 3bd"))
        #expect(positions(report, only: timeRules) == ["promise-broken@4:5"])
        let finding = try #require(report.findings.first { $0.rule == "promise-broken" })
        #expect(finding.message.contains("p90 is 4 bd (95% CI 4 bd–4 bd) against a budget of 3 bd"), "\(finding.message)")
    }

    @Test func mixingBusinessAndCalendarBudgetsIsASchemaFinding() {
        let report = check(businessDesign(stage: "{fixed: 1bd}", budget: "p50: 1h, p90: 3bd"))
        #expect(positions(report, only: timeRules) == ["schema@4:12"])
    }

    // MARK: responds and first contact

    func speedToLead(_ responds: String) -> String {
        """
        stackup: 1
        customer:
          promises:
            speed: {to: first-contact, p90: 1h}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            owns_relationship: true
            sla: {fixed: 3d}
        \(responds)
            routes:
              - to: won
          won: {outcome: won}
        """
    }

    @Test func aSlowFirstTouchBreaksSpeedToLead() throws {
        let report = check(speedToLead("    responds: {fixed: 2d}"))
        #expect(positions(report, only: timeRules) == ["promise-broken@4:5"])
        let p = try promise(report, "speed")
        #expect(abs((p.statistics?.quantiles["p90"]?.value ?? 0) - 2 * 1440) < 1e-6)
        #expect(abs((p.worstCaseMinutes ?? 0) - 2 * 1440) < 1e-6)
    }

    @Test func withoutRespondsTheSpeedPromiseIsVacuous() throws {
        let report = check(speedToLead(""))
        #expect(positions(report, only: timeRules) == ["vacuous-promise@4:5"])
        let finding = try #require(report.findings.first { $0.rule == "vacuous-promise" })
        #expect(finding.help?.contains("declare `responds` on `sdr`") == true)
    }

    @Test func respondsLongerThanTheSlaIsInvalid() {
        let report = check(speedToLead("    responds: {fixed: 4d}"))
        #expect(positions(report, only: ["invalid-sla"]) == ["invalid-sla@12:15"])
    }

    @Test func aResponseLongerThanTheStageTimeStretchesTheStage() throws {
        // The stage's own time is at most 1h, the first touch always 2h: it hands on at 2h.
        let text = """
        stackup: 1
        customer:
          promises:
            through: {to: won, max: 3h}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            sla: {within: 3h}
            responds: {fixed: 2h}
            routes:
              - to: won
          won: {outcome: won}
        """
        let p = try promise(check(text), "through")
        let p50 = try #require(p.statistics?.quantiles["p50"]?.value)
        // Uniform on [0, 3h] stretched to at least 2h: the median is 2h.
        #expect(abs(p50 - 120) < 2, "p50 \(p50)")
    }

    // MARK: capacity without sla; worst case that is not a bound

    @Test func aStageWithCapacityAndNoSlaTakesItsEffort() throws {
        let text = """
        stackup: 1
        customer:
          promises:
            done: {to: won, p90: 100h}
        entries:
          web: {to: desk, rate: 5/week}
        stages:
          desk:
            capacity: {people: 1, each: 10/week}
            routes:
              - to: won
          won: {outcome: won}
        """
        let p = try promise(check(text), "done")
        // Exponential effort with mean 16.8 h: p90 = 16.8 h × ln 10, the worst case its p99.
        let mean = 16.8 * 60
        let p90 = try #require(p.statistics?.quantiles["p90"])
        #expect(p90.low <= mean * log(10) && mean * log(10) <= p90.high, "p90 \(p90)")
        #expect(abs((p.worstCaseMinutes ?? 0) - mean * log(100)) < 1e-6)
        #expect(p.unboundedSegments == ["desk"])
    }

    @Test func percentilesWithoutMaxAreNotABound() throws {
        let open = try promise(check(businessDesign(stage: "{p50: 1d, p90: 2d}", budget: "p90: 30d")), "reply")
        #expect(open.unboundedSegments == ["sdr"])
        let capped = try promise(check(businessDesign(stage: "{p50: 1d, p90: 2d, max: 3d}", budget: "p90: 30d")), "reply")
        #expect(capped.unboundedSegments.isEmpty)
    }

    /// The incomplete gamma function against closed forms: for a whole shape k,
    /// P(k, x) = 1 − e^(−x) Σ_{i<k} x^i / i!; for k = 1/2, P = erf(√x). Both branches (series
    /// below k + 1, continued fraction above) are reached.
    @Test func incompleteGammaMatchesClosedForms() {
        for k in [1, 2, 4, 9] {
            for x in [0.1, 0.5, 1.0, 3.0, 8.0, 20.0] {
                var term = 1.0, sum = 0.0
                for i in 0..<k {
                    if i > 0 { term *= x / Double(i) }
                    sum += term
                }
                let exact = 1 - exp(-x) * sum
                #expect(abs(Gamma.regularizedLower(Double(k), x) - exact) < 1e-12, "k \(k), x \(x)")
            }
        }
        for x in [0.05, 0.4, 1.2, 4.0] { #expect(abs(Gamma.regularizedLower(0.5, x) - erf(x.squareRoot())) < 1e-12, "x \(x)") }
        #expect(abs(Gamma.quantile(0.9, mean: 1, scv: 1) - log(10)) < 1e-12)
    }

    /// The effort's worst case, its p99, against 200,000 draws of the sampler the Monte Carlo uses.
    @Test func gammaQuantileMatchesItsDraws() {
        var rng = Xoshiro256StarStar(seed: 7)
        for (mean, scv) in [(2.0, 0.25), (1.0, 0.64), (3.0, 2.5)] {
            var draws = (0..<200_000).map { _ in Gamma.sample(mean: mean, scv: scv, &rng) }
            let sampled = Selection.quantile(&draws, 0.99)
            let exact = Gamma.quantile(0.99, mean: mean, scv: scv)
            #expect(abs(sampled / exact - 1) < 0.02, "mean \(mean), scv \(scv): sampled \(sampled), exact \(exact)")
        }
    }

    // MARK: max_visits

    func loop(maxVisits: String) -> String {
        """
        stackup: 1
        customer:
          attributes:
            fit: boolean
          max_loops: 2
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            owns_relationship: true
        \(maxVisits)
            routes:
              - to: ae
          ae:
            contact: true
            accepts: {fit: true}
            rejects_to: sdr
            routes:
              - to: won
          won: {outcome: won}
        """
    }

    @Test func maxVisitsDropsTheNextArrivalInEveryAnalysis() throws {
        let limited = check(loop(maxVisits: "    max_visits: 1"))
        let unlimited = check(loop(maxVisits: ""))
        #expect(positions(limited, only: ["unbounded-loop"]) == ["unbounded-loop@18:17"])
        let finding = try #require(limited.findings.first { $0.rule == "unbounded-loop" })
        #expect(finding.message.contains("`sdr`'s `max_visits: 1` drops them"), "\(finding.message)")
        #expect(try #require(unlimited.findings.first { $0.rule == "unbounded-loop" }).message.contains("loop limit (`max_loops: 2`)"))
        // The exact unrolling drops the second arrival at sdr.
        let design = try #require(limited.design)
        let graph = JourneyGraph(design: design)
        #expect(graph.visitLimitDrops == [graph.node(stage: 0, pass: 1)])
        // The simulation drops half the customers there (fit is a fair coin).
        let run = Simulation.run(design: design, analyses: Analyses(design: design, samples: 100), options: .init(customers: 20_000))
        let dropped = try #require(run.dropped.first { $0.reason == .maxVisits }).share
        #expect(abs(dropped - 0.5) < 0.02, "dropped \(dropped)")
        #expect(!run.dropped.contains { $0.reason == .loopLimit })
    }

    // MARK: noise

    @Test func aBrokenPromiseIsNotAlsoAtRisk() {
        let text = """
        stackup: 1
        customer:
          promises:
            decision: {to: won, p90: 3d, max: 4d}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: {within: 5d}
            routes:
              - to: won
          won: {outcome: won}
        """
        let report = check(text)
        #expect(positions(report, only: timeRules) == ["promise-broken@4:5"])
        let message = report.findings.first { $0.rule == "promise-broken" }?.message ?? ""
        #expect(message.contains("p90 is") && message.contains("against a max of 4 d"), "\(message)")
    }

    @Test func selfServePathsHaveNobodyToBlame() {
        let text = """
        stackup: 1
        customer:
          committee: [economic_buyer]
        entries:
          web: {to: checkout, rate: 100/week}
        stages:
          checkout:
            routes:
              - to: won
          won: {outcome: won}
        """
        #expect(positions(check(text), only: ["committee-gap", "relationship-owner"]) == [])
    }

    @Test func aFullCycleDeskIsNotTooLateForTheEconomicBuyer() {
        let desk = """
        stackup: 1
        customer:
          committee: [economic_buyer]
        entries:
          web: {to: triage, rate: 100/week}
        stages:
          triage:
            routes:
              - to: rep
          rep:
            contact: true
            owns_relationship: true
            engages: [economic_buyer]
            routes:
              - to: won
          won: {outcome: won}
        """
        #expect(positions(check(desk), only: ["committee-gap"]) == [])
        let line = desk.replacingOccurrences(of: "  triage:\n", with: "  triage:\n    contact: true\n")
        #expect(positions(check(line), only: ["committee-gap"]) == ["committee-gap@14:15"])
    }

    @Test func rejectingIntoLostIsNoBounce() {
        let text = """
        stackup: 1
        customer:
          attributes:
            fit: boolean
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
          ae:
            accepts: {fit: true}
            rejects_to: REJECT
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
          sdr2:
            routes:
              - to: won
        """
        #expect(positions(check(text.replacingOccurrences(of: "REJECT", with: "lost")), only: ["handoff-bounce"]) == [])
        #expect(positions(check(text.replacingOccurrences(of: "REJECT", with: "sdr2")), only: ["handoff-bounce"]) == ["handoff-bounce@10:13"])
    }

    // MARK: figures

    @Test func figuresComparedWithABudgetDiffer() {
        #expect(NumberFormatting.spans(91.6 * 60, against: 90 * 60) == ("3.82 d", "3.75 d"))
        #expect(NumberFormatting.spans(30 * 60, against: 4 * 60) == ("30 h", "4 h"))
        #expect(NumberFormatting.spans(4.04 * 60, against: 4 * 60) == ("4.04 h", "4 h"))
        #expect(NumberFormatting.span(960, in: .business(workdayMinutes: 480)) == "2 bd")
        #expect(NumberFormatting.span(300, in: .business(workdayMinutes: 480)) == "5 bh")
    }

    @Test func queueWaitsAreSaidToBeMeans() throws {
        let text = """
        stackup: 1
        entries:
          web: {to: desk, rate: 9/week}
        stages:
          desk:
            sla: {within: 1h}
            capacity: {people: 1, each: 10/week}
            routes:
              - to: won
          won: {outcome: won}
        """
        let finding = try #require(check(text).findings.first { $0.rule == "queue-breaks-sla" })
        #expect(finding.message.contains("on average"))
        #expect(!finding.message.contains("typical"))
    }

    @Test func simulateMarksUnstableQueues() throws {
        let text = """
        stackup: 1
        entries:
          web: {to: desk, rate: 12/week}
        stages:
          desk:
            capacity: {people: 1, each: 10/week}
            routes:
              - to: won
          won: {outcome: won}
        """
        let design = try #require(check(text, samples: 100).design)
        let run = Simulation.run(design: design, analyses: Analyses(design: design, samples: 100), options: .init(customers: 5_000))
        #expect(try #require(run.stages.first { $0.stage == "desk" }).isUnstable)
    }

    @Test func diffNamesBaseOnlyRowsByTheBase() {
        var metrics = DesignMetrics()
        metrics.promises = [PromiseMetrics(name: "old", worstCaseMinutes: 60, statistics: nil, budgets: [], contributions: [], samples: 0, assumedShapes: [])]
        let base = DesignDiff.Side(file: "head/x.stackup.yaml", ownName: "base/x.stackup.yaml", findings: [], metrics: metrics)
        let head = DesignDiff.Side(file: "head/x.stackup.yaml", findings: [], metrics: DesignMetrics())
        let diff = DesignDiff(base: [base], head: [head], headName: { $0.replacingOccurrences(of: "base/", with: "head/") })
        #expect(diff.promises.map(\.file) == ["base/x.stackup.yaml"])
    }

    // MARK: suppressions

    @Test func aSuppressionOnAKeyLineCoversItsValue() {
        let text = """
        stackup: 1
        customer:
          attributes:
            ready: boolean
        entries:
          web: {to: ae, rate: 100/week}
        stages:
          ae:
            owns_relationship: true
            contact: true
            routes:
              - to: won
                when: {ready: true}
              - to: nurture
          nurture:  # stackup: ignore[unbounded-loop] nurture recycles on purpose
            routes:
              - to: ae
                when: {ready: false}
          won: {outcome: won}
        """
        let report = check(text)
        #expect(positions(report, only: ["unbounded-loop", "unused-suppression"]) == [])
        #expect(report.suppressed == 1)
        // Without the comment the finding stands three lines below the key.
        let bare = check(text.replacingOccurrences(of: "  # stackup: ignore[unbounded-loop] nurture recycles on purpose", with: ""))
        #expect(positions(bare, only: ["unbounded-loop"]) == ["unbounded-loop@17:13"])
    }

    // MARK: messages

    @Test func flowStyleComparisonsGetTheQuotingHint() throws {
        let text = "stackup: 1\ncustomer:\n  attributes:\n    score: {min: 0, max: 100}\nentries:\n  web: {to: sdr, rate: 1/week}\nstages:\n  sdr:\n    routes:\n      - to: won\n        when: {score: >= 50}\n  won: {outcome: won}\n"
        let finding = try #require(check(text).findings.first)
        #expect(finding.rule == "invalid-yaml")
        #expect(finding.help == "quote comparisons: YAML reads an unquoted `>` as a folded-scalar marker; write `\">= 50\"`")
    }

    @Test func percentWeightsAreSaidOnceAtTheWeight() {
        let text = "stackup: 1\ncustomer:\n  attributes:\n    seg: [a, b]\nentries:\n  web:\n    to: won\n    rate: 1/week\n    mix:\n      seg: {a: 50%, b: 0.5}\nstages:\n  won: {outcome: won}\n"
        let report = check(text)
        #expect(positions(report) == ["schema@10:16"])
        #expect(report.findings.first?.message.contains("write it as a plain number: `0.5`") == true)
    }

    @Test func docsSendNobodyOutsideTheRepository() throws {
        let docs = repositoryRoot.appendingPathComponent("docs")
        for name in try FileManager.default.contentsOfDirectory(atPath: docs.path) where name.hasSuffix(".md") {
            let text = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("../shared") && !text.contains("shared `"), "\(name) names a file outside the repository")
        }
    }
}
