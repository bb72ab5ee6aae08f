import Foundation
import Testing
@testable import StackupCore

/// Routes with a conversion `share`, and promises made `for` some customers only.
@Suite struct ShareAndPopulationTests {
    // MARK: decoding

    static func route(share: String) -> String {
        """
        stackup: 1
        customer:
          attributes:
            fit: boolean
        entries:
          web: {to: sdr, rate: 10/week}
        stages:
          sdr:
            owns_relationship: true
            routes:
              - {to: won, when: {fit: true}, share: \(share)}
              - to: lost
          won: {outcome: won}
          lost: {outcome: lost}
        """
    }

    @Test(arguments: [("0", "must be above 0 and at most 1"), ("1.5", "must be above 0 and at most 1"), ("-0.2", "must be above 0 and at most 1"),
                      ("30%", "is written as a percentage `30%`; write it as a plain number: `0.3`"), (".nan", "is out of range: it must be a finite number"),
                      ("often", "must be a number")])
    func aShareOutsideZeroToOneIsALocatedSchemaFinding(share: String, says: String) throws {
        let report = Checker.check(text: Self.route(share: share))
        #expect(positions(report, only: loadingRules) == ["schema@11:45"], "\(report.findings.map(\.message))")
        #expect(try #require(report.findings.first { $0.rule == "schema" }).message.contains(says), "\(report.findings.map(\.message))")
    }

    @Test func aShareOfOneIsEveryoneAndSmallerSharesAreRead() throws {
        #expect(positions(Checker.check(text: Self.route(share: "1")), only: loadingRules).isEmpty)
        let design = try #require(Checker.check(text: Self.route(share: "0.3")).design)
        #expect(design.stages[0].routes.map(\.share) == [0.3, 1])
    }

    /// Only a route that takes everyone left must come last: one without `when` but with a
    /// share below 1 may stand before others.
    @Test func aShareRouteWithoutWhenMayComeFirst() {
        let text = """
        stackup: 1
        entries:
          web: {to: sdr, rate: 10/week}
        stages:
          sdr:
            owns_relationship: true
            routes:
              - {to: ae, share: 0.3}
              - to: lost
              - to: won
          ae: {owns_relationship: true, routes: [{to: won}]}
          won: {outcome: won}
          lost: {outcome: lost}
        """
        // The second route (no `when`, share 1) is the one that may not stand before another.
        #expect(positions(Checker.check(text: text), only: loadingRules) == ["schema@9:9"])
    }

    // MARK: exact analyses

    /// Customers who can pass every route untaken fall into a gap, and the message says which
    /// share lets them through.
    @Test func aShareLeavesAGapAndSaysWhichShare() throws {
        let text = """
        stackup: 1
        customer:
          attributes:
            segment: [smb, enterprise]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            owns_relationship: true
            routes:
              - {to: ae, share: 0.3}
              - {to: lost, when: {segment: [smb]}}
          ae: {owns_relationship: true, routes: [{to: won}]}
          won: {outcome: won}
          lost: {outcome: lost}
        """
        let report = Checker.check(text: text, options: CheckOptions(samples: 200))
        #expect(positions(report, only: ["criteria-gap", "shadowed-route"]) == ["criteria-gap@10:5"])
        let gap = try #require(report.findings.first { $0.rule == "criteria-gap" })
        #expect(gap.message == "customers with segment = enterprise reach `sdr` and pass its criteria, but no route is sure to take them: the route to `ae` takes 30% and nothing takes the rest, so 70% of them fall between the cracks")
        #expect(gap.related.map { "\($0.location.line):\($0.location.column)" } == ["11:9", "12:26"])
        #expect(gap.example?.description == "segment=enterprise")
        // With a route that takes everyone left, nobody falls through.
        let closed = text.replacingOccurrences(of: "{to: lost, when: {segment: [smb]}}", with: "to: lost")
        #expect(positions(Checker.check(text: closed, options: CheckOptions(samples: 200)), only: ["criteria-gap", "shadowed-route"]).isEmpty)
    }

