/// `relationship-owner`: nobody, or too many people in turn, own the relationship.
package enum RelationshipOwnerRule: Rule {
    package static let description = RuleDescription(
        id: "relationship-owner",
        severity: .warning,
        summary: "A path to `won` on which a person meets the customer passes no stage that `owns_relationship`, or changes owner more than `customer.max_owner_changes` times.",
        rationale: """
        In an assembly line of specialists, each team owns its step and nobody owns the customer. Someone \
        must be accountable for the whole relationship on every path to a deal, and the customer should \
        not be passed from owner to owner.
        """,
        fix: "Mark the stage accountable for the customer with `owns_relationship: true`, on every path to `won`.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            routes:
              - to: won
          won: {outcome: won}
        # ^
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            owns_relationship: true
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let flow = analyses.dataflow
        let limit = design.customer.maxOwnerChanges
        var findings: [Finding] = []
        for (s, stage) in design.stages.enumerated() where stage.outcome == .won {
            let nodes = JourneyTimeline.nodes(of: s, flow: flow, graph: analyses.graph)
            // Only paths where a person met the customer: on a self-serve path nobody can own it.
            if let node = nodes.first(where: { flow.metReached[$0] && flow.metOwnersMin[$0] == 0 }) {
                let chain = flow.walkBackMet(from: node) { flow.ownersMinBefore[$0.from] == 0 && !(design.stages[$0.from.stage].ownsRelationship && !$0.isReject) }
                findings.append(finding(
                    "customers reach `\(stage.id)` without any stage that owns the relationship",
                    at: stage.location, stage: stage.id, journey: flow.steps(chain, graph: analyses.graph),
                    example: JourneyTimeline.example(chain, flow: flow, analyses: analyses),
                    notes: [JourneyTimeline.render(chain, flow: flow, graph: analyses.graph, remarks: [:])],
                    help: "mark the stage accountable for the customer with `owns_relationship: true`"))
            }
            if let node = nodes.first(where: { flow.metReached[$0] && flow.metOwnersMax[$0] - 1 > limit }) {
                let chain = flow.walkBackMet(from: node) { e in
                    flow.ownersMaxBefore[e.to] == flow.ownersMaxBefore[e.from] + (design.stages[e.from.stage].ownsRelationship && !e.isReject ? 1 : 0)
                }
                let owners = chain.map { design.stages[$0.stage] }.filter(\.ownsRelationship).map(\.id)
                findings.append(finding(
                    "the relationship changes owner \(owners.count - 1) times on the way to `\(stage.id)`, more than `max_owner_changes` \(limit): \(owners.joined(separator: " → "))",
                    at: stage.location, stage: stage.id, journey: flow.steps(chain, graph: analyses.graph),
                    example: JourneyTimeline.example(chain, flow: flow, analyses: analyses),
                    help: "keep one owner for the whole relationship, or raise `max_owner_changes` knowingly"))
            }
        }
        return findings
    }
}
