import Foundation
import Testing
@testable import StackupCore

/// The single generic test: every rule's failing example reports that rule at the marked
/// line and column, and its passing example does not report it.
@Suite struct RuleExampleTests {
    static let rules = RuleRegistry.all.map { $0.description }

    @Test(arguments: rules.map(\.id))
    func failingExampleReportsTheRuleAtTheMarkedPosition(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let marked = try #require(RuleDescription.markedPosition(in: rule.failingExample), "no ^ marker in \(id)'s failing example")
        let report = Checker.check(text: rule.failingExample, options: CheckOptions(limits: rule.exampleLimitValues))
        let hits = report.findings.filter { $0.rule == id }
        #expect(hits.contains { $0.location.line == marked.line && $0.location.column == marked.column },
                "expected \(id) at \(marked.line):\(marked.column), got \(report.findings.map { "\($0.rule)@\($0.location.line):\($0.location.column) \($0.message)" })")
        // The rule's default severity, unless the example's marker names another (`# ^ note`).
        let expected = RuleDescription.markedPositions(in: rule.failingExample).first?.severity ?? rule.severity
        #expect(hits.allSatisfy { $0.severity == expected }, "\(id): \(hits.map(\.severity)) against \(expected)")
    }

    /// As strict as SwiftLint's `verifyRule`: exactly one finding of the rule per marker, each
    /// at its marker.
    @Test(arguments: rules.map(\.id))
    func failingExampleReportsExactlyTheMarkedFindings(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let marks = RuleDescription.markedPositions(in: rule.failingExample)
        let report = Checker.check(text: rule.failingExample, options: CheckOptions(limits: rule.exampleLimitValues))
        let hits = report.findings.filter { $0.rule == id }.map { "\($0.location.line):\($0.location.column)" }
        #expect(hits.sorted() == marks.map { "\($0.line):\($0.column)" }.sorted(), "\(id): markers \(marks), findings \(hits)")
    }

    /// A suppression comment on each marked line silences the rule there (the rules about
    /// suppression comments themselves cannot be suppressed, by design).
    @Test(arguments: rules.map(\.id).filter { !RuleRegistry.suppressionRuleIds.contains($0) })
    func aSuppressionAtEachMarkerSilencesTheExample(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        var lines = rule.failingExample.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for mark in RuleDescription.markedPositions(in: rule.failingExample) {
            lines[mark.line - 1] += "  # stackup: ignore[\(id)] silenced by the generic test"
        }
        let report = Checker.check(text: lines.joined(separator: "\n"), options: CheckOptions(limits: rule.exampleLimitValues))
        #expect(!report.findings.contains { $0.rule == id }, "\(id): \(report.findings.filter { $0.rule == id }.map { "\($0.location.line):\($0.location.column)" })")
        #expect(report.suppressed == RuleDescription.markedPositions(in: rule.failingExample).count)
    }

    /// Column arithmetic must count Unicode scalars: a multi-byte comment line moves every
    /// finding down one line and leaves columns as they were.
    @Test(arguments: rules.map(\.id))
    func failingExampleIsStableUnderAMultibyteFirstLine(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let marked = try #require(RuleDescription.markedPosition(in: rule.failingExample))
        let report = Checker.check(text: "# Überprüfung — 日本語 ✓ 🚀\n" + rule.failingExample, options: CheckOptions(limits: rule.exampleLimitValues))
        #expect(report.findings.contains { $0.rule == id && $0.location.line == marked.line + 1 && $0.location.column == marked.column })
    }

    @Test(arguments: rules.map(\.id))
    func passingExampleDoesNotReportTheRule(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let report = Checker.check(text: rule.passingExample, options: CheckOptions(limits: rule.exampleLimitValues))
        #expect(!report.findings.contains { $0.rule == id }, "\(report.findings.map { "\($0.rule)@\($0.location) \($0.message)" })")
    }

    /// Passing examples are meant to be clean designs, so they must not raise any error.
    @Test(arguments: rules.map(\.id))
    func passingExampleHasNoErrors(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let report = Checker.check(text: rule.passingExample, options: CheckOptions(limits: rule.exampleLimitValues))
        #expect(report.findings.filter { $0.severity == .error }.isEmpty, "\(report.findings.map { "\($0.rule)@\($0.location) \($0.message)" })")
    }

    /// The registry is the only list of rules: the loading and suppression sets come from
    /// each rule's own `phase`.
    @Test func phasesComeFromTheRulesThemselves() {
        #expect(RuleRegistry.loadingRuleIds == ["invalid-yaml", "schema", "unknown-reference", "invalid-include", "invalid-sla", "type-mismatch", "over-limit"])
        #expect(RuleRegistry.suppressionRuleIds == ["invalid-suppression", "unused-suppression"])
    }

    @Test func idsAreUniqueKebabCaseAndMatchTypeNamesAndFiles() throws {
        let ids = RuleRegistry.ids
        #expect(Set(ids).count == ids.count)
        let rulesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/StackupCore/Rules").standardizedFileURL
        for type in RuleRegistry.all {
            let d = type.description
            #expect(d.id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(d.id) is not kebab-case")
            #expect(String(describing: type) == d.typeName, "\(d.id) is implemented by \(type), expected \(d.typeName)")
            #expect(FileManager.default.fileExists(atPath: rulesFolder.appendingPathComponent(d.typeName + ".swift").path),
                    "\(d.id) must live in \(d.typeName).swift")
            #expect(!d.summary.isEmpty && !d.rationale.isEmpty && !d.fix.isEmpty)
        }
    }
}
