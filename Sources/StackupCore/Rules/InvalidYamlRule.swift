import Foundation
import StackupYAML

/// `invalid-yaml`: the file is not YAML that can be read.
package enum InvalidYamlRule: Rule {
    package static let description = RuleDescription(
        id: "invalid-yaml",
        severity: .error,
        summary: "The file is not readable YAML.",
        rationale: """
        Nothing else can be checked in a file that does not parse. The location is where the YAML reader \
        gave up; where a quote or bracket was opened earlier, that place is given as a related location. \
        The reader also refuses files that are not UTF-8, hold NUL bytes, hold more than one document, \
        nest deeper than 64 levels, or expand aliases past a safe budget.
        """,
        fix: "Correct the YAML at the marked place. Quote comparisons: write `\">= 60\"`, not `>= 60`.",
        failingExample: """
        stackup: 1
        customer:
          attributes:
            lead_score: {min: 0, max: 100}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            accepts:
              lead_score: >= 60
        #                  ^
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          attributes:
            lead_score: {min: 0, max: 100}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            accepts:
              lead_score: ">= 60"
            rejects_to: lost
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """, phase: .loading)

    /// The finding for a reader error, with a hint for the common mistakes.
    static func finding(for error: YAMLError, file: String, text: SourceText) -> Finding {
        let location = Location(file: file, span: error.span)
        var related: [RelatedLocation] = []
        if let context = error.context {
            related.append(RelatedLocation(Location(file: file, span: Span(at: context.position)), context.message))
        }
        let rule: any Rule.Type = error.kind == .duplicateKey ? SchemaRule.self : InvalidYamlRule.self
        return rule.finding(message(for: error), at: location, related: related, help: hint(for: error, text: text))
    }

    static func message(for error: YAMLError) -> String {
        switch error.kind {
        case .syntax: return "YAML syntax error: \(error.message)"
        default: return error.message
        }
    }

    static func hint(for error: YAMLError, text: SourceText) -> String? {
        guard error.kind == .syntax else { return nil }
        let lines = [error.span.start.line - 1, error.span.start.line].compactMap { text.line($0) }
        for line in lines {
            // `key: >= 60`, in block or flow style: YAML reads `>` (or `|`) as a block scalar
            // header, or cannot start a token with it inside `{…}`.
            var rest = Substring(line)
            while let colon = rest.firstIndex(of: ":") {
                let after = rest[rest.index(after: colon)...].drop { $0 == " " }
                if after.hasPrefix(">") || after.hasPrefix("<") || after.hasPrefix("!=") || after.hasPrefix("==") {
                    // In flow style the comparison ends at the next `,` of the mapping or its `}`.
                    let inFlow = line[..<colon].contains("{")
                    let comparison = inFlow ? String(after.prefix { $0 != "}" && $0 != "," }).trimmingCharacters(in: .whitespaces) : String(after)
                    return "quote comparisons: YAML reads an unquoted `>` as a folded-scalar marker; write `\"\(comparison)\"`"
                }
                rest = after
            }
        }
        if error.message.contains("tab character") || (text.line(error.span.start.line)?.contains("\t") ?? false) {
            return "YAML indents with spaces; replace the tab characters"
        }
        return nil
    }
}

/// What `invalid-yaml` says when a file cannot be read at all (its parse errors are worded by
/// `message(for:)` above).
extension RuleMessage where R == InvalidYamlRule {
    static func unreadable(_ reason: String) -> Self { .init("cannot read the design: \(reason)") }
}
