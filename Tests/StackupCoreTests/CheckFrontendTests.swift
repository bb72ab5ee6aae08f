import Testing
@testable import StackupCore

/// The frontend the CLI's `check` calls: every file with its own options, merged in report
/// order, then held against a baseline.
@Suite struct CheckFrontendTests {
    static let gap = """
    stackup: 1
    customer:
      attributes:
        fit: boolean
    entries:
      web: {to: sdr, rate: 10/week}
    stages:
      sdr:
        owns_relationship: true
        routes:
          - to: won
            when: {fit: true}
      won: {outcome: won}
    """
    static let clean = gap.replacingOccurrences(of: "        when: {fit: true}\n", with: "")

    func plan(_ names: [String], rules: [String: RuleLevel] = [:]) -> [CheckFrontend.File] {
        names.map { CheckFrontend.File(path: "/repo/\($0)", displayName: $0, options: CheckOptions(samples: 100, rules: rules), rootFolder: "/repo") }
    }

    @Test func mergesFilesInReportOrderWithEachFilesOptions() {
        let provider = MemorySourceProvider(["/repo/b.stackup.yaml": Self.gap, "/repo/a.stackup.yaml": Self.gap])
        let result = CheckFrontend.run(plan(["b.stackup.yaml", "a.stackup.yaml"]), provider: provider)
        #expect(result.findings.map { "\($0.rule)@\($0.location)" } == ["criteria-gap@a.stackup.yaml:10:5", "criteria-gap@b.stackup.yaml:10:5"])
        #expect(result.metrics.map(\.file) == ["b.stackup.yaml", "a.stackup.yaml"])
        #expect(Set(result.sources.keys) == ["a.stackup.yaml", "b.stackup.yaml"])
        // A file's own options: the rule off for one file only.
        let off = plan(["a.stackup.yaml"], rules: ["criteria-gap": .off]) + plan(["b.stackup.yaml"])
        #expect(CheckFrontend.run(off, provider: provider).findings.map(\.location.file) == ["b.stackup.yaml"])
    }

    @Test func theBaselineHoldsKnownFindingsAndNamesStaleEntries() {
        let before = MemorySourceProvider(["/repo/a.stackup.yaml": Self.gap, "/repo/b.stackup.yaml": Self.gap])
        let recorded = CheckFrontend.run(plan(["a.stackup.yaml", "b.stackup.yaml"]), provider: before)
        let baseline = CheckFrontend.BaselineInput(Baseline(findings: recorded.findings, folder: "/repo", displayBase: "/repo"), name: "base.yml")
        // b is fixed; a still has its gap; c was not read, so its entries (none here) are not judged.
        let after = MemorySourceProvider(["/repo/a.stackup.yaml": Self.gap, "/repo/b.stackup.yaml": Self.clean])
        let result = CheckFrontend.run(plan(["a.stackup.yaml", "b.stackup.yaml"]), provider: after, baseline: baseline)
        #expect(result.findings.isEmpty)
        #expect(result.heldByBaseline == 1)
        #expect(result.staleBaselineEntries.map(\.key.file) == ["b.stackup.yaml"])
        #expect(result.suppressed.map { "\($0.kind):\($0.finding.location.file)" } == ["external:a.stackup.yaml"])
        // Only a.stackup.yaml read: b's entry is not judged stale.
        let one = CheckFrontend.run(plan(["a.stackup.yaml"]), provider: after, baseline: baseline)
        #expect(one.staleBaselineEntries.isEmpty)
    }
}
