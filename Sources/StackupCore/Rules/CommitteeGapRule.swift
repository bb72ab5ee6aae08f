/// `committee-gap`: a buying-committee role nobody works with on the way to a deal.
package enum CommitteeGapRule: Rule {
    package static let description = RuleDescription(
        id: "committee-gap",
        severity: .warning,
        summary: "A path to `won` on which a person meets the customer never engages a committee role; a note when the `economic_buyer` is first engaged at the last contact stage before `won`, when an earlier one could have.",
        rationale: """
        B2B decisions are made by a committee (6.8 people on average). A design in which some role is \
        never engaged on a path to a deal relies on luck; one in which the economic buyer is first met \
        by the closer meets the person who signs only when it is too late to shape the deal.
        """,
        fix: "Have a stage on every path `engages` the role, and reach the economic buyer before the final stage.",
        failingExample: """
        stackup: 1
        customer:
          committee: [economic_buyer, champion]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            owns_relationship: true
            engages: [champion]
            routes:
              - to: won
          won: {outcome: won}
        # ^
        """,
        passingExample: """
        stackup: 1
        customer:
          committee: [economic_buyer, champion]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            owns_relationship: true
            engages: [champion, economic_buyer]
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let flow = analyses.dataflow
        var findings: [Finding] = []
        for (s, stage) in design.stages.enumerated() where stage.outcome == .won {
            for (r, role) in flow.roles.enumerated() {
                // Only paths where a person met the customer: self-serve has nobody to engage them.
                guard let node = JourneyTimeline.nodes(of: s, flow: flow, graph: analyses.graph)
                    .first(where: { flow.metReached[$0] && flow.metRolesMissing[$0].contains(r) }) else { continue }
                let chain = flow.walkBackMet(from: node) { e in
                    flow.rolesMissing[e.from].contains(r) && (e.isReject || !flow.engages[e.from.stage].contains(r))
                }
                findings.append(finding(
                    "`\(role)` is never engaged on a path to `\(stage.id)`",
                    at: stage.location, stage: stage.id, journey: flow.steps(chain, graph: analyses.graph),
                    example: JourneyTimeline.example(chain, flow: flow, analyses: analyses),
                    related: design.customer.committee.filter { $0.value == role }.map { RelatedLocation($0.location, "`\(role)` is on the committee") },
                    notes: [JourneyTimeline.render(chain, flow: flow, graph: analyses.graph, remarks: [:])],
                    help: "have a stage on this path engage `\(role)`"))
            }
        }
        findings.append(contentsOf: lateEconomicBuyer(design, analyses))
        return findings
    }

    /// The economic buyer met first at the last contact stage before `won`, when an earlier
    /// contact stage could have engaged them.
    static func lateEconomicBuyer(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let flow = analyses.dataflow
        guard let eb = flow.roles.firstIndex(of: "economic_buyer"), analyses.graph.stageCount > 0 else { return [] }
        var findings: [Finding] = []
        var reported = Set<Int>()
        for node in analyses.graph.unrolledOrder where flow.reached[node] {
            let s = node.stage
            let stage = design.stages[s]
            // Only when someone else met the customer first: in a one-person design the only
            // contact is trivially the last one.
            // Only on a path that met a contact stage before this one, with the buyer still
            // unengaged: there an earlier person could have met them.
            guard stage.contact, flow.engages[s].contains(eb), flow.metReached[node], flow.metRolesMissing[node].contains(eb),
                  !reported.contains(s) else { continue }
            // Does a path lead on to `won` without meeting another contact stage?
            var work = flow.outgoing[node].filter { !$0.isReject }.map(\.to)
            var seen = Set<JourneyNode>()
            var reachesWon = false
            while let v = work.popLast() {
                guard seen.insert(v).inserted else { continue }
                let t = design.stages[v.stage]
                if t.outcome == .won { reachesWon = true; break }
                if t.contact || t.isOutcome { continue }
                work.append(contentsOf: flow.outgoing[v].map(\.to))
            }
            guard reachesWon else { continue }
            reported.insert(s)
            let chain = flow.walkBackMet(from: node) { e in flow.rolesMissing[e.from].contains(eb) && (e.isReject || !flow.engages[e.from.stage].contains(eb)) }
            let location = stage.engages.first { $0.value == "economic_buyer" }?.location ?? stage.location
            findings.append(finding(
                "the economic buyer is first engaged by `\(stage.id)`, the last person the customer meets before `won`: too late to shape the deal",
                at: location, severity: .note, stage: stage.id, journey: flow.steps(chain, graph: analyses.graph),
                example: JourneyTimeline.example(chain, flow: flow, analyses: analyses),
                help: "engage `economic_buyer` at an earlier contact stage"))
        }
        return findings
    }
}