    /// A route after a share below 1 is never shadowed by it; one after a route that takes
    /// everyone it matches still is.
    @Test func aShareNeverShadowsTheRoutesAfterIt() {
        let text = """
        stackup: 1
        customer:
          attributes:
            fit: boolean
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            owns_relationship: true
            routes:
              - {to: ae, when: {fit: true}, share: 0.5}
              - {to: partner, when: {fit: true}}
              - to: lost
          ae: {owns_relationship: true, routes: [{to: won}]}
          partner: {owns_relationship: true, routes: [{to: won}]}
          won: {outcome: won}
          lost: {outcome: lost}
        """
        #expect(positions(Checker.check(text: text, options: CheckOptions(samples: 200)), only: ["shadowed-route", "criteria-gap"]).isEmpty)
        let full = text.replacingOccurrences(of: ", share: 0.5}", with: "}")
        #expect(positions(Checker.check(text: full, options: CheckOptions(samples: 200)), only: ["shadowed-route", "criteria-gap"]) == ["shadowed-route@12:9"])
    }

    // MARK: an analytic funnel

    static func funnel(target: String) -> String {
        """
        stackup: 1
        customer:
          targets: {won: \(target)}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            owns_relationship: true
            routes:
              - {to: ae, share: 0.3}
              - to: lost
          ae:
            owns_relationship: true
            capacity: {people: 1, each: 60/week}
            routes:
              - {to: won, share: 0.25}
              - to: lost
          won: {outcome: won}
          lost: {outcome: lost}
        """
    }

    /// 100 customers a week, 30% of them to `ae`, a quarter of those won: 7.5 won a week.
    @Test func anAnalyticFunnel() throws {
        let samples = 20_000
        let report = Checker.check(text: Self.funnel(target: "10/week"), options: CheckOptions(samples: samples))
        #expect(positions(report, only: ["target-shortfall"]) == ["target-shortfall@3:13"])
        #expect(positions(Checker.check(text: Self.funnel(target: "7/week"), options: CheckOptions(samples: samples)), only: ["target-shortfall"]).isEmpty)

        let design = try #require(report.design)
        let analyses = Analyses(design: design, samples: samples)
        let flow = try #require(analyses.flow)
        let won = try #require(design.stageIndex["won"]), ae = try #require(design.stageIndex["ae"])
        // The sampled shares hold the analytic ones within 3.29 standard errors (the 99.9%
        // interval: the seed is fixed, so a 95% interval would leave one seed in twenty failing
        // by chance, while a bias of a point would still fail this one).
        func holds(_ sampled: Double, _ truth: Double, n: Int) -> Bool { abs(sampled - truth) <= 3.29 * (truth * (1 - truth) / Double(n)).squareRoot() }
        let wonShare = (flow.outcomesPerWeek[won] ?? 0) / 100
        #expect(holds(wonShare, 0.075, n: samples), "won share \(wonShare)")
        let aeShare = flow.stages[ae].arrivalsPerWeek / 100
        #expect(holds(aeShare, 0.3, n: samples), "ae share \(aeShare)")
        // Utilisation is arrivals over what the one person handles.
        #expect(abs((flow.stages[ae].utilization ?? 0) - flow.stages[ae].arrivalsPerWeek / 60) < 1e-12)

        // The simulation: about 30 arrivals a week at `ae`, within the Poisson interval of the
        // count it made, and the person busy about half the time.
        let run = Simulation.run(design: design, options: .init(customers: 20_000))
        let stage = try #require(run.stages.first { $0.stage == "ae" })
        let count = stage.arrivalsPerWeek * run.simulatedWeeks
        let halfWidth = 1.96 * count.squareRoot() / run.simulatedWeeks
        #expect(abs(stage.arrivalsPerWeek - 30) <= halfWidth, "ae arrivals \(stage.arrivalsPerWeek)/week ± \(halfWidth)")
        // Busy time is the sum of about 6,000 exponential efforts: its relative spread is
        // about 1.3%, so 0.03 is more than four standard deviations.
        #expect(abs((stage.utilization ?? 0) - stage.arrivalsPerWeek / 60) < 0.03, "utilisation \(stage.utilization ?? 0)")
        let wonSimulated = try #require(run.outcomes.first { $0.key == "won" }).share
        #expect(holds(wonSimulated, 0.075, n: run.counted), "simulated won share \(wonSimulated)")
    }

    // MARK: promises for some customers

