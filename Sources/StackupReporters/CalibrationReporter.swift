import Foundation
import StackupCore
import StackupYAML

/// `stackup calibrate`'s report: the design's declared figures against the log's measured ones,
/// as a text table, JSON (version 1, `docs/calibrate.schema.json`) or Markdown. Pure functions
/// of the calibration and its findings.
public enum CalibrationReporter {
    // MARK: JSON

    /// A JSON value that keeps `null`s, which the contract's shape has (`"p90_above": null`).
    enum Node: Encodable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Node])
        case object([String: Node])
        /// A finding, exactly as `check --format json` writes it.
        case finding(JSONReporter.JSONFinding)

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .bool(let b): try c.encode(b)
            case .number(let d):
                if !d.isFinite { try c.encodeNil() } else if d == d.rounded(), abs(d) < 1e15 { try c.encode(Int(d)) } else { try c.encode(d) }
            case .string(let s): try c.encode(s)
            case .array(let a): try c.encode(a)
            case .object(let o): try c.encode(o)
            case .finding(let f): try c.encode(f)
            }
        }
    }

    /// An instant as ISO 8601, UTC, to the second.
    static func iso(_ t: Double) -> String {
        ISOTime.format(t.isFinite ? Int64(min(max(t, -7e10), 3e11).rounded(.down)) : 0)
    }

    static func r(_ x: Double, _ digits: Double = 1000) -> Node { .number(x.isFinite ? (x * digits).rounded() / digits : 0) }
    static func share(_ x: Double) -> Node { r(x, 10_000) }

    /// `p50_hours`, `p50_interval` and, for the p90, `p90_above`, as the contract names them.
    static func percentile(_ key: String, _ hours: Calibration.Hours?, into o: inout [String: Node], above: Bool) {
        switch hours {
        case .value(let v, let low, let high)?:
            o["\(key)_hours"] = r(v)
            o["\(key)_interval"] = .array([r(low), high.map { r($0) } ?? .null])
            if above { o["\(key)_above"] = .null }
        case .above(let v)?:
            o["\(key)_hours"] = .null
            o["\(key)_interval"] = .null
            o["\(key)_above"] = r(v)
        case nil:
            o["\(key)_hours"] = .null
            o["\(key)_interval"] = .null
            if above { o["\(key)_above"] = .null }
        }
    }

    public static func json(_ c: Calibration, findings: [Finding]) -> String {
        var stages: [String: Node] = [:]
        for s in c.stages {
            var o: [String: Node] = ["visits": .number(Double(s.visits)), "censored": .number(Double(s.censored)),
                                     "time": .string(s.business ? "business" : "calendar"),
                                     "within_sla": s.withinSLA.map(share) ?? .null, "declared": s.declared.map(Node.string) ?? .null,
                                     "verdict": .string(s.verdict.rawValue), "dates_only": .bool(s.datesOnly)]
            percentile("p50", s.p50, into: &o, above: true)
            percentile("p90", s.p90, into: &o, above: true)
            stages[s.id] = .object(o)
        }
        var routes: [String: [String: Node]] = [:]
        for route in c.routes {
            routes[route.from, default: [:]][route.to] = .object([
                "cases": .number(Double(route.moves)), "share": share(route.share.value),
                "interval": .array([share(route.share.low), share(route.share.high)]),
                "design_share": route.designShare.map(share) ?? .null, "design_share_sampled": .bool(route.designShareSampled)])
        }
        var entries: [String: Node] = [:]
        for e in c.entries {
            entries[e.name] = .object([
                "stage": .string(e.stage), "cases": .number(Double(e.cases)), "per_week": r(e.perWeek.value, 10),
                "interval": .array([r(e.perWeek.low, 10), r(e.perWeek.high, 10)]),
                "declared_per_week": e.declaredPerWeek.map { r($0, 10) } ?? .null,
                "shared_with": .array(e.sharedWith.map(Node.string))])
        }
        var promises: [String: Node] = [:]
        for p in c.promises {
            var o: [String: Node] = ["time": .string(p.business ? "business" : "calendar"), "cases": .number(Double(p.cases)),
                                     "censored": .number(Double(p.censored)), "unreached": .number(Double(p.unreached)),
                                     "kept": p.kept.map(share) ?? .null, "kept_budget": p.keptBudget.map(Node.string) ?? .null,
                                     "notes": .array(p.notes.map(Node.string))]
            percentile("p50", p.p50, into: &o, above: false)
            percentile("p90", p.p90, into: &o, above: true)
            promises[p.name] = .object(o)
        }
        let conformance: Node = .object([
            "fitness": share(c.conformance.fitness),
            "undeclared": .array(c.conformance.undeclared.map { m in
                .object(["from": .string(m.from), "to": .string(m.to), "cases": .number(Double(m.cases)), "moves": .number(Double(m.moves)),
                         "examples": .array(m.examples.map(Node.string))])
            }),
            "unvisited_stages": .array(c.conformance.unvisitedStages.map(Node.string)),
            "unknown_activities": .object(c.conformance.unknownActivities.mapValues { .number(Double($0)) }),
        ])
        var report: [String: Node] = [:]
        report["version"] = .number(1)
        report["as_of"] = .string(iso(c.asOf))
        report["cases"] = .number(Double(c.cases))
        report["events"] = .number(Double(c.events))
        report["events_after_as_of"] = .number(Double(c.eventsAfterCutOff))
        report["weeks"] = r(c.weeks)
        report["skipped"] = .object(["rows": .number(Double(c.skippedRows)), "reasons": .object(c.skipped.mapValues { .number(Double($0)) }),
                                     "first_at": .object(c.skippedFirst.mapValues(Node.string))])
        report["stages"] = .object(stages)
        report["routes"] = .object(routes.mapValues { .object($0) })
        report["entries"] = .object(entries)
        report["promises"] = .object(promises)
        report["conformance"] = conformance
        report["findings"] = .array(findings.map { .finding(JSONReporter.convert($0)) })
        let count = { (severity: Severity) in Node.number(Double(findings.filter { $0.severity == severity }.count)) }
        report["summary"] = .object(["errors": count(.error), "warnings": count(.warning), "notes": count(.note)])
        return JSONOutput.encode(Node.object(report))
    }

    // MARK: Text

    /// A route's row: the move, its count, the measured share with its interval, the design's.
    static func routeCells(_ r: Calibration.RouteFigures) -> [String] {
        ["\(r.from) → \(r.to)", "\(r.moves)",
         "\(NumberFormatting.percent(r.share.value)) (\(NumberFormatting.percent(r.share.low))–\(NumberFormatting.percent(r.share.high)))",
         r.designShare.map { NumberFormatting.percent($0) + (r.designShareSampled ? " (sampled)" : "") } ?? "–"]
    }

    /// `152.7 (143–162.8)`.
    static func rate(_ e: Estimate) -> String {
        "\(NumberFormatting.rounded(e.value)) (\(NumberFormatting.rounded(e.low))–\(NumberFormatting.rounded(e.high)))"
    }

    /// `5.1 (4.8–5.5)`, `above 30`, or `–`.
    static func cell(_ hours: Calibration.Hours?) -> String {
        switch hours {
        case .value(let v, let low, let high)?:
            return "\(NumberFormatting.hours(v)) (\(NumberFormatting.hours(low))–\(high.map(NumberFormatting.hours) ?? "?"))"
        case .above(let v)?: return "above \(NumberFormatting.hours(v))"
        case nil: return "–"
        }
    }

    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var widths = header.map { DisplayWidth.of($0.unicodeScalars) }
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(cell.unicodeScalars)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - DisplayWidth.of(cell.unicodeScalars)))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }
        return ([line(header)] + rows.map(line)).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    /// The report as tables, then the findings as `check` prints them.
    public static func text(_ c: Calibration, design: String, findings: [Finding], sources: [String: SourceText], color: Bool,
                            hidden: TextReporter.Hidden = .none) -> String {
        var out = "calibrate: `\(design)` against \(c.events) event\(c.events == 1 ? "" : "s") of \(c.cases) case\(c.cases == 1 ? "" : "s"), as of \(iso(c.asOf))"
        out += " (\(NumberFormatting.rounded(c.weeks)) weeks)\n"
        if c.skippedRows > 0 {
            out += "  skipped \(c.skippedRows) row\(c.skippedRows == 1 ? "" : "s"):\n"
            for (reason, n) in c.skipped.sorted(by: { $0.key < $1.key }) {
                out += "    \(n) × \(reason)\(c.skippedFirst[reason].map { " (first at \($0))" } ?? "")\n"
            }
        }
        if c.eventsAfterCutOff > 0 { out += "  \(c.eventsAfterCutOff) event\(c.eventsAfterCutOff == 1 ? "" : "s") after the cut-off take no part\n" }
        out += "\nTime in stage, hours (working hours where marked *), with 95% intervals:\n"
        out += table(["stage", "declared", "p50", "p90", "visits", "censored", "within SLA", "verdict"], c.stages.map { s in
            [s.id + (s.business ? " *" : "") + (s.datesOnly ? " (dates only)" : ""), s.declared ?? "–", cell(s.p50), cell(s.p90), "\(s.visits)", "\(s.censored)",
             s.withinSLA.map(NumberFormatting.percent) ?? "–", s.verdict.rawValue]
        }, rightAligned: [4, 5, 6])
        if !c.routes.isEmpty {
            out += "\nShares of the moves out of each stage, with 95% Wilson intervals:\n"
            out += table(["route", "moves", "measured", "design"], c.routes.map(routeCells), rightAligned: [1])
        }
        if !c.entries.isEmpty {
            out += "\nArrivals per week at each entry's first stage, with 95% intervals:\n"
            out += table(["entry", "stage", "cases", "measured", "declared"], c.entries.map { e in
                [e.name + (e.sharedWith.isEmpty ? "" : " (with \(e.sharedWith.joined(separator: ", ")))"), e.stage, "\(e.cases)",
                 rate(e.perWeek),
                 e.declaredPerWeek.map { NumberFormatting.rounded($0) } ?? "unlimited"]
            }, rightAligned: [2])
        }
        if !c.promises.isEmpty {
            out += "\nPromises end to end, hours, with 95% intervals:\n"
            out += table(["promise", "p50", "p90", "cases", "censored", "unreached", "kept"], c.promises.map { p in
                [p.name + (p.business ? " *" : ""), cell(p.p50), cell(p.p90), "\(p.cases)", "\(p.censored)", "\(p.unreached)",
                 p.kept.map { "\(NumberFormatting.percent($0)) within \(p.keptBudget ?? "")" } ?? "–"]
            }, rightAligned: [3, 4, 5])
            for p in c.promises { for note in p.notes { out += "  note: `\(p.name)` \(note)\n" } }
        }
        let k = c.conformance
        out += "\nConformance: \(NumberFormatting.percent(k.fitness)) of cases move only along the design's routes\n"
        for m in k.undeclared {
            out += "  undeclared \(m.from) → \(m.to): \(m.cases) case\(m.cases == 1 ? "" : "s"), \(m.moves) move\(m.moves == 1 ? "" : "s"), e.g. \(m.examples.joined(separator: ", "))\n"
        }
        if !k.unvisitedStages.isEmpty { out += "  never visited: \(k.unvisitedStages.joined(separator: ", "))\n" }
        if !k.unknownActivities.isEmpty {
            out += "  activities the design does not know (events): " + k.unknownActivities.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ") + "\n"
        }
        out += "\n"
        out += TextReporter.render(findings, sources: sources, files: 1, color: color, hidden: hidden)
        return out
    }

    // MARK: Markdown

    /// For a pull-request comment or a wiki page: the same tables, and the findings as a list.
    public static func markdown(_ c: Calibration, design: String, findings: [Finding]) -> String {
        func md(_ header: [String], _ rows: [[String]]) -> String {
            func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
            return "| " + header.map(esc).joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
                + rows.map { "| " + $0.map(esc).joined(separator: " | ") + " |\n" }.joined()
        }
        let errors = findings.filter { $0.severity == .error }.count, warnings = findings.filter { $0.severity == .warning }.count
        var out = "## Calibration of `\(design)`\n\n"
        out += "\(c.events) events of \(c.cases) cases, as of \(iso(c.asOf)) (\(NumberFormatting.rounded(c.weeks)) weeks): "
        out += "**\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")**.\n\n"
        out += "### Time in stage\n\nHours (working hours where the SLA is in business units), with 95% intervals.\n\n"
        out += md(["stage", "time", "declared", "p50", "p90", "visits", "censored", "within SLA", "verdict"], c.stages.map { s in
            [s.id, s.business ? "business" : "calendar", s.declared ?? "–", cell(s.p50), cell(s.p90), "\(s.visits)", "\(s.censored)",
             s.withinSLA.map(NumberFormatting.percent) ?? "–", s.verdict == .drift ? "**drift**" : s.verdict.rawValue]
        })
        if !c.routes.isEmpty {
            out += "\n### Shares\n\n"
            out += md(["route", "moves", "measured (95% Wilson)", "design"], c.routes.map(routeCells))
        }
        if !c.entries.isEmpty {
            out += "\n### Arrivals per week\n\n"
            out += md(["entry", "stage", "cases", "measured (95%)", "declared"], c.entries.map { e in
                [e.name, e.stage, "\(e.cases)", rate(e.perWeek),
                 e.declaredPerWeek.map { NumberFormatting.rounded($0) } ?? "unlimited"]
            })
        }
        if !c.promises.isEmpty {
            out += "\n### Promises\n\n"
            out += md(["promise", "p50 h", "p90 h", "cases", "censored", "unreached", "kept"], c.promises.map { p in
                [p.name, cell(p.p50), cell(p.p90), "\(p.cases)", "\(p.censored)", "\(p.unreached)",
                 p.kept.map { "\(NumberFormatting.percent($0)) within \(p.keptBudget ?? "")" } ?? (p.notes.first ?? "–")]
            })
        }
        let k = c.conformance
        out += "\n### Conformance\n\n\(NumberFormatting.percent(k.fitness)) of cases move only along the design's routes.\n"
        if !k.undeclared.isEmpty {
            out += "\n" + md(["undeclared move", "cases", "moves", "examples"], k.undeclared.map { ["\($0.from) → \($0.to)", "\($0.cases)", "\($0.moves)", $0.examples.joined(separator: ", ")] })
        }
        if !k.unvisitedStages.isEmpty { out += "\nNever visited: \(k.unvisitedStages.map { "`\($0)`" }.joined(separator: ", ")).\n" }
        if !k.unknownActivities.isEmpty {
            out += "\nActivities the design does not know: " + k.unknownActivities.sorted { $0.key < $1.key }.map { "`\($0.key)` (\($0.value))" }.joined(separator: ", ") + ".\n"
        }
        if !findings.isEmpty {
            out += "\n### Findings\n\n"
            for f in findings {
                out += "- **\(f.severity.rawValue)** `\(f.rule)` \(f.location.file):\(f.location.line):\(f.location.column): \(f.message.replacingOccurrences(of: "\n", with: " "))\n"
            }
        }
        return out
    }
}
