import StackupYAML

/// One `# stackup: ignore[…]` or `# stackup: ignore-file[…]` comment, read.
public struct Suppression: Sendable, Equatable {
    enum Scope: Sendable, Equatable {
        /// The comment's own line and the line below it; on the line of a mapping key, also
        /// everything in that key's value, through `throughLine`.
        case lines
        case file
    }

    var scope: Scope
    /// Each rule id with where it is written in the comment.
    public var rules: [(id: String, location: Location)]
    public var reason: String?
    /// The whole comment, from its `#`.
    public var location: Location
    /// The last line of the value of the mapping key on the comment's line, if there is one.
    var throughLine: Int?

    public static func == (a: Suppression, b: Suppression) -> Bool {
        a.scope == b.scope && a.rules.map(\.id) == b.rules.map(\.id) && a.reason == b.reason && a.location == b.location
    }

    func covers(_ finding: Finding) -> Bool {
        guard finding.location.file == location.file else { return false }
        switch scope {
        case .file: return true
        case .lines:
            let line = finding.location.line
            return line == location.line || line == location.line + 1 || (throughLine.map { line > location.line && line <= $0 } ?? false)
        }
    }
}

/// Reading suppression comments and applying them to findings.
enum Suppressions {
    static let marker = "stackup:"

    /// The suppressions in one file's comments, and findings for the malformed ones.
    static func read(_ comments: [YAMLComment], file: String) -> (suppressions: [Suppression], problems: [Finding]) {
        var suppressions: [Suppression] = []
        var problems: [Finding] = []
        for comment in comments {
            let scalars = Array(comment.text.unicodeScalars)
            var i = 0
            func skipBlanks() { while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 } }
            // Columns count scalars from the `#`, which is one scalar before the text.
            func location(_ offset: Int, _ length: Int) -> Location {
                let start = SourcePosition(line: comment.position.line, column: comment.position.column + 1 + offset, offset: 0)
                let end = SourcePosition(line: comment.position.line, column: start.column + length, offset: 0)
                return Location(file: file, span: Span(start: start, end: end))
            }
            skipBlanks()
            guard String(String.UnicodeScalarView(scalars[i...])).hasPrefix(marker) else { continue }
            let whole = location(-1, scalars.count + 1)
            i += marker.unicodeScalars.count
            skipBlanks()
            let wordStart = i
            while i < scalars.count, scalars[i] != "[", scalars[i] != " ", scalars[i] != "\t" { i += 1 }
            let word = String(String.UnicodeScalarView(scalars[wordStart..<i]))
            let scope: Suppression.Scope
            switch word {
            case "ignore": scope = .lines
            case "ignore-file": scope = .file
            default:
                problems.append(InvalidSuppressionRule.finding(
                    .notASuppression(word, hint: DidYouMean.hint(for: word, among: ["ignore", "ignore-file"])),
                    at: location(wordStart, max(1, i - wordStart))))
                continue
            }
            guard i < scalars.count, scalars[i] == "[", let close = scalars[i...].firstIndex(of: "]") else {
                problems.append(InvalidSuppressionRule.finding(
                    .needsBrackets(word),
                    at: location(wordStart, max(1, i - wordStart))))
                continue
            }
            var rules: [(String, Location)] = []
            var cursor = i + 1
            if String(String.UnicodeScalarView(scalars[(i + 1)..<close])).trimmingBlanks.isEmpty {
                problems.append(InvalidSuppressionRule.finding(.namesNoRule(word), at: location(i, close - i + 1)))
                continue
            }
            for part in scalars[(i + 1)..<close].split(separator: ",", omittingEmptySubsequences: false) {
                let partStart = cursor
                cursor += part.count + 1
                let leading = part.prefix { $0 == " " }.count
                let id = String(String.UnicodeScalarView(part)).trimmingBlanks
                let at = location(partStart + leading, max(1, id.unicodeScalars.count))
                guard !id.isEmpty else {
                    problems.append(InvalidSuppressionRule.finding(.emptyRuleId(word), at: at))
                    continue
                }
                guard RuleRegistry.rule(id) != nil, !RuleRegistry.suppressionRuleIds.contains(id) else {
                    let why: RuleMessage<InvalidSuppressionRule> = RuleRegistry.suppressionRuleIds.contains(id)
                        ? .cannotSuppress(id) : .unknownRule(id, hint: DidYouMean.hint(for: id, among: RuleRegistry.ids))
                    problems.append(InvalidSuppressionRule.finding(why, at: at, help: RuleMessage<InvalidSuppressionRule>.rulesHelp))
                    continue
                }
                rules.append((id, at))
            }
            let reason = String(String.UnicodeScalarView(scalars[(close + 1)...])).trimmingBlanks
            if reason.isEmpty {
                problems.append(InvalidSuppressionRule.finding(
                    .noReason, at: whole, help: RuleMessage<InvalidSuppressionRule>.reasonHelp(word, rule: rules.first?.0 ?? "rule-id")))
            }
            guard !rules.isEmpty else { continue }
            suppressions.append(Suppression(scope: scope, rules: rules, reason: reason.isEmpty ? nil : reason, location: whole,
                                            throughLine: scope == .lines ? comment.keyValueEndLine : nil))
        }
        return (suppressions, problems)
    }

    /// Removes the findings that suppressions cover. Returns what is left, how many were
    /// suppressed, and an `unused-suppression` note for each rule id that covered nothing.
    static func apply(_ suppressions: [Suppression], to findings: [Finding]) -> (kept: [Finding], suppressed: Int, unused: [Finding]) {
        let result = applied(suppressions, to: findings)
        return (result.kept, result.suppressed.count, result.unused)
    }

    /// As `apply`, with each suppressed finding and the reason its comment gives.
    /// `judged`: the rules this run could report; a suppression of another is not unused.
    static func applied(_ suppressions: [Suppression], to findings: [Finding], judged: (String) -> Bool = { _ in true })
        -> (kept: [Finding], suppressed: [SuppressedFinding], unused: [Finding]) {
        var used = suppressions.map { Array(repeating: false, count: $0.rules.count) }
        var kept: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        for finding in findings {
            var hit: Suppression?
            if !RuleRegistry.suppressionRuleIds.contains(finding.rule) {
                for (s, suppression) in suppressions.enumerated() where suppression.covers(finding) {
                    for (r, rule) in suppression.rules.enumerated() where rule.id == finding.rule {
                        used[s][r] = true
                        if hit == nil { hit = suppression }
                    }
                }
            }
            if let hit {
                suppressed.append(SuppressedFinding(finding: finding, kind: .inSource, justification: hit.reason, at: hit.location))
            } else {
                kept.append(finding)
            }
        }
        var unused: [Finding] = []
        for (s, suppression) in suppressions.enumerated() {
            for (r, rule) in suppression.rules.enumerated() where !used[s][r] && judged(rule.id) {
                let scope = suppression.scope == .file ? "in this file" : suppression.throughLine.map { $0 > suppression.location.line + 1 ? "in this key's value (through line \($0))" : "on this line or the next" } ?? "on this line or the next"
                unused.append(UnusedSuppressionRule.finding(.unused(rule.id, scope: scope), at: rule.location,
                                                            help: RuleMessage<UnusedSuppressionRule>.help))
            }
        }
        return (kept, suppressed, unused)
    }
}

/// A finding that is not reported because a comment or a baseline hides it: SARIF still
/// carries it, as suppressed, so that code scanning shows it dismissed rather than fixed.
public struct SuppressedFinding: Sendable {
    public enum Kind: String, Sendable { case inSource, external }
    public var finding: Finding
    public var kind: Kind
    public var justification: String?
    /// The suppression comment, for in-source ones.
    public var location: Location?

    public init(finding: Finding, kind: Kind, justification: String?, at location: Location? = nil) {
        self.finding = finding
        self.kind = kind
        self.justification = justification
        self.location = location
    }
}

extension String {
    var trimmingBlanks: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
