import Foundation
import Testing
import StackupYAML
@testable import StackupCore
@testable import StackupReporters

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Every file under `Specs/`, in memory under its repository-relative path, so that display
/// paths do not depend on where the tests run.
func specsProvider() throws -> MemorySourceProvider {
    var files: [String: String] = [:]
    let fm = FileManager.default
    let specs = repositoryRoot.appendingPathComponent("Specs")
    let walker = try #require(fm.enumerator(atPath: specs.path))
    while let name = walker.nextObject() as? String {
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
        files["Specs/" + name] = try String(contentsOf: specs.appendingPathComponent(name), encoding: .utf8)
    }
    return MemorySourceProvider(files)
}

func checkSpec(_ relative: String) throws -> DesignReport {
    let provider = try specsProvider()
    let root = try #require(provider.canonicalPath(PathUtilities.directory(of: relative)))
    return Checker(provider: provider).check(file: relative, rootFolder: root)
}

/// Compares with a golden file; `STACKUP_UPDATE_GOLDEN=1` rewrites it instead.
func expectGolden(_ actual: String, _ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["STACKUP_UPDATE_GOLDEN"] != nil {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "\(url.lastPathComponent) differs", sourceLocation: sourceLocation)
}

@Suite struct TextReporterTests {
    static let invalidSpecs: [String] = {
        let folder = repositoryRoot.appendingPathComponent("Specs/invalid")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".stackup.yaml") }.sorted()
    }()

    /// `Specs/invalid/NAME.expected.txt` is the text report of `NAME.stackup.yaml` alone.
    @Test(arguments: invalidSpecs)
    func invalidSpecMatchesItsExpectedOutput(name: String) throws {
        let report = try checkSpec("Specs/invalid/" + name)
        #expect(!report.findings.isEmpty)
        let text = TextReporter.render(report.findings, sources: report.sources, files: 1, color: false)
        let expected = repositoryRoot.appendingPathComponent("Specs/invalid/" + name.replacingOccurrences(of: ".stackup.yaml", with: ".expected.txt"))
        try expectGolden(text, expected)
    }

    @Test func colourOutputIsGolden() throws {
        let report = try checkSpec("Specs/invalid/percentiles-out-of-order.stackup.yaml")
        let text = TextReporter.render(report.findings, sources: report.sources, files: 1, color: true)
        #expect(text.contains("\u{1B}[1;31merror[invalid-sla]\u{1B}[0m"))
        try expectGolden(text, goldenFolder.appendingPathComponent("percentiles-color.txt"))
    }

    @Test func noColourMeansNoEscapes() throws {
        let report = try checkSpec("Specs/invalid/many-problems.stackup.yaml")
        let text = TextReporter.render(report.findings, sources: report.sources, files: 1, color: false)
        #expect(!text.contains("\u{1B}"))
    }

    /// Carets sit under the span by display width: CJK and emoji take two columns, a
    /// combining accent none, and a tab four.
    @Test func caretsAlignByDisplayWidth() {
        let line = "  名前: \"e\u{301}🚀\"\tto: ea"
        let source = SourceText(line + "\n")
        let column = Array(line.unicodeScalars).firstIndex(of: "e")! + 1
        let start = SourcePosition(line: 1, column: column, offset: 0)
        let end = SourcePosition(line: 1, column: column + 3, offset: 0)
        let finding = Finding(rule: "schema", severity: .error, message: "m",
                              location: Location(file: "f.yaml", span: Span(start: start, end: end)))
        let text = TextReporter.render([finding], sources: ["f.yaml": source], files: 1, color: false)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // "  名前: \"" is 2 + 4 + 1 + 1 + 1 = 9 columns wide; "é🚀" is 1 + 2 = 3.
        #expect(lines[3] == "1 |   名前: \"e\u{301}🚀\"    to: ea")
        #expect(lines[4] == "  | " + String(repeating: " ", count: 9) + "^^^")
    }

    @Test func summaryLine() {
        #expect(TextReporter.render([], sources: [:], files: 2, color: false) == "No problems found in 2 files.\n")
    }
}

@Suite struct JSONReporterTests {
    @Test func jsonIsGolden() throws {
        let report = try checkSpec("Specs/invalid/many-problems.stackup.yaml")
        try expectGolden(JSONReporter.render(report.findings, files: 1), goldenFolder.appendingPathComponent("many-problems.json"))
    }

    @Test func jsonHasFormatMdShapeWithExplicitNulls() throws {
        let report = try checkSpec("Specs/invalid/missing-stage.stackup.yaml")
        let data = Data(JSONReporter.render(report.findings, files: 1).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect((object["tool"] as? [String: Any])?["name"] as? String == "stackup")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == report.findings.count)
        let first = try #require(findings.first)
        for key in ["rule", "severity", "message", "location", "stage", "path", "example", "related"] {
            #expect(first.keys.contains(key), "missing \(key)")
        }
        #expect(first["example"] is NSNull)
        let location = try #require(first["location"] as? [String: Any])
        #expect(location["file"] as? String == "Specs/invalid/missing-stage.stackup.yaml")
        #expect(location["line"] as? Int == 8)
        #expect(location["column"] as? Int == 13)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["errors": 1, "warnings": 2, "notes": 0, "files": 1])
    }

