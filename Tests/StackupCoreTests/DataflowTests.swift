import Testing
@testable import StackupCore

@Suite struct DataflowTests {
    func findings(_ text: String, _ rule: String) -> [Finding] {
        Checker.check(text: text, options: CheckOptions(samples: 10)).findings.filter { $0.rule == rule }
    }

    @Test func diamondWhereOnlyOneBranchDropsAField() throws {
        let text = """
        stackup: 1
        customer:
          attributes:
            big: boolean
        entries:
          web: {to: sdr, rate: 1/day}
        stages:
          sdr:
            captures: [pain]
            routes:
              - to: left
                when: {big: true}
              - to: right
          left:
            hands_off: []
            routes:
              - to: ae
          right:
            routes:
              - to: ae
          ae:
            requires: [pain]
            routes:
              - to: won
          won: {outcome: won}
        """
        let losses = findings(text, "context-loss")
        #expect(losses.count == 1)
        let loss = try #require(losses.first)
        #expect(loss.message.contains("`left`'s handoff to `ae` leaves it out"))
        #expect(loss.path == ["web", "sdr", "left", "ae"])
        #expect(loss.related.first?.location.line == 15)
        #expect(loss.example?.description == "big=true")
        #expect(loss.notes.first == "journey: web → sdr → left (hands off: ) → ae (needs: pain, not known)")
    }

    @Test func droppedThenRecapturedIsAskedTwiceNotLost() throws {
        let text = """
        stackup: 1
        customer:
          never_ask_twice: [pain]
        entries:
          web: {to: sdr, rate: 1/day}
        stages:
          sdr:
            captures: [pain]
            hands_off: []
            routes:
              - to: ae
          ae:
            requires: [pain]
            captures: [pain]
            routes:
              - to: won
          won: {outcome: won}
        """
        #expect(findings(text, "context-loss").isEmpty)
        let twice = findings(text, "asked-twice")
        #expect(twice.map(\.severity) == [.error])
        #expect(twice.first?.message == "`ae` asks the customer for `pain` again: `sdr` already asked on the way here")
        #expect(twice.first?.notes.first == "journey: web → sdr (asks: pain) → ae (asks: pain again)")
        #expect(twice.first?.location.line == 14)
    }

    /// `pain` is known when the customer first reaches `ae`; sent back through `triage`, whose
    /// handoff carries nothing, it is lost on the second pass.
    @Test func knownOnTheFirstPassLostOnTheSecond() throws {
        let text = """
        stackup: 1
        customer:
          attributes:
            ready: boolean
          max_loops: 1
        entries:
          web: {to: sdr, rate: 1/day}
        stages:
          sdr:
            captures: [pain]
            routes:
              - to: ae
          ae:
            requires: [pain]
            routes:
              - to: won
                when: {ready: true}
              - to: triage
          triage:
            hands_off: []
            routes:
              - to: ae
          won: {outcome: won}
        """
        let report = Checker.check(text: text, options: CheckOptions(samples: 10))
        let design = try #require(report.design)
        let analyses = Analyses(design: design, samples: 10)
        let flow = analyses.dataflow
        let ae = try #require(design.stageIndex["ae"])
        let pain = try #require(flow.fields.firstIndex(of: "pain"))
        #expect(flow.known[analyses.graph.node(stage: ae, pass: 0)].contains(pain), "known on the first pass")
        #expect(!flow.known[analyses.graph.node(stage: ae, pass: 1)].contains(pain), "lost on the second")
        let loss = try #require(report.findings.first { $0.rule == "context-loss" })
        #expect(loss.path == ["web", "sdr", "ae", "triage", "ae"])
        #expect(loss.message.contains("`triage`'s handoff to `ae` leaves it out"))
        #expect(loss.example?.description == "ready=false")
    }

    /// The only branch that drops the field is one no customer can take.
    @Test func pathTheCriteriaMakeImpossibleReportsNothing() {
        let text = """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 100}
          committee: [economic_buyer]
          max_handoffs: 1
        entries:
          web: {to: sdr, rate: 1/day, mix: {score: {uniform: [0, 40]}}}
        stages:
          sdr:
            contact: true
            owns_relationship: true
            captures: [pain]
            engages: [economic_buyer]
            routes:
              - to: left
                when: {score: "> 50"}
              - to: ae
          left:
            contact: true
            hands_off: []
            captures: [pain]
            routes:
              - to: extra
          extra:
            contact: true
            routes:
              - to: ae
          ae:
            requires: [pain]
            routes:
              - to: won
          won: {outcome: won}
        """
        let report = Checker.check(text: text, options: CheckOptions(samples: 10))
        for rule in ["context-loss", "asked-twice", "too-many-handoffs", "relationship-owner", "committee-gap"] {
            #expect(report.findings.filter { $0.rule == rule }.isEmpty, "\(rule): \(positions(report))")
        }
        // The same design with the branch open reports all of it.
        let open = Checker.check(text: text.replacingOccurrences(of: "[0, 40]", with: "[0, 100]"), options: CheckOptions(samples: 10))
        #expect(Set(open.findings.map(\.rule)).isSuperset(of: ["context-loss", "asked-twice", "too-many-handoffs"]))
    }

    @Test func handoffsAndPeopleInOrder() throws {
        let text = """
        stackup: 1
        customer:
          max_handoffs: 1
        entries:
          web: {to: sdr, rate: 1/day}
        stages:
          sdr:
            team: Inbound SDR
            contact: true
            routes:
              - to: ae
          ae:
            contact: true
            owns_relationship: true
            routes:
              - to: closer
          closer:
            contact: true
            routes:
              - to: won
          won: {outcome: won}
        """
        let f = try #require(findings(text, "too-many-handoffs").first)
        #expect(f.message == "customers meet 3 people on one path: 2 handoffs, more than `max_handoffs` 1")
        #expect(f.notes == ["people met, in order: sdr (Inbound SDR) → ae → closer"])
        #expect(f.location.line == 17)
    }
}

