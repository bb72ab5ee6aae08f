/// `over-capacity`: a stage receives more customers than it can handle.
package enum OverCapacityRule: Rule {
    package static let description = RuleDescription(
        id: "over-capacity",
        severity: .error,
        summary: "At the declared entry rates a stage receives more customers than its capacity handles (utilisation >= 1): its backlog grows without end.",
        rationale: """
        An SLA is a promise made for an idle team. When more customers arrive each week than the team \
        can work, no SLA holds for long: the queue grows week after week. Arrivals are the entry rates \
        times the visits per sampled customer, loops included.
        """,
        fix: "Add people, raise what each can handle, or route part of the load elsewhere.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 310/week}
        stages:
          sdr:
        # ^
            owns_relationship: true
            capacity: {people: 6, each: 45/week}
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 200/week}
        stages:
          sdr:
            owns_relationship: true
            capacity: {people: 6, each: 45/week}
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        guard let flow = analyses.flow else { return [] }
        return design.stages.enumerated().compactMap { s, stage in
            let load = flow.stages[s]
            guard let capacity = load.capacityPerWeek, let u = load.utilization, u >= 1 else { return nil }
            return finding(
                "`\(stage.id)` receives \(NumberFormatting.rounded(load.arrivalsPerWeek))/week and can handle \(NumberFormatting.rounded(capacity))/week (utilisation \(NumberFormatting.percent(u))): its backlog grows without end",
                at: stage.location, stage: stage.id,
                notes: ["arrivals are the entry rates (\(NumberFormatting.rounded(flow.totalRatePerWeek))/week) times the visits per customer of \(flow.samples) sampled customers"],
                help: "add people, raise `each`, or route part of the load elsewhere")
        }
    }
}
