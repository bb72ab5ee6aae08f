/// Path findings told as a short timeline a sales leader reads at once, e.g.
/// `web → marketing → sdr (asks: pain) → ae (asks: pain again)`. Kept with the rules that use
/// it, since the words are theirs.
enum JourneyTimeline {
    /// The chain's journey, entry first, with a remark after the stages that have one.
    static func render(_ chain: [JourneyNode], flow: JourneyDataflow, graph: JourneyGraph, remarks: [JourneyNode: String]) -> String {
        let steps = flow.steps(chain, graph: graph)
        let offset = steps.count - chain.count
        let parts = steps.enumerated().map { k, step in
            k >= offset ? remarks[chain[k - offset]].map { "\(step.name) (\($0))" } ?? step.name : step.name
        }
        return "journey: " + parts.joined(separator: " → ")
    }

    /// One customer who takes the chain, from the criteria regions.
    static func example(_ chain: [JourneyNode], flow: JourneyDataflow, analyses: Analyses) -> ExampleCustomer? {
        let criteria = analyses.criteria
        let entry = chain.first.flatMap { flow.seeds[$0] }
        let rejectPairs = Set(chain.indices.dropLast().compactMap { i -> [JourneyNode]? in
            let u = chain[i], v = chain[i + 1]
            return flow.outgoing[u].contains { $0.to == v && $0.isReject } && !flow.outgoing[u].contains { $0.to == v && !$0.isReject } ? [u, v] : nil
        })
        let region = criteria.region(along: chain, entry: entry, rejects: { rejectPairs.contains([$0, $1]) })
        return region.example(criteria.domain).map { criteria.domain.customer($0) }
    }

    /// Reached nodes of a stage, first pass first.
    static func nodes(of stage: Int, flow: JourneyDataflow, graph: JourneyGraph) -> [JourneyNode] {
        graph.nodes(of: stage).filter { flow.reached[$0] }
    }
}
