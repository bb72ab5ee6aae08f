/// `undeclared-transition`: journeys in the log move along no route of the design.
package enum UndeclaredTransitionRule: CalibrationRule {
    package static let description = RuleDescription(
        id: "undeclared-transition",
        severity: .error,
        summary: "`calibrate`: journeys in the log move from a stage to another along no route, `rejects_to` or loop of the design.",
        rationale: """
        A move the design does not have is a journey nobody analysed: its time, its hand-offs and what the \
        customer is asked again are in no verdict. Either the design is missing a route the organisation uses, \
        or the organisation does something it did not mean to.
        """,
        fix: "Add the route the organisation uses to the design, or find out why cases move that way.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
          ae:
            routes:
        #   ^
              - to: won
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
            routes:
              - {to: won, share: 0.5}
              - to: sdr
          won: {outcome: won}
        """,
        phase: .calibration,
        exampleLog: """
        case_id,stage,timestamp
        c1,sdr,2026-01-05T09:00:00Z
        c1,ae,2026-01-05T10:00:00Z
        c1,won,2026-01-06T10:00:00Z
        c2,sdr,2026-01-05T11:00:00Z
        c2,ae,2026-01-05T12:00:00Z
        c2,sdr,2026-01-06T09:00:00Z
        c2,ae,2026-01-06T10:00:00Z
        c2,won,2026-01-07T10:00:00Z
        """)

    package static func check(_ design: Design, _ calibration: Calibration) -> [Finding] {
        var findings: [Finding] = []
        for move in calibration.conformance.undeclared {
            guard let s = design.stageIndex[move.from] else { continue }
            let stage = design.stages[s]
            let cases = move.cases == 1 ? "1 journey" : "\(move.cases) journeys"
            findings.append(finding(
                "\(cases) (\(NumberFormatting.percent(move.shareOfCases)) of the log's cases) move from `\(move.from)` to `\(move.to)`, along no route or `rejects_to` of `\(move.from)`",
                at: stage.routesLocation ?? stage.location, stage: move.from,
                notes: ["\(move.moves) move\(move.moves == 1 ? "" : "s") in all; for example case\(move.examples.count == 1 ? "" : "s") \(move.examples.map { "`\($0)`" }.joined(separator: ", "))"],
                help: "add `- to: \(move.to)` to the routes of `\(move.from)` if this is how the organisation works, or find out why cases go there"))
        }
        return findings
    }
}
