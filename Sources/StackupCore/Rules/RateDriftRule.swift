/// `rate-drift`: an entry's measured arrivals lie outside the interval around its `rate`.
package enum RateDriftRule: CalibrationRule {
    package static let description = RuleDescription(
        id: "rate-drift",
        severity: .warning,
        summary: "`calibrate`: an entry's measured arrivals per week lie outside their 95% interval around the declared `rate`.",
        rationale: """
        Capacity and queueing verdicts scale with the arrival rate. A design that declares half the leads the \
        organisation gets finds no queue where the customers wait in one.
        """,
        fix: "Declare the rate the log shows (`calibrate --write FILE` writes it), or check that the log holds every arrival.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 500/week}
        # ^
        stages:
          sdr:
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 20/week}
        stages:
          sdr:
            routes:
              - to: won
          won: {outcome: won}
        """,
        phase: .calibration,
        exampleLog: """
        case_id,stage,timestamp
        c01,sdr,2026-01-05T09:00:00Z
        c02,sdr,2026-01-05T17:00:00Z
        c03,sdr,2026-01-06T09:00:00Z
        c04,sdr,2026-01-06T17:00:00Z
        c05,sdr,2026-01-07T09:00:00Z
        c06,sdr,2026-01-07T17:00:00Z
        c07,sdr,2026-01-08T09:00:00Z
        c08,sdr,2026-01-08T17:00:00Z
        c09,sdr,2026-01-09T09:00:00Z
        c10,sdr,2026-01-09T17:00:00Z
        c11,sdr,2026-01-10T09:00:00Z
        c12,sdr,2026-01-10T17:00:00Z
        c13,sdr,2026-01-11T09:00:00Z
        c14,sdr,2026-01-11T17:00:00Z
        c15,sdr,2026-01-12T09:00:00Z
        c16,sdr,2026-01-12T17:00:00Z
        c17,sdr,2026-01-13T09:00:00Z
        c18,sdr,2026-01-13T17:00:00Z
        c19,sdr,2026-01-14T09:00:00Z
        c20,sdr,2026-01-14T17:00:00Z
        c01,won,2026-01-14T18:00:00Z
        """)

    package static func check(_ design: Design, _ calibration: Calibration) -> [Finding] {
        var findings: [Finding] = []
        var judged = Set<String>()
        for figures in calibration.entries {
            // Entries to one stage are judged together, once, at the first of them.
            guard let declared = figures.declaredPerWeek, judged.insert(figures.stage).inserted,
                  let entry = design.entries.first(where: { $0.name == figures.name }) else { continue }
            guard declared < figures.perWeek.low || declared > figures.perWeek.high else { continue }
            let who = figures.sharedWith.isEmpty ? "`\(figures.name)` declares \(entry.rate)"
                : "`\(([figures.name] + figures.sharedWith).joined(separator: "`, `"))` together declare \(NumberFormatting.rounded(declared))/week"
            var notes = ["arrivals are counted from the log's first event to the cut-off (`--as-of`)"]
            // A log that stops taking cases long before its cut-off (a simulated one does: its
            // journeys drain after the last arrival) counts that tail as weeks without arrivals.
            if let last = figures.lastArrival, figures.cases > 1 {
                let gap = calibration.asOf - last
                let mean = calibration.weeks * 7 * 86_400 / Double(figures.cases)
                if gap > max(86_400, 10 * mean) {
                    notes.append("the last arrival at `\(figures.stage)` was \(NumberFormatting.rounded(gap / 86_400)) days before the cut-off; if the log stopped taking cases then, `--as-of \(ISOTime.format(Int64(last.rounded(.down))))` measures up to it")
                }
            }
            findings.append(finding(
                "\(figures.cases) case\(figures.cases == 1 ? "" : "s") arrived at `\(figures.stage)` over \(NumberFormatting.rounded(calibration.weeks)) weeks, \(NumberFormatting.rounded(figures.perWeek.value)) a week (95% interval \(NumberFormatting.rounded(figures.perWeek.low))–\(NumberFormatting.rounded(figures.perWeek.high))), but \(who)",
                at: entry.location, stage: figures.stage, notes: notes,
                help: "declare the rate the log shows (`calibrate --write FILE` writes it), or check that the log holds every arrival"))
        }
        return findings
    }
}
