import Foundation
import Testing
@testable import StackupCore

/// The single generic test: every rule's failing example reports that rule at the marked
/// line and column, and its passing example does not report it.
@Suite struct RuleExampleTests {
    static let rules = RuleRegistry.all.map { $0.description }

    /// Checks an example the way its rule runs: a design alone, or, for a rule of `calibrate`,
    /// the design held against the rule's example log (or `log`, spelt as the test needs).
    static func run(_ rule: RuleDescription, _ text: String, log: String? = nil) -> DesignReport {
        let options = CheckOptions(limits: rule.exampleLimitValues)
        guard let logText = log ?? rule.exampleLog else { return Checker.check(text: text, options: options) }
        var handed = false
        let read = EventLogReader.read(name: "example.csv", options: LogReadOptions()) {
            defer { handed = true }
            return handed ? nil : Array(logText.utf8)
        }
        guard case .success(let events) = read else {
            Issue.record("\(rule.id)'s example log does not read: \(read)")
            return Checker.check(text: text, options: options)
        }
        return Checker.check(text: text, options: options, calibration: CalibrationInput(log: events, options: CalibrationOptions()))
    }

    @Test(arguments: rules.map(\.id))
    func failingExampleReportsTheRuleAtTheMarkedPosition(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let marked = try #require(RuleDescription.markedPosition(in: rule.failingExample), "no ^ marker in \(id)'s failing example")
        let report = Self.run(rule, rule.failingExample)
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
        let report = Self.run(rule, rule.failingExample)
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
        let report = Self.run(rule, lines.joined(separator: "\n"))
        #expect(!report.findings.contains { $0.rule == id }, "\(id): \(report.findings.filter { $0.rule == id }.map { "\($0.location.line):\($0.location.column)" })")
        #expect(report.suppressed == RuleDescription.markedPositions(in: rule.failingExample).count)
    }

    /// Column arithmetic must count Unicode scalars: a multi-byte comment line moves every
    /// finding down one line and leaves columns as they were.
    @Test(arguments: rules.map(\.id))
    func failingExampleIsStableUnderAMultibyteFirstLine(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let marked = try #require(RuleDescription.markedPosition(in: rule.failingExample))
        let report = Self.run(rule, "# Überprüfung — 日本語 ✓ 🚀\n" + rule.failingExample)
        #expect(report.findings.contains { $0.rule == id && $0.location.line == marked.line + 1 && $0.location.column == marked.column })
    }

    /// The same on the marked line itself: every name the design chose (stage ids, entries,
    /// attributes and their values, fields, roles, promises) is spelt with accented letters of
    /// the same count, so that whatever precedes a marker mid-line is multi-byte, and every
    /// finding must stay at its marker's column, counted in scalars. Examples are written so
    /// that a chosen name precedes each marker that has more than indentation before it.
    @Test(arguments: rules.map(\.id))
    func failingExampleReportsAtTheMarkerBehindMultibyteText(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let options = CheckOptions(limits: rule.exampleLimitValues)
        // The passing example names the same things, and loads where the failing one may not.
        let names = Self.chosenNames(in: Checker.check(text: rule.failingExample, options: options).design)
            .union(Self.chosenNames(in: Checker.check(text: rule.passingExample, options: options).design))
        // A calibration rule's log names the same stages, and is spelt alike.
        let log = rule.exampleLog.map { Self.accented($0, names: names) }
        let text = Self.accented(rule.failingExample, names: names)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let marks = RuleDescription.markedPositions(in: text)
        for mark in marks {
            let before = String(String.UnicodeScalarView(lines[mark.line - 1].unicodeScalars.prefix(mark.column - 1)))
            // Indentation and collection indicators (`  - `, `[`, `{`) are all YAML allows there.
            guard before.contains(where: { !" -[{".contains($0) }) else { continue }
            #expect(before.utf8.count > before.unicodeScalars.count, "\(id): nothing multi-byte before the marker on `\(lines[mark.line - 1])`")
        }
        let report = Self.run(rule, text, log: log)
        let hits = report.findings.filter { $0.rule == id }.map { "\($0.location.line):\($0.location.column)" }
        #expect(hits.sorted() == marks.map { "\($0.line):\($0.column)" }.sorted(), "\(id): markers \(marks), findings \(hits)\n\(text)")
    }

