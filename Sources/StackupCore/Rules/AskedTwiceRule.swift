/// `asked-twice`: a stage asks the customer for something an earlier stage already asked.
package enum AskedTwiceRule: Rule {
    package static let description = RuleDescription(
        id: "asked-twice",
        severity: .error,
        summary: "A stage captures a field already captured earlier on some path (an error for `never_ask_twice` fields, a note otherwise).",
        rationale: """
        Nothing tells a customer that nobody listened like being asked for the same facts by a second \
        and a third person. Fields in `customer.never_ask_twice` are errors; other repeated questions \
        are notes, since a second conversation may be deliberate.
        """,
        fix: "Carry the field in the earlier stage's `hands_off` and drop it from the later stage's `captures`.",
        failingExample: """
        stackup: 1
        customer:
          never_ask_twice: [pain]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            captures: [pain]
            routes:
              - to: ae
          ae:
            owns_relationship: true
            captures: [budget, pain]
        #                      ^
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          never_ask_twice: [pain]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            captures: [pain]
            routes:
              - to: ae
          ae:
            owns_relationship: true
            requires: [pain]
            captures: [budget]
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let flow = analyses.dataflow
        let strict = Set(design.customer.neverAskTwice.map(\.value))
        var findings: [Finding] = []
        for (s, stage) in design.stages.enumerated() {
            for field in stage.captures {
                guard let f = flow.fields.firstIndex(of: field.value),
                      let node = JourneyTimeline.nodes(of: s, flow: flow, graph: analyses.graph).first(where: { flow.capturedBefore[$0].contains(f) }) else { continue }
                let (chain, earlier) = witness(node, field: f, flow: flow)
                let first = earlier.map { design.stages[$0.stage] }
                var remarks: [JourneyNode: String] = [node: "asks: \(field.value) again"]
                if let e = earlier { remarks[e] = "asks: \(field.value)" }
                let firstField = first?.captures.first { $0.value == field.value }
                findings.append(finding(
                    "`\(stage.id)` asks the customer for `\(field.value)` again: `\(first?.id ?? "an earlier stage")` already asked on the way here",
                    at: field.location, severity: strict.contains(field.value) ? .error : .note, stage: stage.id,
                    journey: flow.steps(chain, graph: analyses.graph), example: JourneyTimeline.example(chain, flow: flow, analyses: analyses),
                    related: firstField.map { [RelatedLocation($0.location, "`\(first?.id ?? "")` asks for `\(field.value)` first")] } ?? [],
                    notes: [JourneyTimeline.render(chain, flow: flow, graph: analyses.graph, remarks: remarks)],
                    help: "hand `\(field.value)` on from `\(first?.id ?? "the earlier stage")` (`hands_off`) instead of asking again"))
            }
        }
        return findings
    }

    /// A path to `node` on which an earlier stage captured the field, and that earlier node.
    static func witness(_ node: JourneyNode, field f: Int, flow: JourneyDataflow) -> ([JourneyNode], JourneyNode?) {
        var chain = [node]
        var current = node
        var steps = 0
        while steps <= flow.nodeCount {
            steps += 1
            let edges = flow.incoming[current].filter { flow.reached[$0.from] }
            if let asker = edges.first(where: { !$0.isReject && flow.captures[$0.from.stage].contains(f) }) {
                return (flow.walkBack(from: asker.from) + chain.reversed(), asker.from)
            }
            guard let e = edges.first(where: { flow.capturedBefore[$0.from].contains(f) }) else { break }
            current = e.from
            chain.append(current)
        }
        return (chain.reversed(), nil)
    }
}
