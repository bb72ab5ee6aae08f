import Testing
@testable import StackupCore

@Suite struct CriteriaAnalysisTests {
    /// Three stages whose criteria are pairwise compatible (each accepts what the one before
    /// sends), where the third's routes cover what it receives only while the first stage's
    /// threshold is high enough: the gap exists only through composition.
    func composed(threshold: Int) -> String {
        """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 100}
            segment: [smb, mid, enterprise]
        entries:
          web: {to: a, rate: 10/week}
        stages:
          a:
            routes:
              - to: b
                when: {score: ">= \(threshold)"}
              - to: lost
          b:
            accepts: {score: ">= \(threshold)"}
            routes:
              - to: c
          c:
            routes:
              - to: won
                when: {score: ">= 50"}
              - to: lost
                when: {segment: [smb]}
          won: {outcome: won}
          lost: {outcome: lost}
        """
    }

    @Test func gapAppearsOnlyThroughComposition() throws {
        let criteriaRules: Set<String> = ["criteria-gap", "handoff-bounce", "shadowed-route"]
        #expect(positions(Checker.check(text: composed(threshold: 50)), only: criteriaRules).isEmpty)
        let report = Checker.check(text: composed(threshold: 40))
        #expect(positions(report, only: criteriaRules) == ["criteria-gap@19:5"])
        let gap = try #require(report.findings.first { $0.rule == "criteria-gap" })
        #expect(gap.message.hasPrefix("customers with score in [40, 50) and segment != smb reach `c`"))
        #expect(gap.path == ["web", "a", "b", "c"])
        #expect(gap.example?.description == "score=40, segment=mid")
        #expect(gap.stage == "c")
        #expect(gap.related.map(\.location.line) == [21, 23])
    }

    /// Customers from a second entry reach the first stage only through a loop-back: the gap
    /// exists on the second pass alone.
    @Test func gapCreatedOnlyOnTheSecondPass() throws {
        let text = """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 100}
            segment: [smb, mid]
          max_loops: 1
        entries:
          inbound: {to: x, rate: 10/week, mix: {segment: {mid: 1}}}
          partner: {to: y, rate: 5/week, mix: {segment: {smb: 1}}}
        stages:
          x:
            routes:
              - to: won
                when: {score: ">= 60"}
              - to: y
                when: {segment: [mid]}
          y:
            routes:
              - to: x
          won: {outcome: won}
        """
        let report = Checker.check(text: text)
        let design = try #require(report.design)
        let analyses = Analyses(design: design)
        let x = try #require(design.stageIndex["x"])
        #expect(analyses.criteria.gaps[analyses.graph.node(stage: x, pass: 0)].isEmpty, "no gap on the first pass")
        #expect(!analyses.criteria.gaps[analyses.graph.node(stage: x, pass: 1)].isEmpty)
        let gaps = report.findings.filter { $0.rule == "criteria-gap" }
        #expect(gaps.count == 1)
        let gap = try #require(gaps.first)
        #expect(gap.path == ["partner", "y", "x"])
        #expect(gap.example?.description == "score=0, segment=smb")
        #expect(gap.message.contains("score < 60 and segment = smb"))
        #expect(gap.notes == ["this gap appears only after 1 loop-back"])
        // Mid customers who keep failing loop until the limit drops them.
        #expect(!analyses.criteria.loopLimitDrops.isEmpty)
    }

    @Test func bounceIsAnErrorWhenDroppedAndAWarningWithRejectsTo() throws {
        func design(rejectsTo: Bool) -> String {
            """
            stackup: 1
            customer:
              attributes:
                deal: {min: 0}
            entries:
              web: {to: sdr, rate: 1/day}
            stages:
              sdr:
                routes:
                  - to: ae
                    when: {deal: "> 100"}
                  - to: lost
              ae:
                accepts: {deal: ">= 1000"}
            \(rejectsTo ? "    rejects_to: sdr\n" : "")    routes:
                  - to: won
              won: {outcome: won}
              lost: {outcome: lost}
            """
        }
        let dropped = Checker.check(text: design(rejectsTo: false))
        #expect(positions(dropped, only: ["handoff-bounce"]) == ["handoff-bounce@10:13"])
        let bounce = try #require(dropped.findings.first { $0.rule == "handoff-bounce" })
        #expect(bounce.severity == .error)
        #expect(bounce.example?.description == "deal=550")
        #expect(bounce.message.contains("deal in (100, 1000)"))
        #expect(bounce.path == ["web", "sdr", "ae"])
        let pingPong = Checker.check(text: design(rejectsTo: true))
        #expect(pingPong.findings.filter { $0.rule == "handoff-bounce" }.map(\.severity) == [.warning])
    }

