/// `dead-end`: a stage that customers can enter but never leave for an outcome.
package enum DeadEndRule: Rule {
    package static let description = RuleDescription(
        id: "dead-end",
        severity: .error,
        summary: "A non-outcome stage has no routes, or cannot reach any outcome.",
        rationale: """
        Every customer's journey must end in an outcome, won or lost. A stage without routes holds \
        customers forever; a group of stages that only route among themselves does the same, one handoff \
        at a time.
        """,
        fix: "Give the stage a route to the next team or to an outcome such as `lost`.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
          ae:
        # ^
            sla: 10d
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
          ae:
            sla: 10d
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let graph = analyses.graph
        var findings: [Finding] = []
        for (i, stage) in design.stages.enumerated() where !stage.isOutcome {
            if stage.routes.isEmpty {
                findings.append(finding("stage `\(stage.id)` has no routes and is not an outcome: customers who reach it stay there",
                                        at: stage.location, stage: stage.id, journey: graph.witnessPath(to: i),
                                        help: "add `routes:` to the next team, or make it an outcome with `outcome: won` or `outcome: lost`"))
            } else if !graph.reachesOutcome[i] {
                findings.append(finding("no route from stage `\(stage.id)` leads to an outcome: its routes only go round a loop with no way out",
                                        at: stage.location, stage: stage.id, journey: graph.witnessPath(to: i),
                                        help: "give one of the stages on this loop a route to an outcome such as `lost`"))
            }
        }
        return findings
    }
}
