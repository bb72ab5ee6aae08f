/// `promise-at-risk`: the sampled figure holds, but the worst case does not.
package enum PromiseAtRiskRule: Rule {
    package static let description = RuleDescription(
        id: "promise-at-risk",
        severity: .warning,
        summary: "The sampled percentile holds, but the worst-case path exceeds the promise's percentile budget.",
        rationale: """
        Most customers are served in time, yet a customer who meets every team at the edge of its SLA \
        is served late, with every stage within its own spec. The promise holds only as long as bad \
        luck does not line up along the path.
        """,
        fix: "Tighten the SLA bounds of the largest contributors, or accept the risk with a `max` budget that says so.",
        failingExample: """
        stackup: 1
        customer:
          promises:
            reply: {to: ae, p90: 3.5d}
        #   ^
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: {within: 2d}
            routes:
              - to: bdm
          bdm:
            sla: {within: 2d}
            routes:
              - to: ae
          ae:
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          promises:
            reply: {to: ae, p90: 4d}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: {within: 2d}
            routes:
              - to: bdm
          bdm:
            sla: {within: 2d}
            routes:
              - to: ae
          ae:
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        var findings: [Finding] = []
        for facts in analyses.time.promises {
            let promise = design.customer.promises[facts.index]
            guard let worst = facts.worst else { continue }
            // The highest percentile budget given is the one a worst case speaks to.
            guard let key = ["p99", "p90", "p50"].first(where: { PromiseFindingSupport.budgetMinutes(facts, $0) != nil }),
                  let budget = PromiseFindingSupport.budgetMinutes(facts, key), worst.minutes > budget else { continue }
            // A broken promise is promise-broken's to report, with every budget that breaks.
            guard PromiseFindingSupport.brokenBudgets(facts, design).isEmpty else { continue }
            let measure = facts.ends.measure
            let sampled = facts.statistics?.quantiles[key].map { "the sampled \(key) of \(PromiseFindingSupport.estimateText($0, in: measure)) holds" }
                ?? "the sampled \(key) is unknown"
            let share = facts.statistics?.pMeet[key].map { ", and \(NumberFormatting.percent(1 - $0.value)) of customers are over it" } ?? ""
            let (value, limit) = NumberFormatting.spans(worst.minutes, against: budget, in: measure)
            findings.append(PromiseFindingSupport.finding(self,
                "promise `\(promise.name)` is at risk: \(PromiseFindingSupport.forWhom(facts))\(sampled), but \(PromiseFindingSupport.worstCaseName(facts)) is \(value) against the \(key) budget of \(limit)\(share). Largest parts of the worst case: \(PromiseFindingSupport.topContributors(facts.contributions))",
                facts: facts, design: design, analyses: analyses,
                help: "tighten the SLA bounds of the largest contributors, or give the promise a `max` that states the risk"))
        }
        return findings
    }
}
