import StackupCore
import StackupYAML

/// Renders findings the way rustc and ruff do: a header, the location, a numbered snippet
/// with carets, then notes. A pure function of its inputs.
public enum TextReporter {
    /// What a run found but does not show, so that the summary never claims a clean design
    /// that is clean only because its findings were hidden.
    public struct Hidden: Sendable, Equatable {
        /// Findings the baseline holds.
        public var byBaseline: Int
        /// Findings `# stackup: ignore` comments silence.
        public var bySuppressions: Int
        /// Baseline entries that match no finding any more.
        public var staleBaselineEntries: Int

        public init(byBaseline: Int = 0, bySuppressions: Int = 0, staleBaselineEntries: Int = 0) {
            self.byBaseline = byBaseline
            self.bySuppressions = bySuppressions
            self.staleBaselineEntries = staleBaselineEntries
        }

        public static let none = Hidden()
    }

    /// The whole report: every finding, then a summary line (left out when `quiet`).
    public static func render(_ findings: [Finding], sources: [String: SourceText], files: Int, color: Bool, hidden: Hidden = .none,
                              quiet: Bool = false) -> String {
        let style = Style(enabled: color)
        var out = ""
        for finding in findings {
            out += render(finding, sources: sources, style: style)
            out += "\n"
        }
        if !quiet { out += summary(findings, files: files, style: style, hidden: hidden) + "\n" }
        return out
    }

