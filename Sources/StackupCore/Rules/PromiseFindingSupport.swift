/// What the promise rules say alike: the path, the example customer, the contributors and
/// their table. Kept here so that each rule file holds only its own judgement.
enum PromiseFindingSupport {
    static func budgetMinutes(_ facts: PromiseFacts, _ key: String) -> Double? {
        facts.budgets.first { $0.key == key }?.minutes
    }

    /// "ae 35%, closer 22%": the largest parts of the worst case.
    static func topContributors(_ contributions: [Contribution], count: Int = 3) -> String {
        contributions.sorted { $0.worstCaseShare > $1.worstCaseShare }.prefix(count)
            .map { "\($0.segment) \(NumberFormatting.percent($0.worstCaseShare))" }.joined(separator: ", ")
    }

    /// Related locations at the contributing stages' `sla` lines, largest first.
    static func related(_ contributions: [Contribution], design: Design) -> [RelatedLocation] {
        var seen = Set<Int>()
        var out: [RelatedLocation] = []
        for c in contributions.sorted(by: { $0.worstCaseShare > $1.worstCaseShare }) where !c.isDelay && !seen.contains(c.stage) {
            seen.insert(c.stage)
            let stage = design.stages[c.stage]
            guard let location = stage.slaLocation else { continue }
            out.append(RelatedLocation(location, "`\(stage.id)` (\(c.spec)) takes \(NumberFormatting.span(c.worstCaseMinutes)) of the worst case (\(NumberFormatting.percent(c.worstCaseShare)))"))
            if out.count == 3 { break }
        }
        return out
    }

    /// Stage, SLA, worst-case contribution, tail share: what a user reads first.
    static func table(_ contributions: [Contribution]) -> FindingTable? {
        guard !contributions.isEmpty else { return nil }
        return FindingTable(header: ["stage", "SLA", "worst case", "share", "slowest 10%"], rows: contributions.map { c in
            [c.segment, c.spec, NumberFormatting.span(c.worstCaseMinutes), NumberFormatting.percent(c.worstCaseShare),
             c.tailShare.map(NumberFormatting.percent) ?? "n/a"]
        })
    }

    /// Notes every promise finding carries: sample size and assumptions.
    static func notes(_ facts: PromiseFacts, design: Design, analyses: Analyses) -> [String] {
        var notes: [String] = []
        if let stats = facts.statistics {
            notes.append("statistics from \(analyses.time.monteCarlo?.samples ?? 0) sampled customers (seed \(analyses.time.monteCarlo?.seed ?? 0)); \(stats.reached) reached the promise's end, \(stats.dropped) were dropped and \(stats.unreached) ended elsewhere; stages are idle (no queueing)")
        } else {
            notes.append("no statistics: a customer attribute cannot be sampled")
        }
        let assumed = facts.assumedShapes(design: design, model: analyses.time.model)
        if !assumed.isEmpty {
            notes.append("assumed shape: \(assumed.map { "`\($0)`" }.joined(separator: ", ")) give\(assumed.count == 1 ? "s" : "") one percentile only, read as a lognormal with sigma 1")
        }
        return notes
    }

    /// A promise finding: at the promise, with the worst path, one customer on it, the largest
    /// contributors' SLAs, the sampling notes and the contribution table.
    static func finding(_ rule: any Rule.Type, _ message: String, facts: PromiseFacts, design: Design, analyses: Analyses, help: String) -> Finding {
        let witness = facts.witness(design: design, analyses: analyses)
        var finding = rule.finding(message, at: design.customer.promises[facts.index].location, path: witness.path, example: witness.example,
                                   related: related(facts.contributions, design: design), notes: notes(facts, design: design, analyses: analyses),
                                   help: help, table: table(facts.contributions))
        finding.subject = "promise `\(design.customer.promises[facts.index].name)`"
        return finding
    }

    static func estimateText(_ e: Estimate) -> String {
        "\(NumberFormatting.span(e.value)) (95% CI \(NumberFormatting.span(e.low))–\(NumberFormatting.span(e.high)))"
    }
}
