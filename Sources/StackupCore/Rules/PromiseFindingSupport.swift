/// What the promise rules say alike: the path, the example customer, the contributors and
/// their table. Kept here so that each rule file holds only its own judgement.
enum PromiseFindingSupport {
    static func budgetMinutes(_ facts: PromiseFacts, _ key: String) -> Double? {
        facts.budgets.first { $0.key == key }?.minutes
    }

    /// "the worst case", or what the figure really is when a segment has no upper bound.
    static func worstCaseName(_ facts: PromiseFacts) -> String {
        facts.worstCaseIsBounded ? "the worst case" : "the worst path at every stage's highest declared percentile"
    }

    /// What breaks: each sampled percentile over its budget, and the worst case over `max`.
    /// Empty when the promise holds; `promise-at-risk` then may speak.
    static func brokenBudgets(_ facts: PromiseFacts, _ design: Design) -> [String] {
        let measure = facts.ends.measure
        var broken: [String] = []
        for key in ["p50", "p90", "p99"] {
            guard let budget = budgetMinutes(facts, key), let q = facts.statistics?.quantiles[key], !TimeAnalysis.meets(q.value, budget: budget) else { continue }
            let (value, limit) = NumberFormatting.spans(q.value, against: budget, in: measure)
            let low = NumberFormatting.span(q.low, unitOf: budget, in: measure), high = NumberFormatting.span(q.high, unitOf: budget, in: measure)
            broken.append("\(key) is \(value) (95% CI \(low)–\(high)) against a budget of \(limit)")
        }
        if let max = budgetMinutes(facts, "max"), let worst = facts.worst, !TimeAnalysis.meets(worst.minutes, budget: max) {
            let (value, limit) = NumberFormatting.spans(worst.minutes, against: max, in: measure)
            broken.append("\(worstCaseName(facts)) is \(value) against a max of \(limit)")
        }
        return broken
    }

    /// "ae 35%, closer 22%": the largest parts of the worst case.
    static func topContributors(_ contributions: [Contribution], count: Int = 3) -> String {
        contributions.sorted { $0.worstCaseShare > $1.worstCaseShare }.prefix(count)
            .map { "\($0.segment) \(NumberFormatting.percent($0.worstCaseShare))" }.joined(separator: ", ")
    }

    /// Related locations at the contributing stages' `sla` lines, largest first.
    static func related(_ contributions: [Contribution], design: Design, measure: TimeMeasure) -> [RelatedLocation] {
        var seen = Set<Int>()
        var out: [RelatedLocation] = []
        for c in contributions.sorted(by: { $0.worstCaseShare > $1.worstCaseShare }) where !c.isDelay && !seen.contains(c.stage) {
            seen.insert(c.stage)
            let stage = design.stages[c.stage]
            // A first-touch promise's last part is the stage's `responds`, not its `sla`.
            guard let location = c.isResponse ? stage.respondsLocation : stage.slaLocation else { continue }
            out.append(RelatedLocation(location, "`\(stage.id)` (\(c.spec)) takes \(NumberFormatting.span(c.worstCaseMinutes, in: measure)) of the worst case (\(NumberFormatting.percent(c.worstCaseShare)))"))
            if out.count == 3 { break }
        }
        return out
    }

    /// Stage, SLA, worst-case contribution, tail share: what a user reads first.
    static func table(_ contributions: [Contribution], measure: TimeMeasure) -> FindingTable? {
        guard !contributions.isEmpty else { return nil }
        return FindingTable(header: ["stage", "SLA", "worst case", "share", "slowest 10%"], rows: contributions.map { c in
            [c.segment, c.spec, NumberFormatting.span(c.worstCaseMinutes, in: measure) + (c.isBounded ? "" : " (no bound)"), NumberFormatting.percent(c.worstCaseShare),
             c.tailShare.map(NumberFormatting.percent) ?? "n/a"]
        })
    }

    /// Notes every promise finding carries: sample size and assumptions.
    static func notes(_ facts: PromiseFacts, design: Design, analyses: Analyses) -> [String] {
        var notes: [String] = []
        if let stats = facts.statistics {
            let whom = facts.populationText.map { ", of whom \(stats.population) are customers with \($0)" } ?? ""
            notes.append("statistics from \(analyses.time.monteCarlo?.samples ?? 0) sampled customers (seed \(analyses.time.monteCarlo?.seed ?? 0))\(whom); \(stats.reached) reached the promise's end, \(stats.dropped) were dropped and \(stats.unreached) ended elsewhere; stages are idle (no queueing)")
        } else {
            notes.append("no statistics: a customer attribute cannot be sampled")
        }
        if facts.ends.isBusinessTime {
            notes.append("measured in business time: the working hours of the design's calendar between the promise's start and its end")
        }
        let unbounded = facts.contributions.filter { !$0.isBounded }
        if !unbounded.isEmpty {
            // An effort of a stage without `sla` has no declared percentile: its p99 stands in.
            let isEffort = { (c: Contribution) in !c.isDelay && !c.isResponse && design.stages[c.stage].sla == nil }
            func list(_ cs: [Contribution]) -> String { cs.map { "`\($0.segment)`" }.joined(separator: ", ") }
            var parts: [String] = []
            let declared = unbounded.filter { !isEffort($0) }
            if !declared.isEmpty {
                parts.append("\(list(declared)) \(declared.count == 1 ? "has" : "have") no `max`, `within` or `fixed`, so the worst path takes \(declared.count == 1 ? "its" : "their") highest declared percentile")
            }
            let efforts = unbounded.filter(isEffort)
            if !efforts.isEmpty {
                parts.append("\(list(efforts)) \(efforts.count == 1 ? "has" : "have") capacity and no `sla`, so the worst path takes the effort's p99")
            }
            notes.append("not an upper bound, and some customers exceed it: \(parts.joined(separator: "; "))")
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
        let measure = facts.ends.measure
        return rule.finding(message, at: design.customer.promises[facts.index].location, journey: witness.journey, example: witness.example,
                            related: related(facts.contributions, design: design, measure: measure),
                            notes: notes(facts, design: design, analyses: analyses),
                            help: help, table: table(facts.contributions, measure: measure),
                            subject: "promise `\(design.customer.promises[facts.index].name)`")
    }

    /// "for customers with segment = enterprise, " for a promise with `for`; "" otherwise.
    static func forWhom(_ facts: PromiseFacts) -> String {
        facts.populationText.map { "for customers with \($0), " } ?? ""
    }

    static func estimateText(_ e: Estimate, in measure: TimeMeasure) -> String {
        "\(NumberFormatting.span(e.value, in: measure)) (95% CI \(NumberFormatting.span(e.low, unitOf: e.value, in: measure))–\(NumberFormatting.span(e.high, unitOf: e.value, in: measure)))"
    }
}