    static func segmentPromise(enterpriseSla: String, smbSla: String) -> String {
        """
        stackup: 1
        customer:
          attributes:
            segment: [smb, enterprise]
          promises:
            proposal: {to: proposal, p90: 6d}
            enterprise-proposal:
              for: {segment: [enterprise]}
              to: proposal
              p90: 6d
        entries:
          web:
            to: sdr
            rate: 100/week
            mix: {segment: {smb: 0.9, enterprise: 0.1}}
        stages:
          sdr:
            owns_relationship: true
            sla: {fixed: 1d}
            routes:
              - {to: solutions, when: {segment: [enterprise]}}
              - to: desk
          solutions:
            owns_relationship: true
            sla: {fixed: \(enterpriseSla)}
            routes:
              - to: proposal
          desk:
            owns_relationship: true
            sla: {fixed: \(smbSla)}
            routes:
              - to: proposal
          proposal:
            owns_relationship: true
            sla: {fixed: 1d}
            routes:
              - to: won
          won: {outcome: won}
        """
    }

    /// Everyone's p90 holds while the enterprise segment's breaks: the finding names them.
    @Test func theWholePopulationKeepsWhatTheSegmentBreaks() throws {
        let report = Checker.check(text: Self.segmentPromise(enterpriseSla: "8d", smbSla: "1d"))
        #expect(positions(report, only: ["promise-broken"]) == ["promise-broken@7:5"])
        let broken = try #require(report.findings.first { $0.rule == "promise-broken" })
        #expect(broken.message.hasPrefix("promise `enterprise-proposal` is broken: for customers with segment = enterprise, p90 is 9 d"), "\(broken.message)")
        #expect(broken.example?.description == "segment=enterprise")
        let metrics = try #require(report.metrics.promises.first { $0.name == "enterprise-proposal" })
        #expect(metrics.population == "segment = enterprise")
        // Only about a tenth of the sampled customers count for it.
        let counted = try #require(metrics.statistics).population
        #expect(counted > 1_800 && counted < 2_200, "\(counted)")
        #expect(try #require(report.metrics.promises.first { $0.name == "proposal" }).statistics?.population == 20_000)
    }

    /// The reverse: everyone's p90 breaks, the segment's holds, and its worst case runs over
    /// the segment's own paths only (the slow desk is not among them).
    @Test func theSegmentKeepsWhatTheWholePopulationBreaks() throws {
        let report = Checker.check(text: Self.segmentPromise(enterpriseSla: "1d", smbSla: "8d"))
        #expect(positions(report, only: ["promise-broken", "promise-at-risk"]) == ["promise-broken@6:5"])
        let design = try #require(report.design)
        let analyses = Analyses(design: design)
        let enterprise = try #require(analyses.time.promises.first { design.customer.promises[$0.index].name == "enterprise-proposal" })
        #expect(abs((enterprise.worst?.minutes ?? 0) - 2 * 1440) < 1e-6, "\(enterprise.worst?.minutes ?? 0)")
        #expect(enterprise.worst?.path.map { design.stages[$0.stage].id } == ["sdr", "solutions", "proposal"])
        let everyone = try #require(analyses.time.promises.first { design.customer.promises[$0.index].name == "proposal" })
        #expect(abs((everyone.worst?.minutes ?? 0) - 9 * 1440) < 1e-6, "\(everyone.worst?.minutes ?? 0)")
    }

    /// `simulate` counts only the customers a promise is made to.
    @Test func simulateCountsOnlyThePromisesCustomers() throws {
        let design = try #require(Checker.check(text: Self.segmentPromise(enterpriseSla: "8d", smbSla: "1d")).design)
        let run = Simulation.run(design: design, options: .init(customers: 10_000))
        let enterprise = try #require(run.promises.first { $0.name == "enterprise-proposal" })
        let everyone = try #require(run.promises.first { $0.name == "proposal" })
        #expect(everyone.times.count == run.counted)
        let share = Double(enterprise.times.count) / Double(run.counted)
        #expect(share > 0.08 && share < 0.12, "\(share)")
        #expect(abs((enterprise.p50 ?? 0) - 9 * 1440) < 1e-6, "\(enterprise.p50 ?? 0)")
    }

    @Test func forOnAnUndeclaredAttributeIsAnUnknownReference() {
        let text = """
        stackup: 1
        customer:
          attributes:
            segment: [smb, enterprise]
          promises:
            fast: {for: {segmnt: [enterprise]}, to: won, p90: 1d}
        entries:
          web: {to: sdr, rate: 10/week}
        stages:
          sdr: {owns_relationship: true, routes: [{to: won}]}
          won: {outcome: won}
        """
        let report = Checker.check(text: text)
        #expect(positions(report, only: loadingRules) == ["unknown-reference@6:18"])
        #expect(report.findings.first?.message.contains("did you mean `segment`?") == true, "\(report.findings.map(\.message))")
    }
}

