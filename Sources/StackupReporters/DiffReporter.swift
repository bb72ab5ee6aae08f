import StackupCore

/// `stackup diff` output: a terminal summary, or Markdown short enough for a PR comment.
public enum DiffReporter {
    /// What decides the exit code, shown so that the reader sees why a check failed.
    public struct Gate: Sendable {
        public var failOn: Severity
        /// Largest accepted p90 slow-down, as a fraction (0.1 = 10%).
        public var maxRegression: Double

        public init(failOn: Severity, maxRegression: Double) {
            self.failOn = failOn
            self.maxRegression = maxRegression
        }
    }

    public static func text(_ diff: DesignDiff, gate: Gate) -> String {
        var out = "stackup diff: " + counts(diff) + "\n"
        for (title, findings) in [("introduced", diff.introduced), ("resolved", diff.resolved)] where !findings.isEmpty {
            out += "\n\(title):\n"
            for f in findings {
                let blocking = title == "introduced" && f.severity >= gate.failOn ? "  (fails at --fail-on \(gate.failOn.rawValue))" : ""
                out += "  \(f.severity.rawValue)[\(f.rule)] \(f.location): \(f.message)\(blocking)\n"
            }
        }
        let promises = diff.promises
        if !promises.isEmpty {
            let rows = promises.map { p in
                [p.promise, span(p.baseP90, in: p.measure), span(p.headP90, in: p.measure), change(p, gate: gate), span(p.baseWorst, in: p.measure), span(p.headWorst, in: p.measure), p.file]
            }
            let header = ["promise", "p90 before", "p90 after", "change", "worst before", "worst after", "file"]
            out += "\npromises:\n" + TextReporter.render(FindingTable(header: header, rows: rows), indent: "  ")
        }
        let stages = changedStages(diff)
        if !stages.isEmpty {
            let rows = stages.map { [$0.stage, percent($0.baseUtilization), percent($0.headUtilization), $0.file] }
            out += "\nutilisation:\n" + TextReporter.render(FindingTable(header: ["stage", "utilisation before", "after", "file"], rows: rows), indent: "  ")
        }
        out += "\n" + verdict(diff, gate: gate, markdown: false) + "\n"
        return out
    }

    public static func markdown(_ diff: DesignDiff, gate: Gate) -> String {
        var out = "### Stackup diff\n\n"
        out += verdict(diff, gate: gate, markdown: true) + " " + counts(diff) + "\n"
        for (title, findings) in [("Introduced", diff.introduced), ("Resolved", diff.resolved)] where !findings.isEmpty {
            out += "\n#### \(title)\n\n| Severity | Rule | Where | Finding |\n|---|---|---|---|\n"
            for f in findings {
                out += "| \(f.severity.rawValue) | `\(f.rule)` | `\(cell(f.location.description))` | \(cell(f.message)) |\n"
            }
        }
        let moved = diff.promises.filter { $0.baseP90 != $0.headP90 || $0.baseWorst != $0.headWorst }
        if !moved.isEmpty {
            out += "\n#### Promises\n\n| Promise | p90 | Change | Worst case | File |\n|---|---|---|---|---|\n"
            for p in moved {
                out += "| `\(cell(p.promise))` | \(span(p.baseP90, in: p.measure)) → \(span(p.headP90, in: p.measure)) | \(change(p, gate: gate)) | \(span(p.baseWorst, in: p.measure)) → \(span(p.headWorst, in: p.measure)) | `\(cell(p.file))` |\n"
            }
        }
        let stages = changedStages(diff)
        if !stages.isEmpty {
            out += "\n#### Utilisation\n\n| Stage | Before | After | File |\n|---|---|---|---|\n"
            for s in stages {
                out += "| `\(cell(s.stage))` | \(percent(s.baseUtilization)) | \(percent(s.headUtilization)) | `\(cell(s.file))` |\n"
            }
        }
        if !diff.unchanged.isEmpty {
            out += "\n<details><summary>\(diff.unchanged.count) unchanged finding\(diff.unchanged.count == 1 ? "" : "s")</summary>\n\n"
            for f in diff.unchanged { out += "- \(f.severity.rawValue) `\(f.rule)` `\(cell(f.location.description))`: \(cell(f.message))\n" }
            out += "\n</details>\n"
        }
        return out
    }

    static func counts(_ diff: DesignDiff) -> String {
        var files = "\(diff.comparedFiles) design\(diff.comparedFiles == 1 ? "" : "s") compared"
        if !diff.addedFiles.isEmpty { files += ", \(diff.addedFiles.count) added" }
        if !diff.removedFiles.isEmpty { files += ", \(diff.removedFiles.count) removed" }
        return "\(diff.introduced.count) finding\(diff.introduced.count == 1 ? "" : "s") introduced, \(diff.resolved.count) resolved, \(diff.unchanged.count) unchanged (\(files))."
    }

    static func verdict(_ diff: DesignDiff, gate: Gate, markdown: Bool) -> String {
        let strong = markdown ? "**" : ""
        let blocking = diff.introduced.filter { $0.severity >= gate.failOn }.count
        let regressions = diff.regressions(limit: gate.maxRegression).count
        guard blocking > 0 || regressions > 0 else { return strong + "Passes." + strong }
        var reasons: [String] = []
        if blocking > 0 { reasons.append("\(blocking) new finding\(blocking == 1 ? "" : "s") at or above \(gate.failOn.rawValue)") }
        if regressions > 0 {
            reasons.append("\(regressions) promise\(regressions == 1 ? "" : "s") with p90 slower by more than \(NumberFormatting.percent(gate.maxRegression))")
        }
        return strong + "Fails:" + strong + " " + reasons.joined(separator: "; ") + "."
    }

    /// Stages whose utilisation moved by at least half a percentage point, or that appeared or went.
    static func changedStages(_ diff: DesignDiff) -> [DesignDiff.StageDelta] {
        diff.stages.filter { s in
            guard let b = s.baseUtilization, let h = s.headUtilization else { return true }
            return abs(h - b) >= 0.005
        }
    }

    static func change(_ p: DesignDiff.PromiseDelta, gate: Gate) -> String {
        guard let c = p.p90Change else { return p.baseP90 == nil && p.headP90 != nil ? "new" : "–" }
        let mark = c > gate.maxRegression ? " ✗" : ""
        if c.isInfinite { return "from 0\(mark)" }
        let sign = c > 0 ? "+" : (c < 0 ? "−" : "±")
        return sign + NumberFormatting.percent(abs(c)) + mark
    }

    static func span(_ minutes: Double?, in measure: TimeMeasure = .calendar) -> String { minutes.map { NumberFormatting.span($0, in: measure) } ?? "–" }
    static func percent(_ share: Double?) -> String { share.map(NumberFormatting.percent) ?? "–" }

    /// Markdown table cells cannot hold pipes or line breaks.
    static func cell(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|": out += "\\|"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
