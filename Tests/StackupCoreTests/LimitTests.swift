import Foundation
import Testing
@testable import StackupCore
import StackupYAML

/// Every limit of `Limits.all`: parsed from `--limit`, hit with a located `over-limit`
/// finding, and did-you-mean hints bounded in work.
@Suite struct LimitTests {
    @Test func assignmentsAreParsedAndBadOnesExplained() {
        var limits = Limits.default
        #expect(limits.set("stages=50_000") == nil)
        #expect(limits.stages == 50_000)
        #expect(limits.set("stagez=5")?.contains("did you mean `stages`?") == true)
        #expect(limits.set("stages=0")?.contains("from 1 to") == true)
        #expect(limits.set("stages") != nil)
        #expect(limits.set("stages=-3") != nil)
        #expect(Limits.default.yaml == StackupYAML.YAMLLimits.default, "the YAML reader's defaults and the limits' must agree")
        #expect(Set(Limits.all.map(\.name)).count == Limits.all.count)
    }

    func overLimit(_ text: String, _ assignments: [String]) -> [String] {
        var limits = Limits.default
        for a in assignments { #expect(limits.set(a) == nil) }
        return Checker.check(text: text, options: CheckOptions(samples: 100, limits: limits)).findings
            .filter { $0.rule == "over-limit" }.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }

    static let design = """
    stackup: 1
    customer:
      attributes:
        a: {min: 0, max: 100}
        b: boolean
      committee: [buyer, champion]
      never_ask_twice: [pain, budget]
      max_loops: 3
      promises:
        p1: {to: won, p90: 10d}
        p2: {to: won, p90: 20d}
    entries:
      web: {to: sdr, rate: 10/week}
      list: {to: sdr, rate: 10/week}
    stages:
      sdr:
        captures: [pain, budget, timeline]
        routes:
          - to: ae
            when: {a: ">= 50"}
          - to: won
      ae:
        routes: [{to: won}]
      won: {outcome: won}
    """

    @Test func eachSizeLimitIsLocatedWhereItIsCrossed() {
        #expect(overLimit(Self.design, []).isEmpty)
        #expect(overLimit(Self.design, ["attributes=1"]) == ["5:5 the design has 2 customer attributes, over the limit of 1 (`attributes`); it was not analysed"])
        #expect(overLimit(Self.design, ["committee-roles=1"]).first?.hasPrefix("6:22 the design has 2 committee roles") == true)
        #expect(overLimit(Self.design, ["promises=1"]).first?.hasPrefix("11:5 the design has 2 promises") == true)
        #expect(overLimit(Self.design, ["entries=1"]).first?.hasPrefix("14:3 the design has more entries than the limit of 1") == true)
        #expect(overLimit(Self.design, ["stages=2"]).first?.hasPrefix("24:3 the design has more stages than the limit of 2") == true)
        #expect(overLimit(Self.design, ["routes-per-stage=1"]).first?.hasPrefix("21:9 the design has 2 routes in stage `sdr`") == true)
        #expect(overLimit(Self.design, ["fields=2"]).first?.hasPrefix("17:30 the design has 3 distinct fields, over the limit of 2") == true)
        // 3 stages × 4 layers = 12 unrolled nodes, located at `max_loops`.
        #expect(overLimit(Self.design, ["unrolled-nodes=11"]) == ["8:14 the design has 12 unrolled nodes (3 stages × 4 layers for `max_loops: 3`), over the limit of 11 (`unrolled-nodes`); it was not analysed"])
        #expect(overLimit(Self.design, ["unrolled-nodes=12"]).isEmpty)
    }

    @Test func aDesignOverALimitIsNotAnalysed() {
        var limits = Limits.default
        _ = limits.set("stages=2")
        let report = Checker.check(text: Self.design, options: CheckOptions(samples: 100, limits: limits))
        #expect(report.design == nil)
        #expect(report.findings.map(\.rule) == ["over-limit"])
    }

    @Test func findingsPastTheLimitOfAFileBecomeOneNote() {
        let many = "stackup: 1\nentries:\n  web: {to: a0, rate: 1/week}\nstages:\n" + (0..<20).map { "  a\($0): {routes: [{to: missing\($0)}]}\n" }.joined()
        var limits = Limits.default
        _ = limits.set("findings-per-file=5")
        let report = Checker.check(text: many, options: CheckOptions(samples: 100, limits: limits))
        #expect(report.findings.count == 6)
        let note = report.findings.first { $0.rule == "over-limit" }
        #expect(note?.severity == .note)
        let all = Checker.check(text: many, options: CheckOptions(samples: 100)).findings.count
        #expect(note?.message.hasPrefix("\(all - 5) more findings in this file are not shown") == true, "\(note?.message ?? "")")
    }

    @Test func includesBeyondTheLimitAreNotRead() {
        let provider = MemorySourceProvider([
            "/d/root.stackup.yaml": "stackup: 1\ninclude: [a.yaml, b.yaml, c.yaml]\nentries:\n  web: {to: won, rate: 1/week}\nstages:\n  won: {outcome: won}\n",
            "/d/a.yaml": "stages: {}\n", "/d/b.yaml": "stages: {}\n", "/d/c.yaml": "stages: {}\n",
        ])
        var limits = Limits.default
        _ = limits.set("included-files=2")
        let loaded = DesignLoader(provider: provider, limits: limits).load(displayPath: "/d/root.stackup.yaml", rootFolder: "/d")
        #expect(loaded.findings.map { "\($0.rule)@\($0.location.line):\($0.location.column)" } == ["over-limit@2:27"])
        #expect(loaded.sources.keys.sorted() == ["/d/a.yaml", "/d/b.yaml", "/d/root.stackup.yaml"])
    }

    /// Did-you-mean stops when its budget is spent: the work, and so the time, is linear in
    /// the number of unknown names however many candidates there are.
    @Test func didYouMeanWorkIsBounded() {
        let candidates = (0..<5_000).map { "stage_\($0)" }
        var work = 100_000
        #expect(DidYouMean.suggestion(for: "stage_4999x", among: candidates, work: &work) == nil, "the budget runs out before the answer is certain")
        #expect(work < 0)
        var plenty = 10_000_000
        #expect(DidYouMean.suggestion(for: "stage_4999x", among: candidates, work: &plenty) == "stage_4999")
        // Ties go to the name that sorts first, whatever the order given.
        #expect(DidYouMean.suggestion(for: "ab", among: ["ac", "aa"]) == "aa")
        #expect(DidYouMean.suggestion(for: "ab", among: ["aa", "ac"]) == "aa")
    }

    /// The brute-force reference: the closest candidate by the same distance, first by name.
    @Test func didYouMeanAgreesWithBruteForce() {
        var rng = Xoshiro256StarStar(seed: 7)
        let alphabet = Array("abcdé_")
        func word() -> String { String((0..<Int(rng.next() % 6 + 1)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
        for _ in 0..<300 {
            let candidates = (0..<12).map { _ in word() }
            let name = word()
            let a = Array(name.lowercased().unicodeScalars)
            let expected = candidates.compactMap { c -> (Int, String)? in
                let b = Array(c.lowercased().unicodeScalars)
                let d = DidYouMean.distance(a, b)
                return d <= max(1, min(a.count, b.count) / 3 + 1) ? (d, c) : nil
            }.min { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }?.1
            #expect(DidYouMean.suggestion(for: name, among: candidates) == expected, "\(name) among \(candidates)")
        }
    }
}