/// Brute force: on random small designs, enumerating every path through the unrolling gives
/// exactly the facts the one-pass dataflow computes.
@Suite struct DataflowBruteForceTests {
    static func randomDesign(_ rng: inout Random) -> String {
        let stages = 2 + rng.int(7)
        let fields = ["pain", "budget", "timeline"]
        let roles = ["economic_buyer", "champion"]
        func pick(_ xs: [String]) -> String { "[" + xs.filter { _ in rng.int(3) == 0 }.joined(separator: ", ") + "]" }
        var text = """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 10}
            flag: boolean
          committee: [economic_buyer, champion]
          max_loops: \(rng.int(3))
        entries:
          web: {to: s0, rate: 1/day}

        """
        if rng.int(2) == 0 { text += "  other: {to: s\(rng.int(stages)), rate: 1/day}\n" }
        text += "stages:\n"
        var loops = 0
        for i in 0..<stages {
            text += "  s\(i):\n"
            if rng.int(2) == 0 { text += "    contact: true\n" }
            if rng.int(3) == 0 { text += "    owns_relationship: true\n" }
            text += "    captures: \(pick(fields))\n    requires: \(pick(fields))\n    engages: \(pick(roles))\n"
            if rng.int(3) == 0 { text += "    hands_off: \(pick(fields))\n" }
            if rng.int(4) == 0 {
                text += "    accepts: {score: \">= \(rng.int(5))\"}\n    rejects_to: \(rng.int(2) == 0 ? "lost" : "s\(rng.int(stages))")\n"
            }
            text += "    routes:\n"
            for _ in 0..<(1 + rng.int(3)) {
                var target = i + 1 < stages ? "s\(i + 1 + rng.int(stages - i - 1))" : (rng.int(2) == 0 ? "won" : "lost")
                if loops < 2 && i > 0 && rng.int(5) == 0 { target = "s\(rng.int(i))"; loops += 1 }
                let when = rng.int(2) == 0 ? "{score: \"< \(rng.int(11))\"}" : "{flag: \(rng.int(2) == 0)}"
                text += "      - to: \(target)\n        when: \(when)\n"
            }
            text += "      - to: \(rng.int(2) == 0 ? "won" : "lost")\n"
        }
        return text + "  won: {outcome: won}\n  lost: {outcome: lost}\n"
    }

    struct Facts: Equatable {
        var known: BitSet
        var captured: BitSet
        var contacts: Int
        var ownersMin: Int
        var ownersMax: Int
        var missing: BitSet
    }

    @Test func dataflowMatchesPathEnumeration() throws {
        var rng = Random(seed: 5)
        var checked = 0, paths = 0
        for _ in 0..<2_000 {
            let text = Self.randomDesign(&rng)
            let report = Checker.check(text: text, options: CheckOptions(samples: 1))
            let design = try #require(report.design, "\(text)")
            let analyses = Analyses(design: design, samples: 1)
            let flow = analyses.dataflow
            var facts: [JourneyNode: Facts] = [:]
            let fieldCount = flow.fields.count, roleCount = flow.roles.count
            // Depth-first over every path from every entry.
            var stack: [(node: JourneyNode, state: Facts)] = flow.seeds.keys.sorted { ($0.pass, $0.stage) < ($1.pass, $1.stage) }.map {
                ($0, Facts(known: BitSet(count: fieldCount), captured: BitSet(count: fieldCount), contacts: 0, ownersMin: 0, ownersMax: 0,
                           missing: BitSet(count: roleCount, full: true)))
            }
            while let (node, state) = stack.popLast() {
                paths += 1
                if let f = facts[node] {
                    facts[node] = Facts(known: f.known.intersection(state.known), captured: f.captured.union(state.captured),
                                        contacts: max(f.contacts, state.contacts), ownersMin: min(f.ownersMin, state.ownersMin),
                                        ownersMax: max(f.ownersMax, state.ownersMax), missing: f.missing.union(state.missing))
                } else {
                    facts[node] = state
                }
                let s = node.stage
                let stage = design.stages[s]
                for e in flow.outgoing[node] {
                    var next = state
                    if !e.isReject {
                        next.known = next.known.union(flow.captures[s])
                        next.captured = next.captured.union(flow.captures[s])
                        next.contacts += stage.contact ? 1 : 0
                        next.ownersMin += stage.ownsRelationship ? 1 : 0
                        next.ownersMax += stage.ownsRelationship ? 1 : 0
                        next.missing = next.missing.subtracting(flow.engages[s])
                    }
                    if let h = flow.handsOff[s] { next.known = next.known.intersection(h) }
                    stack.append((e.to, next))
                }
            }
            for node in analyses.graph.unrolledOrder {
                #expect(flow.reached[node] == (facts[node] != nil), "reached \(node)\n\(text)")
                guard let f = facts[node] else { continue }
                let dataflow = Facts(known: flow.known[node], captured: flow.capturedBefore[node], contacts: flow.contactsBefore[node],
                                     ownersMin: flow.ownersMinBefore[node], ownersMax: flow.ownersMaxBefore[node], missing: flow.rolesMissing[node])
                #expect(dataflow == f, "node \(node)\n\(text)")
            }
            checked += 1
        }
        #expect(checked == 2_000)
        #expect(paths > 20_000)
    }
}