    @Test func exampleCustomersKeepTheirTypes() throws {
        let finding = Finding(rule: "criteria-gap", severity: .error, message: "m",
                              location: Location(file: "f", span: Span(at: .start)),
                              example: ExampleCustomer([("lead_score", .number(55)), ("ratio", .number(0.5)), ("segment", .symbol("mid")), ("inbound", .bool(true))]))
        let json = JSONReporter.render([finding], files: 1)
        #expect(json.contains("\"lead_score\" : 55,"))
        #expect(json.contains("\"ratio\" : 0.5,"))
        #expect(json.contains("\"segment\" : \"mid\""))
        #expect(json.contains("\"inbound\" : true"))
    }

    @Test func outputIsDeterministic() throws {
        let a = JSONReporter.render(try checkSpec("Specs/invalid/many-problems.stackup.yaml").findings, files: 1)
        let b = JSONReporter.render(try checkSpec("Specs/invalid/many-problems.stackup.yaml").findings, files: 1)
        #expect(a == b)
    }
}

@Suite struct RuleDocsTests {
    /// `docs/rules.md` is generated; regenerate with `swift run stackup rules --format markdown > docs/rules.md`.
    @Test func committedRuleDocsAreCurrent() throws {
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let generated = RuleDocs.markdown(RuleRegistry.descriptions)
        #expect(committed == generated, "docs/rules.md is stale: run `swift run stackup rules --format markdown > docs/rules.md`")
    }

    /// `docs/limits.md` is generated too: `swift run stackup limits --format markdown > docs/limits.md`.
    @Test func committedLimitDocsAreCurrent() throws {
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/limits.md"), encoding: .utf8)
        #expect(committed == LimitDocs.markdown(), "docs/limits.md is stale: run `swift run stackup limits --format markdown > docs/limits.md`")
        for entry in Limits.all { #expect(committed.contains("| `\(entry.name)` |"), "docs/limits.md lacks \(entry.name)") }
    }

    /// `docs/keys.md` is generated from the format's table: `swift run stackup schema --format markdown > docs/keys.md`.
    @Test func committedKeyDocsAreCurrent() throws {
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/keys.md"), encoding: .utf8)
        #expect(committed == KeyDocs.markdown(), "docs/keys.md is stale: run `swift run stackup schema --format markdown > docs/keys.md`")
    }

    @Test func examplesCheckedWithLimitsSayHow() throws {
        let text = RuleDocs.explain(OverLimitRule.description)
        #expect(text.contains("checked with --limit committee-roles=2"))
    }

    /// A rule with findings at two severities gets a row for each: "3 asked-twice error" must
    /// not count a note as an error.
    @Test func statisticsCountEachSeverityApart() {
        func finding(_ rule: String, _ severity: Severity) -> Finding {
            Finding(rule: rule, severity: severity, message: "m", location: Location(file: "f", span: Span(at: .start)))
        }
        let text = TextReporter.statistics([finding("asked-twice", .error), finding("asked-twice", .note), finding("asked-twice", .error), finding("dead-end", .error)],
                                           files: 1, color: false)
        #expect(text == "2  asked-twice  error\n1  asked-twice  note\n1  dead-end     error\nFound 3 errors, 0 warnings and 1 note in 1 file.\n")
    }

    @Test func messagesFromADesignCannotDriveTheTerminal() {
        #expect(TextReporter.printable("stage `a\u{1B}[2J\u{7}b\u{202E}`") == "stage `a\\u{1b}[2J\\u{7}b\\u{202e}`")
        #expect(TextReporter.printable("plain → text, 日本語") == "plain → text, 日本語")
    }

    @Test func explainCarriesEverySection() throws {
        let d = DeadEndRule.description
        let text = RuleDocs.explain(d)
        #expect(text.hasPrefix("dead-end (default severity: error)\n"))
        #expect(text.contains(d.rationale))
        #expect(text.contains("    - to: ae"))
    }

    @Test func listHasOneAlignedLinePerRule() {
        let lines = RuleDocs.list(RuleRegistry.descriptions).split(separator: "\n")
        #expect(lines.count == RuleRegistry.all.count)
        // Severities start in one column, two past the longest id.
        let column = (RuleRegistry.ids.map(\.count).max() ?? 0) + 2
        for (line, rule) in zip(lines, RuleRegistry.all) {
            let d = rule.description
            #expect(line.hasPrefix(d.id + String(repeating: " ", count: column - d.id.count) + d.severity.rawValue))
        }
    }
}
