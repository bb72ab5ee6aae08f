/// `sla-drift`: a stage's measured time in stage differs from its declared `sla`.
package enum SlaDriftRule: CalibrationRule {
    package static let description = RuleDescription(
        id: "sla-drift",
        severity: .error,
        summary: "`calibrate`: a stage's measured time in stage is slower than its declared `sla` (error), or faster than it (note).",
        rationale: """
        Every stack-up verdict rests on the SLAs the design declares. When a team is slower than its SLA says, \
        promises that look kept on paper are broken in fact; when it is faster, the design understates the team \
        and its promises are more cautious than they need be. Only a difference the data is sure of counts: a \
        measured percentile whose whole 95% interval lies beyond the declared one, or more than 1% of visits past a \
        declared `max`, `within` or `fixed` bound.
        """,
        fix: "Find out why the team is slower (capacity, hand-offs, hours), or declare what it really does: `calibrate --write FILE` writes the measured figures.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 60/week}
        stages:
          sdr:
            sla:
              p50: 1h
        #     ^
              p90: 4h
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 60/week}
        stages:
          sdr:
            sla: {p50: 6h, p90: 10h}
            routes:
              - to: won
          won: {outcome: won}
        """,
        phase: .calibration,
        exampleLog: """
        case_id,stage,timestamp
        c01,sdr,2026-01-05T09:00:00Z
        c01,won,2026-01-05T14:00:00Z
        c02,sdr,2026-01-05T10:00:00Z
        c02,won,2026-01-05T15:30:00Z
        c03,sdr,2026-01-05T11:00:00Z
        c03,won,2026-01-05T17:00:00Z
        c04,sdr,2026-01-05T12:00:00Z
        c04,won,2026-01-05T18:30:00Z
        c05,sdr,2026-01-05T13:00:00Z
        c05,won,2026-01-05T20:00:00Z
        c06,sdr,2026-01-05T14:00:00Z
        c06,won,2026-01-05T21:30:00Z
        c07,sdr,2026-01-05T15:00:00Z
        c07,won,2026-01-05T23:00:00Z
        c08,sdr,2026-01-05T16:00:00Z
        c08,won,2026-01-06T00:30:00Z
        c09,sdr,2026-01-05T17:00:00Z
        c09,won,2026-01-06T02:00:00Z
        c10,sdr,2026-01-05T18:00:00Z
        c10,won,2026-01-06T03:30:00Z
        c11,sdr,2026-01-05T19:00:00Z
        c11,won,2026-01-06T05:00:00Z
        c12,sdr,2026-01-05T20:00:00Z
        c12,won,2026-01-06T06:30:00Z
        """)

    package static func check(_ design: Design, _ calibration: Calibration) -> [Finding] {
        var findings: [Finding] = []
        for figures in calibration.stages {
            guard let s = design.stageIndex[figures.id], let location = design.stages[s].slaLocation ?? Optional(design.stages[s].location) else { continue }
            let unit = figures.business ? "working hours" : "h"
            let visits = "over \(figures.visits) visit\(figures.visits == 1 ? "" : "s")\(figures.censored > 0 ? " (\(figures.censored) still there)" : "")"
            var notes: [String] = []
            if figures.business { notes.append("measured in working hours on the design's calendar, as the SLA is in business units") }
            if figures.datesOnly { notes.append("measured from dates alone: every time at this stage is a date without a time of day") }
            var slower: [String] = []
            var faster: [String] = []
            for c in figures.comparisons {
                let measured = Self.measured(c.key == "p50" ? figures.p50 : figures.p90, unit: unit)
                let text = "\(c.key) \(measured) against \(NumberFormatting.hours(c.declaredHours)) \(unit) declared"
                switch c.comparison {
                case .slower: slower.append(text)
                case .faster: faster.append(text)
                case .consistent: break
                }
            }
            if let over = figures.exceeded {
                slower.append("\(NumberFormatting.percent(over.share)) of visits take longer than its `\(over.key)` of \(NumberFormatting.hours(over.hours)) \(unit)")
            }
            if !slower.isEmpty {
                findings.append(finding("`\(figures.id)` is slower than its SLA: \(slower.joined(separator: "; ")), \(visits)",
                                        at: location, stage: figures.id, notes: notes,
                                        help: "find out why `\(figures.id)` is slower, or declare what it does: `calibrate --write FILE` writes the measured figures"))
            } else if !faster.isEmpty {
                findings.append(finding("`\(figures.id)` is faster than its SLA: \(faster.joined(separator: "; ")), \(visits)",
                                        at: location, severity: .note, stage: figures.id, notes: notes,
                                        help: "the design understates the team; `calibrate --write FILE` writes the measured figures"))
            }
        }
        return findings
    }

    /// `5.1 h (95% interval 4.8–5.5 h)`, or `above 30 h` where too few have left.
    static func measured(_ hours: Calibration.Hours?, unit: String) -> String {
        switch hours {
        case .value(let v, let low, let high)?:
            // Too few visits for the band to reach the level: the interval has no upper end.
            guard let high else { return "measured \(NumberFormatting.hours(v)) \(unit) (95% interval \(NumberFormatting.hours(low)) \(unit) or more)" }
            return "measured \(NumberFormatting.hours(v)) \(unit) (95% interval \(NumberFormatting.hours(low))–\(NumberFormatting.hours(high)) \(unit))"
        case .above(let v)?: return "measured above \(NumberFormatting.hours(v)) \(unit) (too few have left to say more)"
        case nil: return "not measured"
        }
    }
}
