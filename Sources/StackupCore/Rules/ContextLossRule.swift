/// `context-loss`: a stage needs a field that is not known when the customer arrives.
package enum ContextLossRule: Rule {
    package static let description = RuleDescription(
        id: "context-loss",
        severity: .error,
        summary: "A stage `requires` a field that on some path is not known when the customer arrives, and does not capture it itself.",
        rationale: """
        A handoff record carries only what the sending team puts in it (`hands_off`). When a field the \
        next team needs is left out, or was never asked for on that path, the next team starts without \
        it, and either works blind or asks the customer again. The finding names the handoff that \
        dropped the field.
        """,
        fix: "Add the field to the dropping stage's `hands_off`, capture it earlier on every path, or have the stage capture it itself.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            captures: [company, pain]
            hands_off: [company]
            routes:
              - to: ae
          ae:
            requires: [company, pain]
        #                       ^
            owns_relationship: true
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            captures: [company, pain]
            hands_off: [company, pain]
            routes:
              - to: ae
          ae:
            requires: [company, pain]
            owns_relationship: true
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let flow = analyses.dataflow
        var findings: [Finding] = []
        for (s, stage) in design.stages.enumerated() {
            for field in stage.requires where !stage.captures.contains(where: { $0.value == field.value }) {
                guard let f = flow.fields.firstIndex(of: field.value),
                      let node = JourneyTimeline.nodes(of: s, flow: flow, graph: analyses.graph).first(where: { !flow.known[$0].contains(f) }) else { continue }
                let (chain, dropper) = witness(node, field: f, flow: flow)
                var remarks: [JourneyNode: String] = [node: "needs: \(field.value), not known"]
                var related: [RelatedLocation] = []
                let how: String
                if let d = dropper {
                    let from = design.stages[d.from.stage]
                    remarks[d.from] = "hands off: " + (from.handsOff?.map(\.value).joined(separator: ", ") ?? "")
                    how = "`\(from.id)`'s handoff to `\(design.stages[d.to.stage].id)` leaves it out"
                    if let location = from.handsOffLocation { related.append(RelatedLocation(location, "`\(from.id)` hands off only \(from.handsOff?.map { "`\($0.value)`" }.joined(separator: ", ") ?? "")")) }
                } else {
                    how = "no stage before it on that path asks for it"
                }
                findings.append(finding(
                    "`\(stage.id)` requires `\(field.value)`, but it is not known when the customer arrives on some path: \(how)",
                    at: field.location, stage: stage.id, journey: flow.steps(chain, graph: analyses.graph),
                    example: JourneyTimeline.example(chain, flow: flow, analyses: analyses), related: related,
                    notes: [JourneyTimeline.render(chain, flow: flow, graph: analyses.graph, remarks: remarks)],
                    help: dropper == nil ? "capture `\(field.value)` on every path before `\(stage.id)`, or let `\(stage.id)` capture it" : "add `\(field.value)` to the handoff's `hands_off`"))
            }
        }
        return findings
    }

    /// A path on which the field is unknown on arrival, and the handoff that dropped it, if one
    /// did (rather than nobody asking).
    static func witness(_ node: JourneyNode, field f: Int, flow: JourneyDataflow) -> ([JourneyNode], JourneyDataflow.Edge?) {
        var chain = [node]
        var current = node
        var steps = 0
        while flow.seeds[current] == nil && steps <= flow.nodeCount {
            steps += 1
            // An edge that does not carry the field: dropped by `hands_off`, or unknown before.
            let candidates = flow.incoming[current].filter { e in flow.reached[e.from] && !carried(e, f, flow) }
            if let drop = candidates.first(where: { e in had(e, f, flow) }) {
                let prefix = flow.walkBack(from: drop.from)
                return (prefix + chain.reversed(), drop)
            }
            guard let e = candidates.first else { break }
            current = e.from
            chain.append(current)
        }
        return (chain.reversed(), nil)
    }

    /// True when the field was known or captured at the edge's source, before `hands_off`.
    static func had(_ e: JourneyDataflow.Edge, _ f: Int, _ flow: JourneyDataflow) -> Bool {
        let s = e.from.stage
        return flow.known[e.from].contains(f) || (!e.isReject && flow.captures[s].contains(f))
    }

    static func carried(_ e: JourneyDataflow.Edge, _ f: Int, _ flow: JourneyDataflow) -> Bool {
        had(e, f, flow) && (flow.handsOff[e.from.stage]?.contains(f) ?? true)
    }
}
