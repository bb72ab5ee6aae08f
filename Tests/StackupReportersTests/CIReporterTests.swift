import Foundation
import Testing
@testable import StackupCore
@testable import StackupReporters

@Suite struct CIReporterTests {
    static let descriptions = RuleRegistry.descriptions

    @Test func sarifIsGolden() throws {
        let report = try checkSpec("Specs/invalid/missing-stage.stackup.yaml")
        try expectGolden(SARIFReporter.render(report.findings, rules: Self.descriptions), goldenFolder.appendingPathComponent("missing-stage.sarif"))
    }

    @Test func sarifCarriesWhatCodeScanningReads() throws {
        let report = try checkSpec("Specs/invalid/missing-stage.stackup.yaml")
        let data = Data(SARIFReporter.render(report.findings, rules: Self.descriptions).utf8)
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.count == RuleRegistry.all.count)
        for key in ["shortDescription", "fullDescription", "help", "defaultConfiguration"] { #expect(rules[0][key] != nil, "rules[].\(key)") }
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == report.findings.count)
        let first = try #require(results.first)
        #expect((first["partialFingerprints"] as? [String: String])?["stackup/v1"]?.count == 16)
        let location = try #require((first["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: String])?["uri"] == "Specs/invalid/missing-stage.stackup.yaml")
        #expect(location["region"] as? [String: Int] == ["startLine": 8, "startColumn": 13, "endLine": 8, "endColumn": 15])
    }

    @Test func sarifRelatedLocationsIncludeTheJourneyWithUniqueIds() throws {
        let report = try checkSpec("Specs/examples/assembly-line.stackup.yaml")
        let data = Data(SARIFReporter.render(report.findings, rules: Self.descriptions).utf8)
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let results = try #require(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        let gap = try #require(results.first { $0["ruleId"] as? String == "criteria-gap" })
        let related = try #require(gap["relatedLocations"] as? [[String: Any]])
        let ids = related.compactMap { $0["id"] as? Int }
        #expect(Set(ids).count == ids.count && ids == Array(1...ids.count))
        let messages = related.compactMap { ($0["message"] as? [String: String])?["text"] }
        #expect(messages.contains("journey step 1: web"))
        #expect(messages.contains("journey step 3: inbound_sdr"))
    }

    @Test func githubAnnotationsEscapeDataAndProperties() {
        let finding = Finding(rule: "schema", severity: .warning, message: "50% done\r\nnext: a,b",
                              location: Location(file: "a:b,c.yaml", span: .init(start: .init(line: 3, column: 2, offset: 0), end: .init(line: 4, column: 1, offset: 0))))
        #expect(GitHubReporter.render([finding]) == "::warning file=a%3Ab%2Cc.yaml,line=3,endLine=4,title=stackup schema::50%25 done%0D%0Anext: a,b\n")
    }

    @Test func githubAndGitLabAreGolden() throws {
        let report = try checkSpec("Specs/invalid/many-problems.stackup.yaml")
        try expectGolden(GitHubReporter.render(report.findings), goldenFolder.appendingPathComponent("many-problems.github.txt"))
        try expectGolden(GitLabReporter.render(report.findings), goldenFolder.appendingPathComponent("many-problems.gitlab.json"))
    }

    @Test func gitlabFingerprintsAreUnique() throws {
        let report = try checkSpec("Specs/invalid/many-problems.stackup.yaml")
        let data = Data(GitLabReporter.render(report.findings).utf8)
        let issues = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let prints = issues.compactMap { $0["fingerprint"] as? String }
        #expect(prints.count == report.findings.count && Set(prints).count == prints.count)
        #expect(Set(issues.compactMap { $0["severity"] as? String }).isSubset(of: ["info", "minor", "major"]))
    }

    @Test func junitHasASuitePerFileAndAPassingCaseWhenClean() throws {
        let bad = try checkSpec("Specs/invalid/missing-stage.stackup.yaml")
        let xml = JUnitReporter.render(bad.findings, files: ["Specs/invalid/missing-stage.stackup.yaml", "clean.stackup.yaml"])
        try expectGolden(xml, goldenFolder.appendingPathComponent("missing-stage.junit.xml"))
        #expect(xml.contains("<testsuite name=\"clean.stackup.yaml\" tests=\"1\" failures=\"0\""))
        #expect(xml.contains("<testcase name=\"no problems\""))
        #expect(xml.components(separatedBy: "<failure ").count - 1 == bad.findings.filter { $0.severity == .error }.count)
        #expect(JUnitReporter.xml("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot;?")
    }

    /// Only findings at or above `--fail-on` fail; the rest pass with their message, so that a
    /// run that exits 0 shows a green report.
    @Test func junitFailsOnlyAtOrAboveFailOn() throws {
        let report = try checkSpec("Specs/examples/assembly-line.stackup.yaml")
        let severities = Set(report.findings.map(\.severity))
        #expect(severities.count > 1, "the spec should mix severities")
        for failOn in [Severity.error, .warning, .note] {
            let xml = JUnitReporter.render(report.findings, files: [], failOn: failOn)
            #expect(xml.components(separatedBy: "<failure ").count - 1 == report.findings.filter { $0.severity >= failOn }.count)
            #expect(xml.components(separatedBy: "<system-out>").count - 1 == report.findings.filter { $0.severity < failOn }.count)
        }
    }

    /// Neither GitLab fingerprints nor JUnit test-case names move when a line is added above
    /// every finding.
    @Test func identitiesSurviveALineAddedAbove() throws {
        let path = repositoryRoot.appendingPathComponent("Specs/invalid/many-problems.stackup.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        let before = Checker.check(text: text, name: "d.stackup.yaml").findings
        let after = Checker.check(text: "# a new first line\n" + text, name: "d.stackup.yaml").findings
        #expect(before.count == after.count && before.count > 3)
        #expect(before.map(\.location.line) != after.map(\.location.line))
        func prints(_ f: [Finding]) throws -> [String] {
            let issues = try #require(try JSONSerialization.jsonObject(with: Data(GitLabReporter.render(f).utf8)) as? [[String: Any]])
            return issues.compactMap { $0["fingerprint"] as? String }
        }
        #expect(try prints(before) == prints(after))
        func names(_ f: [Finding]) -> [String] {
            JUnitReporter.render(f, files: []).split(separator: "\n").filter { $0.contains("<testcase ") }.map { String($0.split(separator: " line=")[0]) }
        }
        #expect(names(before) == names(after))
        #expect(!names(before).contains { $0.range(of: #"at [0-9]+:[0-9]+"#, options: .regularExpression) != nil })
    }

    @Test func fingerprintsIgnoreLinesAndFigures() {
        let a = Finding(rule: "r", severity: .error, message: "`x` takes 5 h", location: Location(file: "f", span: .init(at: .init(line: 3, column: 1, offset: 0))), stage: "x")
        var b = a
        b.location = Location(file: "f", span: .init(at: .init(line: 40, column: 9, offset: 0)))
        b.message = "`x` takes 7 h"
        var c = a
        c.stage = "y"
        #expect(Fingerprint.of(a) == Fingerprint.of(b))
        #expect(Fingerprint.of(a) != Fingerprint.of(c))
    }
}