    @Test func shadowedByAnEarlierRouteOrByAccepts() throws {
        let text = """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 100}
        entries:
          web: {to: sdr, rate: 1/day}
        stages:
          sdr:
            accepts: {score: ">= 20"}
            rejects_to: lost
            routes:
              - to: won
                when: {score: ">= 50"}
              - to: won
                when: {any: [{score: ">= 50"}, {score: "< 10"}]}
              - to: lost
                when: {score: "< 50"}
              - to: lost
          won: {outcome: won}
          lost: {outcome: lost}
        """
        let report = Checker.check(text: text)
        #expect(positions(report, only: ["shadowed-route"]) == ["shadowed-route@14:9", "shadowed-route@18:9"])
        let shadows = report.findings.filter { $0.rule == "shadowed-route" }
        #expect(shadows.map { $0.related.first?.location.line } == [12, 16])
        #expect(shadows.allSatisfy { $0.example == nil })
    }

    /// Everyone who arrives and is accepted leaves by exactly one route, or falls in the gap.
    @Test func flowIsConserved() throws {
        let file = repositoryRoot.appendingPathComponent("Specs/examples/assembly-line.stackup.yaml")
        let design = try #require(Checker().check(file: file.path, rootFolder: file.deletingLastPathComponent().path).design)
        let analyses = Analyses(design: design)
        let c = analyses.criteria
        for node in analyses.graph.unrolledOrder where !c.arrivals[node].isEmpty {
            let s = node.stage
            guard !design.stages[s].isOutcome else { continue }
            let accepted = c.arrivals[node].intersect(c.acceptsRegions[s])
            var union = c.gaps[node]
            for (a, r) in c.routed[node].enumerated() {
                // A route with a share below 1 leaves its customers possible for later routes.
                for b in c.routed[node].indices where b > a && design.stages[s].routes[a].takesAll { #expect(r.intersect(c.routed[node][b]).isEmpty) }
                union = union.union(r)
            }
            #expect(union.subtract(accepted).isEmpty && accepted.subtract(union).isEmpty, "\(design.stages[s].id)")
        }
    }

    /// A condition that could not be read is reported once; the routing it belongs to is not
    /// judged on a guess.
    @Test func unreadableConditionsDoNotCascade() {
        let text = """
        stackup: 1
        customer:
          attributes:
            segment: [smb, mid]
        entries:
          web: {to: sdr, rate: 1/day}
        stages:
          sdr:
            routes:
              - to: won
                when: {segment: true}
              - to: lost
                when: {segment: [smb]}
          won: {outcome: won}
          lost: {outcome: lost}
        """
        #expect(positions(Checker.check(text: text), only: loadingRules.union(["criteria-gap", "shadowed-route"])) == ["type-mismatch@11:25"])
    }

    /// A `not` over many boxes in six attributes would expand without bound; the analysis stops
    /// at the box budget and says so, instead of hanging.
    @Test func tooComplexConditionsAreReportedNotHung() throws {
        var rng = Random(seed: 3)
        let attributes = (0..<6).map { "    a\($0): {min: 0, max: 100}" }.joined(separator: "\n")
        let alternatives = (0..<40).map { _ in
            "{" + (0..<6).map { i -> String in
                let lo = rng.int(60)
                return "a\(i): \">= \(lo), < \(lo + 10 + rng.int(30))\""
            }.joined(separator: ", ") + "}"
        }.joined(separator: ", ")
        let text = """
        stackup: 1
        customer:
          attributes:
        \(attributes)
        entries:
          web: {to: a, rate: 1/day}
        stages:
          a:
            owns_relationship: true
            accepts: {not: {any: [\(alternatives)]}}
            rejects_to: lost
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """
        let start = ContinuousClock.now
        let report = Checker.check(text: text, options: CheckOptions(samples: 100))
        #expect(ContinuousClock.now - start < .seconds(60))
        #expect(positions(report, only: ["schema", "criteria-gap", "handoff-bounce", "shadowed-route"]) == ["schema@15:14"])
        #expect(report.findings.first { $0.rule == "schema" }?.message.hasPrefix("this condition is too complex") == true)
    }

    /// Conditions each small enough, whose arrivals at one stage outgrow the region budget:
    /// one located `schema` error there, the stage and everything after it unjudged, and no
    /// finding from a stage after it judged on the customers that happened to fit.
    @Test func arrivalsTooVariedAreReportedWhereTheyStart() throws {
        let url = repositoryRoot.appendingPathComponent("Tests/StackupCoreTests/Fixtures/too-varied-arrivals.stackup.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let report = Checker.check(text: text, options: CheckOptions(samples: 100))
        let schema = report.findings.filter { $0.rule == "schema" }
        #expect(schema.map { "\($0.location.span.start.line):\($0.location.span.start.column)" } == ["97:3"])
        #expect(schema.first?.message.hasPrefix("the customers who can reach stage `s5` are too varied to analyse exactly") == true)
        let design = try #require(report.design)
        let analyses = Analyses(design: design, samples: 1)
        let s5 = try #require(design.stageIndex["s5"])
        #expect(analyses.criteria.tooComplexArrivals == [s5])
        #expect(analyses.criteria.unjudged.contains(s5))
        #expect(!report.findings.contains { ["criteria-gap", "shadowed-route", "handoff-bounce"].contains($0.rule) && $0.stage == "s5" })
    }
}
