/// `route-drift`: a route's measured share lies outside the interval the design allows.
package enum RouteDriftRule: CalibrationRule {
    package static let description = RuleDescription(
        id: "route-drift",
        severity: .warning,
        summary: "`calibrate`: a route's measured share of the moves out of its stage lies outside the 95% Wilson interval of the share the design implies.",
        rationale: """
        Load downstream, capacity and every share-weighted figure follow from the routes' shares. A share that \
        the log contradicts moves load to a team the design thinks is quiet.
        """,
        fix: "Declare the share the organisation really has (`calibrate --write FILE` writes it), or find out why the routing changed.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 140/week}
        stages:
          sdr:
            routes:
              - {to: ae, share: 0.9}
        #       ^
              - to: lost
        #       ^
          ae:
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 140/week}
        stages:
          sdr:
            routes:
              - {to: ae, share: 0.5}
              - to: lost
          ae:
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """,
        phase: .calibration,
        exampleLog: """
        case_id,stage,timestamp
        c01,sdr,2026-01-05T09:00:00Z
        c01,ae,2026-01-05T10:00:00Z
        c01,won,2026-01-05T11:00:00Z
        c02,sdr,2026-01-05T09:10:00Z
        c02,lost,2026-01-05T10:00:00Z
        c03,sdr,2026-01-05T09:20:00Z
        c03,ae,2026-01-05T10:00:00Z
        c03,won,2026-01-05T11:00:00Z
        c04,sdr,2026-01-05T09:30:00Z
        c04,lost,2026-01-05T10:00:00Z
        c05,sdr,2026-01-05T09:40:00Z
        c05,ae,2026-01-05T10:00:00Z
        c05,won,2026-01-05T11:00:00Z
        c06,sdr,2026-01-05T09:50:00Z
        c06,lost,2026-01-05T10:00:00Z
        c07,sdr,2026-01-05T10:00:00Z
        c07,ae,2026-01-05T11:00:00Z
        c07,won,2026-01-05T12:00:00Z
        c08,sdr,2026-01-05T10:10:00Z
        c08,lost,2026-01-05T11:00:00Z
        c09,sdr,2026-01-05T10:20:00Z
        c09,ae,2026-01-05T11:00:00Z
        c09,won,2026-01-05T12:00:00Z
        c10,sdr,2026-01-05T10:30:00Z
        c10,lost,2026-01-05T11:00:00Z
        c11,sdr,2026-01-05T10:40:00Z
        c11,ae,2026-01-05T11:00:00Z
        c11,won,2026-01-05T12:00:00Z
        c12,sdr,2026-01-05T10:50:00Z
        c12,lost,2026-01-05T11:00:00Z
        c13,sdr,2026-01-05T11:00:00Z
        c13,ae,2026-01-05T12:00:00Z
        c13,won,2026-01-05T13:00:00Z
        c14,sdr,2026-01-05T11:10:00Z
        c14,lost,2026-01-05T12:00:00Z
        c15,sdr,2026-01-05T11:20:00Z
        c15,ae,2026-01-05T12:00:00Z
        c15,won,2026-01-05T13:00:00Z
        c16,sdr,2026-01-05T11:30:00Z
        c16,lost,2026-01-05T12:00:00Z
        c17,sdr,2026-01-05T11:40:00Z
        c17,ae,2026-01-05T12:00:00Z
        c17,won,2026-01-05T13:00:00Z
        c18,sdr,2026-01-05T11:50:00Z
        c18,lost,2026-01-05T12:00:00Z
        c19,sdr,2026-01-05T12:00:00Z
        c19,ae,2026-01-05T13:00:00Z
        c19,won,2026-01-05T14:00:00Z
        c20,sdr,2026-01-05T12:10:00Z
        c20,lost,2026-01-05T13:00:00Z
        """)

    package static func check(_ design: Design, _ calibration: Calibration) -> [Finding] {
        var findings: [Finding] = []
        for route in calibration.routes {
            guard let implied = route.designShare, let s = design.stageIndex[route.from] else { continue }
            let stage = design.stages[s]
            // Only moves the design allows: the others are `undeclared-transition`'s.
            guard let location = stage.routes.first(where: { $0.to.value == route.to })?.location ?? (stage.rejectsTo?.value == route.to ? stage.rejectsTo?.location : nil) else { continue }
            // Wilson's bounds at a share of 0 or 1 are 0 or 1 up to rounding.
            guard implied < route.share.low - 1e-9 || implied > route.share.high + 1e-9 else { continue }
            let total = route.share.value > 0 ? Int((Double(route.moves) / route.share.value).rounded()) : calibration.routes.filter { $0.from == route.from }.reduce(0) { $0 + $1.moves }
            var notes: [String] = []
            if route.designShareSampled {
                notes.append("the design's share is sampled from its own simulated journeys (conditions decide these routes)")
            }
            findings.append(finding(
                "`\(route.from)` → `\(route.to)` takes \(NumberFormatting.percent(route.share.value)) of the moves out of `\(route.from)` (95% interval \(NumberFormatting.percent(route.share.low))–\(NumberFormatting.percent(route.share.high)), \(route.moves) of \(total) moves), but the design implies \(NumberFormatting.percent(implied))",
                at: location, stage: route.from, notes: notes,
                help: "declare the share the organisation has (`calibrate --write FILE` writes it), or find out why the routing changed"))
        }
        return findings
    }
}
