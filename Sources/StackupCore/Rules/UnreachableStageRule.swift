/// `unreachable-stage`: no entry leads to the stage.
package enum UnreachableStageRule: Rule {
    package static let description = RuleDescription(
        id: "unreachable-stage",
        severity: .warning,
        summary: "No entry can reach the stage.",
        rationale: """
        A team that no customer can reach is either left over from an old design or was meant to receive \
        a handoff that nobody makes. Either way the design does not say what its author thinks.
        """,
        fix: "Route customers to the stage from an entry or an earlier stage, or remove it.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: won
          partner:
        # ^
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
          referral: {to: partner, rate: 5/week}
        stages:
          sdr:
            routes:
              - to: won
          partner:
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let graph = analyses.graph
        guard graph.entryTargets.contains(where: { $0 != nil }) else { return [] }
        return design.stages.indices.filter { !graph.reachable[$0] }.map { i in
            let stage = design.stages[i]
            return finding("stage `\(stage.id)` cannot be reached from any entry", at: stage.location, stage: stage.id,
                           help: "route customers to `\(stage.id)` from an entry or another stage, or remove it")
        }
    }
}
