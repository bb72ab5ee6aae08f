import Foundation
import StackupYAML

/// `calibrate --write`: the design's text with each stage's `sla`, each route's `share` and each
/// entry's `rate` replaced by the measured figures. Edits are by span, so comments and layout
/// elsewhere survive; a figure that cannot be written in place is listed instead, never
/// silently left as it was.
public enum CalibrationWriter {
    public struct Result: Sendable {
        public var text: String
        /// One line per figure written: `sdr sla: {p50: 5.1h, p90: 25.6h}`.
        public var written: [String]
        /// One line per figure left as declared, with why.
        public var kept: [String]
    }

    struct Edit {
        var start: Int
        var end: Int
        var text: String
    }

    /// `source` is the text of the design's root file, `file` its display name: figures
    /// written in an included file are listed as kept.
    public static func write(design: Design, calibration: Calibration, source: SourceText, file: String) -> Result {
        var edits: [Edit] = []
        var written: [String] = []
        var kept: [String] = []
        func place(_ location: Location?, _ text: String, what: String) {
            guard let location else { return }
            guard location.file == file else {
                kept.append("\(what): written in `\(location.file)`, an included file; only the root file is written")
                return
            }
            var end = min(location.span.end.offset, source.bytes.count)
            let start = min(location.span.start.offset, end)
            // A block value's span runs on to the next key: keep the line breaks, blanks and
            // whole comment lines after its last value.
            while true {
                while end > start, [0x20, 0x09, 0x0A, 0x0D].contains(source.bytes[end - 1]) { end -= 1 }
                var lineStart = end
                while lineStart > start, source.bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
                let line = source.bytes[lineStart..<end].drop { $0 == 0x20 || $0 == 0x09 }
                guard lineStart > start, line.first == 0x23 else { break }
                end = lineStart
            }
            edits.append(Edit(start: start, end: end, text: text))
            written.append("\(what): \(text)")
        }

        for figures in calibration.stages {
            guard let s = design.stageIndex[figures.id] else { continue }
            let stage = design.stages[s]
            let what = "`\(figures.id)` sla"
            guard stage.sla != nil, let location = stage.slaLocation else {
                if figures.visits > 0 { kept.append("\(what): the stage declares no `sla` to replace") }
                continue
            }
            let unit = figures.business ? "bh" : "h"
            guard case .value(let p50, _, _)? = figures.p50 else {
                kept.append("\(what): too few visits have left to measure a median")
                continue
            }
            // What the loader would refuse is not written (the log fuzzer found a p90 of 100 years).
            guard Self.loads(duration: duration(p50) + unit) else {
                kept.append("\(what): the measured median \(duration(p50))\(unit) is longer than a design may declare")
                continue
            }
            if case .value(let p90, _, _)? = figures.p90, Self.loads(duration: duration(p90) + unit) {
                let (a, b) = (duration(p50), duration(p90))
                place(location, a == b ? "{fixed: \(a)\(unit)}" : "{p50: \(a)\(unit), p90: \(b)\(unit)}", what: what)
            } else if case .value(let p90, _, _)? = figures.p90 {
                place(location, "{p50: \(duration(p50))\(unit)}", what: what)
                kept.append("\(what) p90: the measured \(duration(p90))\(unit) is longer than a design may declare; only the p50 is written")
            } else {
                place(location, "{p50: \(duration(p50))\(unit)}", what: what)
                kept.append("\(what) p90: more than 10% of visits are still open past the longest time seen, so it is not measured; only the p50 is written")
            }
        }

        // Shares are conditional on reaching a route (first match wins), so they are derivable
        // from the log only where no route has a `when`: route i then takes the moves to it
        // among the moves to it and every route after it.
        for stage in design.stages where !stage.routes.isEmpty {
            let measured = calibration.routes.filter { $0.from == stage.id }
            guard !measured.isEmpty else { continue }
            guard stage.accepts == nil, stage.routes.allSatisfy({ $0.when == nil }) else {
                if stage.routes.contains(where: { $0.shareLocation != nil }) {
                    kept.append("`\(stage.id)` shares: its routes have conditions, which the log cannot tell apart")
                }
                continue
            }
            let targets = stage.routes.map(\.to.value)
            guard Set(targets).count == targets.count else {
                kept.append("`\(stage.id)` shares: two routes go to one stage, which the log cannot tell apart")
                continue
            }
            let moves = targets.map { t in measured.first { $0.to == t }?.moves ?? 0 }
            for (i, route) in stage.routes.enumerated() {
                let rest = moves[i...].reduce(0, +)
                let what = "`\(stage.id)` → `\(route.to.value)` share"
                guard i < stage.routes.count - 1 else { continue }
                guard rest > 0, moves[i] > 0 else {
                    if route.shareLocation != nil { kept.append("\(what): no moves measured, and a share must be above 0") }
                    continue
                }
                let share = Double(moves[i]) / Double(rest)
                guard let at = route.shareLocation else {
                    kept.append("\(what): measured \(NumberFormatting.rounded(share, digits: 4)), but the route has no `share` to replace")
                    continue
                }
                // Never rounded to 0, which is no share, nor to 1 before the last route, which
                // would leave the routes after it unreachable (a design that does not load; the
                // log fuzzer found both).
                let written = min(max(share, 0.0001), 0.9999)
                place(at, NumberFormatting.rounded(written, digits: 4), what: what)
                if share > 0.9999 { kept.append("\(what): every measured move took it; written as 0.9999, since a share of 1 before the last route leaves the routes after it unreachable") }
            }
        }

        for figures in calibration.entries {
            guard let entry = design.entries.first(where: { $0.name == figures.name }) else { continue }
            let what = "`\(figures.name)` rate"
            // Entries to one stage share its arrivals in the proportion they declare.
            let part = figures.declaredPerWeek.map { total in total > 0 ? (entry.rate.perWeek ?? 0) / total : 0 } ?? 1
            let perWeek = figures.perWeek.value * part
            guard perWeek > 0 else {
                kept.append("\(what): no arrivals measured, and a rate must be above 0")
                continue
            }
            let rate = "\(Self.significant(perWeek))/week"
            guard Self.loads(rate: rate) else {
                kept.append("\(what): the measured \(rate) is more than a design may declare")
                continue
            }
            place(entry.rateLocation, rate, what: what)
        }

        var bytes = source.bytes
        for edit in edits.sorted(by: { $0.start > $1.start }) {
            bytes.replaceSubrange(edit.start..<edit.end, with: Array(edit.text.utf8))
        }
        return Result(text: String(decoding: bytes, as: UTF8.self), written: written, kept: kept)
    }

    /// Whether the loader reads this text as a duration, or as a rate: the writer writes
    /// nothing the loader would refuse.
    static func loads(duration text: String) -> Bool {
        if case .success = ValueParsers.duration(text) { return true }
        return false
    }

    static func loads(rate text: String) -> Bool {
        if case .success = ValueParsers.rate(text) { return true }
        return false
    }

    /// Three significant digits at least one decimal, so that a slow entry's rate is never
    /// rounded to 0, which is no rate (found by fuzzing: one case in a year wrote `0/week`).
    static func significant(_ x: Double) -> String {
        guard x.isFinite, x > 0 else { return "0" }
        let digits = max(1, min(9, 2 - Int(log10(x).rounded(.down))))
        return NumberFormatting.rounded(x, digits: digits)
    }

    /// Hours to two decimals at most, never zero (a duration of zero is no SLA).
    static func duration(_ hours: Double) -> String {
        NumberFormatting.rounded(max(hours, 0.01), digits: 2)
    }
}
