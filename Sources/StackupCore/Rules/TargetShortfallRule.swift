/// `target-shortfall`: the design cannot produce the outcome rate it is meant to.
package enum TargetShortfallRule: Rule {
    package static let description = RuleDescription(
        id: "target-shortfall",
        severity: .error,
        summary: "The expected rate of an outcome in `customer.targets` (entry rates × simulated share) is below target.",
        rationale: """
        Every team may hit its own conversion numbers while the line as a whole cannot reach the \
        number the business plans on. The expected rate is the entry rates times the share of sampled \
        customers who end in that outcome.
        """,
        fix: "Bring in more customers, convert more of them on the way, or set a target the design can meet.",
        failingExample: """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 100}
          targets:
            won: 40/month
        #   ^
        entries:
          web: {to: sdr, rate: 10/week}
        stages:
          sdr:
            owns_relationship: true
            routes:
              - to: won
                when: {score: ">= 50"}
              - to: lost
          won: {outcome: won}
          lost: {outcome: lost}
        """,
        passingExample: """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 100}
          targets:
            won: 15/month
        entries:
          web: {to: sdr, rate: 10/week}
        stages:
          sdr:
            owns_relationship: true
            routes:
              - to: won
                when: {score: ">= 50"}
              - to: lost
          won: {outcome: won}
          lost: {outcome: lost}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        guard let flow = analyses.flow else { return [] }
        var findings: [Finding] = []
        for target in design.customer.targets {
            guard let wanted = target.rate.perWeek else { continue }
            let stages: [Int]
            if let outcome = Outcome(rawValue: target.outcome.value) {
                stages = design.stages.indices.filter { design.stages[$0].outcome == outcome }
            } else if let s = design.stageIndex[target.outcome.value], design.stages[s].isOutcome {
                stages = [s]
            } else {
                continue
            }
            let expected = stages.reduce(0) { $0 + (flow.outcomesPerWeek[$1] ?? 0) }
            guard expected < wanted else { continue }
            let share = flow.totalRatePerWeek > 0 ? expected / flow.totalRatePerWeek : 0
            // In the target's own unit, so that the comparison reads the way it was written.
            let unit = target.rate.unit
            findings.append(finding(
                "`\(target.outcome.value)` is expected at \(NumberFormatting.rounded(expected * unit.weeks))/\(unit.rawValue) against a target of \(target.rate): \(NumberFormatting.rounded(flow.totalRatePerWeek))/week come in and \(NumberFormatting.percent(share)) end there",
                at: target.outcome.location,
                notes: ["shares from \(flow.samples) sampled customers; \(NumberFormatting.rounded(flow.droppedPerWeek))/week are dropped on the way"],
                help: "bring in more customers, convert more of them, or set a target the design can meet"))
        }
        return findings
    }
}
