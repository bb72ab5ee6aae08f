import Foundation
import Testing
@testable import StackupCore
@testable import StackupReporters

@Suite struct DiffReporterTests {
    /// Specs/changes: the second version adds a deal desk that breaks the `close` promise.
    static func changes() throws -> DesignDiff {
        let before = try checkSpec("Specs/changes/before/lean-inbound.stackup.yaml")
        let after = try checkSpec("Specs/changes/after/lean-inbound.stackup.yaml")
        let name = { (file: String) in file.replacingOccurrences(of: "/before/", with: "/after/") }
        return DesignDiff(base: [DesignDiff.Side(file: name(before.file), findings: before.findings, metrics: before.metrics)],
                          head: [DesignDiff.Side(file: after.file, findings: after.findings, metrics: after.metrics)],
                          headName: name)
    }

    static let gate = DiffReporter.Gate(failOn: .error, maxRegression: 0.1)

    @Test func textIsGolden() throws {
        try expectGolden(DiffReporter.text(try Self.changes(), gate: Self.gate), goldenFolder.appendingPathComponent("changes.diff.txt"))
    }

    @Test func markdownIsGolden() throws {
        try expectGolden(DiffReporter.markdown(try Self.changes(), gate: Self.gate), goldenFolder.appendingPathComponent("changes.diff.md"))
    }

    @Test func theChangeIntroducesOnePromiseBreakAndSlowsItsP90() throws {
        let diff = try Self.changes()
        #expect(diff.introduced.map(\.rule) == ["promise-broken"])
        #expect(diff.resolved.isEmpty)
        #expect(diff.regressions(limit: 0.1).map(\.promise) == ["close"])
        #expect(diff.fails(failOn: .error, limit: 0.1))
    }

    @Test func markdownCellsEscapePipesAndLineBreaks() {
        #expect(DiffReporter.cell("a | b\nc") == "a \\| b c")
    }

    @Test func aDesignComparedWithItselfPasses() throws {
        let before = try checkSpec("Specs/changes/before/lean-inbound.stackup.yaml")
        let side = DesignDiff.Side(file: before.file, findings: before.findings, metrics: before.metrics)
        let diff = DesignDiff(base: [side], head: [side], headName: { $0 })
        #expect(DiffReporter.text(diff, gate: Self.gate).hasSuffix("\nPasses.\n"))
        #expect(!diff.fails(failOn: .note, limit: 0))
    }
}
