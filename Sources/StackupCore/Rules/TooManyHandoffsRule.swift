/// `too-many-handoffs`: the customer meets more people than the design allows.
package enum TooManyHandoffsRule: Rule {
    package static let description = RuleDescription(
        id: "too-many-handoffs",
        severity: .error,
        summary: "Some path has more changes of contact than `customer.max_handoffs`.",
        rationale: """
        Every specialist the customer deals with is another introduction, another context switch and \
        another chance to drop the ball. The number of handoffs is the number of `contact` stages on a \
        path minus one; the finding lists the people met, in order, on the path with the most.
        """,
        fix: "Merge contact stages, let one person carry the customer through, or raise the budget knowingly.",
        failingExample: """
        stackup: 1
        customer:
          max_handoffs: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            routes:
              - to: ae
          ae:
            contact: true
            owns_relationship: true
            routes:
              - to: closer
          closer:
        # ^
            contact: true
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          max_handoffs: 2
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
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
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let flow = analyses.dataflow
        guard let limit = design.customer.maxHandoffs, analyses.graph.stageCount > 0 else { return [] }
        // The reached node with the most contacts through it; the earliest such on ties.
        var best: JourneyNode?
        for node in analyses.graph.unrolledOrder where flow.reached[node] {
            if flow.contactsThrough(node) > best.map(flow.contactsThrough) ?? Int.min { best = node }
        }
        guard let end = best, flow.contactsThrough(end) - 1 > limit else { return [] }
        // Back along edges that keep the maximum.
        let chain = flow.walkBack(from: end) { e in
            let s = e.from.stage
            return flow.contactsBefore[e.to] == flow.contactsBefore[e.from] + (!e.isReject && design.stages[s].contact ? 1 : 0)
        }
        let contacts = chain.filter { design.stages[$0.stage].contact }
        guard contacts.count > limit + 1 else { return [] }
        // Reported at the contact stage that goes over the limit.
        let over = design.stages[contacts[limit + 1].stage]
        let people = contacts.map { node -> String in
            let st = design.stages[node.stage]
            return st.team.map { "\(st.id) (\($0))" } ?? st.id
        }
        return [finding(
            "customers meet \(contacts.count) people on one path: \(contacts.count - 1) handoffs, more than `max_handoffs` \(limit)",
            at: over.location, stage: over.id, journey: flow.steps(chain, graph: analyses.graph),
            example: JourneyTimeline.example(chain, flow: flow, analyses: analyses),
            notes: ["people met, in order: " + people.joined(separator: " → ")],
            help: "merge contact stages or let one person carry the customer further")]
    }
}