    /// Names the design chose, which the format does not give a meaning to.
    static func chosenNames(in design: Design?) -> Set<String> {
        guard let design else { return [] }
        var names = Set(design.stages.map(\.id) + design.entries.map(\.name) + design.customer.promises.map(\.name))
        for attribute in design.customer.attributes {
            names.insert(attribute.name)
            if case .enumeration(let values) = attribute.kind { names.formUnion(values) }
        }
        for stage in design.stages { names.formUnion((stage.requires + stage.captures + stage.engages + (stage.handsOff ?? [])).map(\.value)) }
        names.formUnion(design.customer.committee.map(\.value))
        // Words with a meaning of their own stay as they are.
        let reserved: Set<String> = ["won", "lost", "economic_buyer", "first-contact", "start"]
        return names.subtracting(reserved).subtracting(FormatSchema.maps.flatMap(\.names))
    }

    /// `text` with each name's letters accented (one scalar each, two bytes in UTF-8).
    static func accented(_ text: String, names: Set<String>) -> String {
        let accents: [Character: Character] = ["a": "á", "b": "ḃ", "c": "ç", "d": "ḋ", "e": "é", "f": "ḟ", "g": "ğ", "h": "ĥ", "i": "í",
                                               "j": "ĵ", "k": "ķ", "l": "ĺ", "m": "ṁ", "n": "ñ", "o": "ó", "p": "ṗ", "r": "ŕ", "s": "š",
                                               "t": "ť", "u": "ú", "v": "ṽ", "w": "ŵ", "x": "ẋ", "y": "ý", "z": "ž"]
        var out = text
        for name in names.sorted(by: { $0.count > $1.count }) {
            let spelt = String(name.map { accents[$0] ?? $0 })
            guard spelt != name else { continue }
            let pattern = "(?<![A-Za-z0-9_\\-])" + NSRegularExpression.escapedPattern(for: name) + "(?![A-Za-z0-9_\\-])"
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: NSRegularExpression.escapedTemplate(for: spelt))
        }
        return out
    }

    @Test(arguments: rules.map(\.id))
    func passingExampleDoesNotReportTheRule(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let report = Self.run(rule, rule.passingExample)
        #expect(!report.findings.contains { $0.rule == id }, "\(report.findings.map { "\($0.rule)@\($0.location) \($0.message)" })")
    }

    /// Passing examples are meant to be clean designs, so they must not raise any error.
    @Test(arguments: rules.map(\.id))
    func passingExampleHasNoErrors(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id)).description
        let report = Self.run(rule, rule.passingExample)
        #expect(report.findings.filter { $0.severity == .error }.isEmpty, "\(report.findings.map { "\($0.rule)@\($0.location) \($0.message)" })")
    }

    /// The registry is the only list of rules: the loading and suppression sets come from
    /// each rule's own `phase`.
    @Test func phasesComeFromTheRulesThemselves() {
        #expect(RuleRegistry.loadingRuleIds == ["invalid-yaml", "schema", "unknown-reference", "invalid-include", "invalid-sla", "type-mismatch", "over-limit"])
        #expect(RuleRegistry.suppressionRuleIds == ["invalid-suppression", "unused-suppression"])
        #expect(RuleRegistry.calibrationRuleIds == ["sla-drift", "route-drift", "rate-drift", "undeclared-transition"])
        #expect(RuleRegistry.all.allSatisfy { ($0.description.phase == .calibration) == ($0.description.exampleLog != nil) })
    }

    /// Every word a rule says is in its own file: outside `Rules/`, findings are made only from
    /// the rules' `RuleMessage`s, never from a string written on the spot.
    @Test func messagesLiveInTheirRuleFiles() throws {
        let core = repositoryRoot.appendingPathComponent("Sources/StackupCore")
        let walker = try #require(FileManager.default.enumerator(atPath: core.path))
        var offenders: [String] = []
        while let name = walker.nextObject() as? String {
            guard name.hasSuffix(".swift"), !name.hasPrefix("Rules/") else { continue }
            let text = try String(contentsOf: core.appendingPathComponent(name), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("Rule.finding(\"") || line.contains("schema(\"") || line.contains("RuleMessage(\"") || line.contains("RuleMessage<") && line.contains(">(\"") {
                offenders.append("\(name):\(number + 1)")
            }
        }
        #expect(offenders.isEmpty, "messages written outside their rule's file: \(offenders)")
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