/// The exact analyses against enumerating every path, on random small designs with shares:
/// a route with a share below 1 counts as both taken and not taken.
@Suite struct ShareBruteForceTests {
    struct Point: Hashable, Sendable { var a: Bool, b: Bool, c: String }
    static let points: [Point] = [false, true].flatMap { a in [false, true].flatMap { b in ["x", "y", "z"].map { Point(a: a, b: b, c: $0) } } }
    static let conditions: [(yaml: String, holds: @Sendable (Point) -> Bool)] = [
        ("{a: true}", { $0.a }), ("{b: false}", { !$0.b }), ("{c: [x]}", { $0.c == "x" }), ("{c: [x, y]}", { $0.c != "z" }),
        ("{a: true, c: [y]}", { $0.a && $0.c == "y" }), ("{any: [{b: true}, {c: [z]}]}", { $0.b || $0.c == "z" }), ("{not: {a: true}}", { !$0.a }),
    ]

    struct Route { var to: String, when: Int?, share: Double }
    struct Stage { var name: String, accepts: Int?, rejectsTo: String?, routes: [Route] }

    static func randomDesign(_ rng: inout Random) -> (text: String, stages: [Stage], entry: String) {
        let count = 2 + rng.int(4)
        let names = (0..<count).map { "s\($0)" }
        let shares = [1, 1, 1, 0.5, 0.3]
        var stages: [Stage] = []
        for (i, name) in names.enumerated() {
            let later = Array(names[(i + 1)...]) + ["won", "lost"]
            var routes: [Route] = []
            for k in 0..<(1 + rng.int(3)) {
                let isLast = k == 0 ? false : rng.int(3) == 0
                var share = shares[rng.int(shares.count)]
                let when: Int? = rng.int(4) == 0 ? nil : rng.int(Self.conditions.count)
                // Only the last route may take everyone left.
                if when == nil && !isLast { share = 0.5 }
                routes.append(Route(to: later[rng.int(later.count)], when: when, share: share))
                if isLast { break }
            }
            let accepts: Int? = rng.int(3) == 0 ? rng.int(Self.conditions.count) : nil
            let rejectsTo: String? = accepts != nil && rng.int(2) == 0 ? later[rng.int(later.count)] : nil
            stages.append(Stage(name: name, accepts: accepts, rejectsTo: rejectsTo, routes: routes))
        }
        var text = "stackup: 1\ncustomer:\n  attributes:\n    a: boolean\n    b: boolean\n    c: [x, y, z]\nentries:\n  web: {to: s0, rate: 10/week}\nstages:\n"
        for stage in stages {
            text += "  \(stage.name):\n    owns_relationship: true\n"
            if let a = stage.accepts { text += "    accepts: \(Self.conditions[a].yaml)\n" }
            if let r = stage.rejectsTo { text += "    rejects_to: \(r)\n" }
            text += "    routes:\n"
            for route in stage.routes {
                text += "      - {to: \(route.to)\(route.when.map { ", when: \(Self.conditions[$0].yaml)" } ?? "")\(route.share < 1 ? ", share: \(route.share)" : "")}\n"
            }
        }
        text += "  won: {outcome: won}\n  lost: {outcome: lost}\n"
        return (text, stages, "s0")
    }