    /// `--statistics`: how many findings each rule made at each severity, most first, then the
    /// summary line. A rule whose findings differ in severity (`asked-twice` is an error for a
    /// `never_ask_twice` field and a note otherwise) gets a row per severity, so that no count
    /// reads as more errors than there are.
    public static func statistics(_ findings: [Finding], files: Int, color: Bool, hidden: Hidden = .none, quiet: Bool = false) -> String {
        let style = Style(enabled: color)
        struct Row: Hashable { let rule: String; let severity: Severity }
        var counts: [Row: Int] = [:]
        for f in findings { counts[Row(rule: f.rule, severity: f.severity), default: 0] += 1 }
        let rows = counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.rule != b.key.rule ? a.key.rule < b.key.rule : a.key.severity > b.key.severity
        }
        let width = String(rows.first?.value ?? 0).count
        let ruleWidth = rows.map(\.key.rule.count).max() ?? 0
        var out = ""
        for (row, count) in rows {
            let number = String(count)
            out += String(repeating: " ", count: width - number.count) + number + "  " + row.rule + String(repeating: " ", count: ruleWidth - row.rule.count)
                + "  " + style.severity(row.severity, row.severity.rawValue) + "\n"
        }
        if !quiet { out += summary(findings, files: files, style: style, hidden: hidden) + "\n" }
        return out
    }

    static func summary(_ findings: [Finding], files: Int, style: Style, hidden: Hidden = .none) -> String {
        let fileWord = files == 1 ? "1 file" : "\(files) files"
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var hiddenParts: [String] = []
        if hidden.byBaseline > 0 { hiddenParts.append("\(plural(hidden.byBaseline, "finding")) hidden by the baseline") }
        if hidden.bySuppressions > 0 { hiddenParts.append("\(plural(hidden.bySuppressions, "finding")) hidden by suppression comments") }
        if hidden.staleBaselineEntries > 0 {
            hiddenParts.append("\(hidden.staleBaselineEntries) baseline entr\(hidden.staleBaselineEntries == 1 ? "y matches" : "ies match") no finding any more")
        }
        let tail = hiddenParts.isEmpty ? "" : " (\(hiddenParts.joined(separator: "; ")))"
        if findings.isEmpty {
            let head = hidden.byBaseline + hidden.bySuppressions > 0 ? "No new problems shown" : "No problems found"
            return style.bold("\(head) in \(fileWord).\(tail)")
        }
        func count(_ s: Severity, _ word: String) -> String { plural(findings.filter { $0.severity == s }.count, word) }
        return style.bold("Found \(count(.error, "error")), \(count(.warning, "warning")) and \(count(.note, "note")) in \(fileWord).\(tail)")
    }

    static func render(_ finding: Finding, sources: [String: SourceText], style: Style) -> String {
        let lines = [finding.location.line] + finding.related.map(\.location.line)
        let gutter = String(lines.max() ?? 1).count
        let pad = String(repeating: " ", count: gutter)
        var out = style.severity(finding.severity, "\(finding.severity.rawValue)[\(finding.rule)]") + style.bold(": \(printable(finding.message))") + "\n"
        out += snippet(finding.location, label: nil, marker: "^", severity: finding.severity, sources: sources, gutter: gutter, style: style)
        var notes: [String] = []
        if let path = finding.path, !path.isEmpty { notes.append("path: " + path.joined(separator: " → ")) }
        if let example = finding.example, !example.values.isEmpty { notes.append("example customer: " + example.description) }
        notes.append(contentsOf: finding.notes)
        notes = notes.map(printable)
        if !notes.isEmpty || finding.help != nil { out += "\(pad) \(style.blue("|"))\n" }
        for note in notes { out += "\(pad) \(style.blue("=")) \(style.bold("note")): \(note)\n" }
        if let help = finding.help { out += "\(pad) \(style.blue("=")) \(style.bold("help")): \(printable(help))\n" }
        if let table = finding.table { out += render(table, indent: pad + "   ", style: style) }
        for related in finding.related {
            out += style.bold("note") + ": \(printable(related.message))\n"
            out += snippet(related.location, label: nil, marker: "-", severity: .note, sources: sources, gutter: gutter, style: style)
        }
        return out
    }

    /// Text from a design as a terminal can show it safely: control characters (which could
    /// move the cursor, recolour or retitle a terminal, or forge lines in a CI log) and bidi
    /// overrides (which reorder what is shown) are written as `\u{…}` escapes.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// An aligned table, columns padded by display width.
    static func render(_ table: FindingTable, indent: String, style: Style = Style(enabled: false)) -> String {
        let rows = [table.header] + table.rows
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell.unicodeScalars)) } }
        var out = ""
        for (r, row) in rows.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                let padding = i == row.count - 1 ? 0 : widths[i] - DisplayWidth.of(cell.unicodeScalars) + 2
                line += cell + String(repeating: " ", count: max(padding, 0))
            }
            out += indent + (r == 0 ? style.bold(line) : line) + "\n"
        }
        return out
    }

    /// ` --> file:line:col`, then the source line with carets under the span.
    static func snippet(_ location: Location, label: String?, marker: Character, severity: Severity,
                        sources: [String: SourceText], gutter: Int, style: Style) -> String {
        let pad = String(repeating: " ", count: gutter)
        var out = "\(pad)\(style.blue("-->")) \(location.file):\(location.line):\(location.column)\n"
        guard let text = sources[location.file], let line = text.line(location.line) else { return out }
        let scalars = Array(line.unicodeScalars)
        let startIndex = min(max(location.column - 1, 0), scalars.count)
        var endIndex = startIndex + 1
        if location.span.end.line == location.line, location.span.end.column > location.column {
            endIndex = location.span.end.column - 1
        } else if location.span.end.line > location.line {
            endIndex = scalars.count
        }
        endIndex = min(max(endIndex, startIndex + 1), max(scalars.count, startIndex + 1))
        let before = DisplayWidth.of(scalars[0..<startIndex])
        let spanned = startIndex < scalars.count ? DisplayWidth.of(scalars[startIndex..<min(endIndex, scalars.count)]) : 1
        let number = String(location.line)
        let numberPad = String(repeating: " ", count: gutter - number.count)
        // Very long lines are cut after the start of the span, so that a snippet stays a snippet.
        var shown = DisplayWidth.expandTabs(line)
        var caretCount = max(spanned, 1)
        if DisplayWidth.of(shown.unicodeScalars) > before + SnippetLimits.maxSpan + 20 {
            var width = 0
            var cut = ""
            for scalar in shown.unicodeScalars {
                let w = DisplayWidth.of(scalar)
                if width + w > before + SnippetLimits.maxSpan { break }
                width += w
                cut.unicodeScalars.append(scalar)
            }
            shown = cut + "…"
        }
        caretCount = min(caretCount, SnippetLimits.maxSpan)
        out += "\(pad) \(style.blue("|"))\n"
        out += "\(style.blue(numberPad + number)) \(style.blue("|")) \(shown)\n"
        let carets = String(repeating: marker, count: caretCount)
        let colored = marker == "^" ? style.severity(severity, carets) : style.blue(carets)
        out += "\(pad) \(style.blue("|")) \(String(repeating: " ", count: before))\(colored)\(label.map { " " + $0 } ?? "")\n"
        return out
    }
}

/// How much of a line a snippet shows.
enum SnippetLimits {
    /// Display columns of a span shown, and of a line after the span's start.
    static let maxSpan = 100
}
