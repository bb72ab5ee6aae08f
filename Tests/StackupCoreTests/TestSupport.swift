import Foundation
@testable import StackupCore

/// `rule@line:col` for each finding, in report order: compact and exact.
func positions(_ report: DesignReport) -> [String] {
    report.findings.map { "\($0.rule)@\($0.location.line):\($0.location.column)" }
}

/// The same, for the findings of some rules only: tests of one analysis assert on its rules,
/// not on what other analyses rightly say about a minimal design (no owner, say).
func positions(_ report: DesignReport, only rules: Set<String>) -> [String] {
    report.findings.filter { rules.contains($0.rule) }.map { "\($0.rule)@\($0.location.line):\($0.location.column)" }
}

/// The rules that report while a design loads.
let loadingRules = RuleRegistry.loadingRuleIds

/// The repository's root folder, found from this file.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../..").standardizedFileURL

/// A minimal valid design with `stages` and more spliced in.
func design(customer: String = "", stages: String, entries: String = "  web: {to: sdr, rate: 100/week}") -> String {
    var text = "stackup: 1\n"
    if !customer.isEmpty { text += "customer:\n" + customer + "\n" }
    text += "entries:\n" + entries + "\nstages:\n" + stages + "\n"
    return text
}

/// A scratch folder on disk, removed when the test ends.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    var path: String { DiskSourceProvider().canonicalPath(url.path) ?? url.path }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