    /// Every (stage, customer) some path reaches, the routes some customer takes, and the
    /// stages where some customer can pass every route untaken.
    static func enumerate(_ stages: [Stage]) -> (taken: Set<String>, gaps: Set<String>) {
        let byName = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0) })
        var taken: Set<String> = [], gaps: Set<String> = [], seen: Set<String> = []
        func visit(_ name: String, _ p: Point) {
            guard let stage = byName[name], seen.insert("\(name)|\(p)").inserted else { return }
            if let a = stage.accepts, !Self.conditions[a].holds(p) {
                if let r = stage.rejectsTo { visit(r, p) }
                return
            }
            for (r, route) in stage.routes.enumerated() where route.when.map({ Self.conditions[$0].holds(p) }) ?? true {
                taken.insert("\(name):\(r)")
                visit(route.to, p)
                if route.share >= 1 { return }
            }
            gaps.insert(name)
        }
        for p in Self.points { visit("s0", p) }
        return (taken, gaps)
    }

    @Test func exactAnalysesAgreeWithEveryPath() throws {
        var rng = Random(seed: 17)
        var withShares = 0
        for _ in 0..<1_200 {
            let (text, stages, _) = Self.randomDesign(&rng)
            let report = Checker.check(text: text, options: CheckOptions(samples: 1))
            let design = try #require(report.design, "\(text)")
            #expect(report.findings.filter { RuleRegistry.loadingRuleIds.contains($0.rule) }.isEmpty, "\(report.findings.map(\.message))\n\(text)")
            let analyses = Analyses(design: design, samples: 1)
            let brute = Self.enumerate(stages)
            // Routes some customer takes: the criteria analysis's active edges on the first pass.
            var active: Set<String> = []
            for (s, stage) in design.stages.enumerated() where !stage.isOutcome {
                let node = analyses.graph.node(stage: s, pass: 0)
                for (k, edge) in analyses.graph.edges[s].enumerated() where analyses.criteria.active[node][k] {
                    if case .route(let r) = edge.kind { active.insert("\(stage.id):\(r)") }
                }
            }
            #expect(active == brute.taken, "\(text)")
            // `criteria-gap` on exactly the stages where some customer can fall through.
            let gapStages = Set(report.findings.filter { $0.rule == "criteria-gap" }.compactMap(\.stage))
            #expect(gapStages == brute.gaps, "\(text)")
            if stages.contains(where: { $0.routes.contains { $0.share < 1 } }) { withShares += 1 }
        }
        #expect(withShares > 600, "only \(withShares) designs had a share below 1")
    }

    /// `shadowed-route` against its definition over every customer: a route is shadowed when
    /// no customer the stage accepts, matching the route, is left by the routes before it that
    /// take everyone they match.
    @Test func shadowedRoutesAgreeWithEveryCustomer() throws {
        var rng = Random(seed: 23)
        for _ in 0..<1_000 {
            let (text, stages, _) = Self.randomDesign(&rng)
            let report = Checker.check(text: text, options: CheckOptions(samples: 1))
            var expected: Set<String> = []
            for stage in stages {
                let accepted = Self.points.filter { p in stage.accepts.map { Self.conditions[$0].holds(p) } ?? true }
                for (r, route) in stage.routes.enumerated() {
                    let reachable = accepted.contains { p in
                        (route.when.map { Self.conditions[$0].holds(p) } ?? true)
                            && !stage.routes.prefix(r).contains { $0.share >= 1 && ($0.when.map { Self.conditions[$0].holds(p) } ?? true) }
                    }
                    if !reachable { expected.insert("\(stage.name):\(r)") }
                }
            }
            let design = try #require(report.design)
            let found = Set(report.findings.filter { $0.rule == "shadowed-route" }.compactMap { f -> String? in
                guard let s = f.stage, let stage = design.stage(s), let r = stage.routes.firstIndex(where: { $0.location == f.location }) else { return nil }
                return "\(s):\(r)"
            })
            #expect(found == expected, "\(text)")
        }
    }
}

/// An estimate and its interval read in one unit: the unit of the budget they are held against.
@Suite struct PromiseMessageUnitTests {
    @Test func theIntervalReadsInTheFiguresUnit() throws {
        let text = """
        stackup: 1
        customer:
          promises:
            help: {to: assist, p90: 4bh}
        entries:
          signup: {to: trial, rate: 100/week}
        stages:
          trial:
            owns_relationship: true
            sla: {p50: 13d, p90: 15d}
            routes:
              - to: assist
          assist:
            owns_relationship: true
            routes:
              - to: won
          won: {outcome: won}
        """
        let report = Checker.check(text: text)
        let broken = try #require(report.findings.first { $0.rule == "promise-broken" })
        // "p90 is 85.4 bh (95% CI 84.9 bh–85.9 bh)": never "… (95% CI 10.6 bd–10.7 bd)".
        let pattern = try NSRegularExpression(pattern: #"p90 is [0-9.]+ bh \(95% CI [0-9.]+ bh–[0-9.]+ bh\) against a budget of 4 bh"#)
        #expect(pattern.firstMatch(in: broken.message, range: NSRange(broken.message.startIndex..., in: broken.message)) != nil, "\(broken.message)")
    }
}
