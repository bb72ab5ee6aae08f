/// Path findings told as a short timeline a sales leader reads at once, e.g.
/// `web → marketing → sdr (asks: pain) → ae (asks: pain again)`. Kept with the rules that use
/// it, since the words are theirs.
enum JourneyTimeline {
    /// The chain's journey, entry first, with a remark after the stages that have one.
    static func render(_ chain: [Int], flow: JourneyDataflow, design: Design, remarks: [Int: String]) -> String {
        var parts: [String] = []
        if let first = chain.first, let e = flow.seeds[first] { parts.append(design.entries[e].name) }
        for node in chain {
            let id = design.stages[node % flow.stageCount].id
            parts.append(remarks[node].map { "\(id) (\($0))" } ?? id)
        }
        return "journey: " + parts.joined(separator: " → ")
    }

    /// One customer who takes the chain, from the criteria regions.
    static func example(_ chain: [Int], flow: JourneyDataflow, analyses: Analyses) -> ExampleCustomer? {
        let criteria = analyses.criteria
        let entry = chain.first.flatMap { flow.seeds[$0] }
        let rejectPairs = Set(chain.indices.dropLast().compactMap { i -> [Int]? in
            let u = chain[i], v = chain[i + 1]
            return flow.outgoing[u].contains { $0.to == v && $0.isReject } && !flow.outgoing[u].contains { $0.to == v && !$0.isReject } ? [u, v] : nil
        })
        let region = criteria.region(along: chain, entry: entry, rejects: { rejectPairs.contains([$0, $1]) })
        return region.example(criteria.domain).map { criteria.domain.customer($0) }
    }

    /// Reached nodes of a stage, first pass first.
    static func nodes(of stage: Int, flow: JourneyDataflow, layers: Int) -> [Int] {
        (0..<layers).map { $0 * flow.stageCount + stage }.filter { flow.reached[$0] }
    }
}
