/// `promise-broken`: a customer promise's budget is exceeded.
package enum PromiseBrokenRule: Rule {
    package static let description = RuleDescription(
        id: "promise-broken",
        severity: .error,
        summary: "A customer promise's budget is exceeded: a sampled percentile is over its budget, or the worst case is over `max`.",
        rationale: """
        Every team meets its own SLA, yet the customer waits longer than promised: the times add up \
        across stages and handoffs. The worst case takes each stage and delay at its bound along the \
        slowest path the criteria allow; the percentiles come from seeded sampling of customers.
        """,
        fix: "Shorten the largest contributors in the table, remove a handoff, or renegotiate the promise.",
        failingExample: """
        stackup: 1
        customer:
          promises:
            decision: {to: won, max: 10d}
        #   ^
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: {fixed: 2d}
            routes:
              - to: ae
          ae:
            sla: {fixed: 5d}
            routes:
              - to: closer
          closer:
            sla: {fixed: 4d}
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          promises:
            decision: {to: won, max: 12d}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: {fixed: 2d}
            routes:
              - to: ae
          ae:
            sla: {fixed: 5d}
            routes:
              - to: closer
          closer:
            sla: {fixed: 4d}
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        var findings: [Finding] = []
        for facts in analyses.time.promises {
            let promise = design.customer.promises[facts.index]
            let broken = PromiseFindingSupport.brokenBudgets(facts, design)
            guard !broken.isEmpty else { continue }
            let top = PromiseFindingSupport.topContributors(facts.contributions)
            findings.append(PromiseFindingSupport.finding(self,
                "promise `\(promise.name)` is broken: \(PromiseFindingSupport.forWhom(facts))\(broken.joined(separator: "; "))\(top.isEmpty ? "" : ". Largest parts of the worst case: \(top)")",
                facts: facts, design: design, analyses: analyses,
                help: "shorten the largest contributors, remove a handoff, or renegotiate the promise"))
        }
        return findings
    }
}
