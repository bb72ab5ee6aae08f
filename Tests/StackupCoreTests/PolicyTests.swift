import Foundation
import Testing
@testable import StackupCore
import StackupYAML

/// Configuration, suppressions, baselines and diffs: what decides whether CI fails.
@Suite struct PolicyTests {
    // MARK: Glob

    @Test func globMatchesLikeGitignore() throws {
        let cases: [(String, String, Bool)] = [
            ("*.stackup.yaml", "a.stackup.yaml", true),
            ("*.stackup.yaml", "deep/down/a.stackup.yaml", true),  // no slash: any folder
            ("Specs/*.yaml", "Specs/a.yaml", true),
            ("Specs/*.yaml", "Specs/x/a.yaml", false),
            ("Specs/**", "Specs/x/y/a.yaml", true),
            ("Specs/**/a.yaml", "Specs/a.yaml", true),
            ("Specs/**/a.yaml", "Specs/x/y/a.yaml", true),
            ("Specs/**/a.yaml", "Specsx/a.yaml", false),
            ("legacy", "Specs/legacy/a.yaml", true),  // a folder's name excludes what is below it
            ("Specs/legacy", "Specs/legacy/a.yaml", true),
            ("Specs/legacy", "Other/Specs/legacy/a.yaml", false),
            ("/Specs/legacy/", "Specs/legacy/a.yaml", true),
            ("v[0-9].yaml", "v7.yaml", true),
            ("v[!0-9].yaml", "v7.yaml", false),
            ("v?.yaml", "v/.yaml", false),
            ("a\\*b", "a*b", true),
            ("a\\*b", "axb", false),
        ]
        for (pattern, path, expected) in cases {
            #expect(try Glob(pattern).matches(path) == expected, "\(pattern) vs \(path)")
        }
        #expect(throws: Glob.SyntaxError.self) { try Glob("[ab") }
        #expect(throws: Glob.SyntaxError.self) { try Glob("[z-a]") }
        #expect(throws: Glob.SyntaxError.self) { try Glob("") }
    }

    /// The dynamic programme against a backtracking matcher written from the definition, on
    /// random patterns and paths over a small alphabet.
    @Test func globAgreesWithBacktrackingOnRandomCases() throws {
        var rng = Xoshiro256StarStar(seed: 42)
        let pieces = ["a", "b", "/", "*", "**", "**/", "?", "[ab]", "[!a]"]
        let letters: [Character] = ["a", "b", "/"]
        var compared = 0
        for _ in 0..<3000 {
            let pattern = (0..<Int(rng.next() % 5 + 1)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            guard !pattern.hasPrefix("/"), !pattern.hasSuffix("/"), let glob = try? Glob(pattern) else { continue }
            for _ in 0..<10 {
                let path = String((0..<Int(rng.next() % 6)).map { _ in letters[Int(rng.next() % 3)] })
                let tokens = glob.tokens
                #expect(glob.whole(Array(path.unicodeScalars)[...]) == Self.backtrack(tokens[...], Array(path.unicodeScalars)[...]),
                        "\(pattern) vs \(path)")
                compared += 1
            }
        }
        #expect(compared > 10_000)
    }

    static func backtrack(_ t: ArraySlice<Glob.Token>, _ s: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = t.first else { return s.isEmpty }
        let rest = t.dropFirst()
        switch first {
        case .literal(let c): return s.first == c && backtrack(rest, s.dropFirst())
        case .one: return s.first.map { $0 != "/" } == true && backtrack(rest, s.dropFirst())
        case .set(let ranges, let negated):
            guard let c = s.first, c != "/" else { return false }
            return (ranges.contains { $0.contains(c) } != negated) && backtrack(rest, s.dropFirst())
        case .star:
            for k in 0...s.count {
                if s.prefix(k).contains("/") { break }
                if backtrack(rest, s.dropFirst(k)) { return true }
            }
            return false
        case .globstar:
            return (0...s.count).contains { backtrack(rest, s.dropFirst($0)) }
        case .folders:
            if backtrack(rest, s) { return true }
            return (1...max(1, s.count)).contains { k in k <= s.count && s[s.startIndex + k - 1] == "/" && backtrack(rest, s.dropFirst(k)) }
        }
    }

    // MARK: Configuration

    func parse(_ text: String) -> Result<Configuration, Configuration.Problems> {
        Configuration.parse(Array(text.utf8), file: ".stackup.yml", folder: "/repo")
    }

    /// A `.stackup.yml` may come from a pull request: its `root` may narrow the include root
    /// but never lead out of the folder that holds it.
    @Test func aConfigurationRootCannotLeaveItsFolder() throws {
        for escaping in ["../../../../../../../..", "/", "/etc", "Specs/../..", "../repo-other"] {
            guard case .failure(let problems) = parse("root: \(escaping)\n") else {
                Issue.record("`root: \(escaping)` was accepted")
                continue
            }
            #expect(problems.lines.first?.hasPrefix(".stackup.yml:1:7: `root` must name a folder inside the one that holds this file") == true, "\(problems.lines)")
        }
        #expect(try parse("root: Specs/../Specs/teams\n").get().root == "/repo/Specs/teams")
        #expect(try parse("root: .\n").get().root == "/repo")
    }

    /// `extends` and `overrides`: a shared policy with per-folder levels.
    @Test func overridesAndExtendsMergeRuleByRule() throws {
        let base = try Configuration.parse(Array("fail-on: warning\nrules:\n  committee-gap: off\n  dead-end: warning\nexclude: [\"old/**\"]\n".utf8),
                                           file: "policy/base.yml", folder: "/repo/policy").get()
        let top = try parse("""
        extends: policy/base.yml
        rules:
          dead-end: note
        overrides:
          - files: ["teams/emea/**"]
            rules:
              dead-end: error
              handoff-bounce: off
        """).get()
        #expect(top.extends == "/repo/policy/base.yml")
        #expect(top.extendsLocation?.line == 1 && top.extendsLocation?.column == 10)
        let merged = top.merged(over: base)
        #expect(merged.failOn == .warning)
        #expect(merged.rules == ["committee-gap": .off, "dead-end": .on(.note)])
        #expect(merged.rules(for: "/repo/teams/emea/a.stackup.yaml") == ["committee-gap": .off, "dead-end": .on(.error), "handoff-bounce": .off])
        #expect(merged.rules(for: "/repo/teams/a.stackup.yaml") == merged.rules)
        #expect(merged.excludes("/repo/policy/old/x.stackup.yaml"), "the base's patterns stay relative to the base's folder")
        #expect(!merged.excludes("/repo/old/x.stackup.yaml"))
        guard case .failure(let problems) = parse("overrides:\n  - files: [a]\n    rules: {schema: off}\n") else {
            Issue.record("a loading rule was turned off in an override")
            return
        }
        #expect(problems.lines.first?.contains("`schema` cannot be turned off") == true)
    }

    @Test func configurationReadsEveryKey() throws {
        let c = try parse("""
        rules:
          criteria-gap: warning
          too-many-handoffs: off
        fail-on: note
        root: Specs
        samples: 5000
        seed: 7
        exclude: ["Specs/legacy/**", "*.draft.stackup.yaml"]
        """).get()
        #expect(c.rules == ["criteria-gap": .on(.warning), "too-many-handoffs": .off])
        #expect(c.failOn == .note)
        #expect(c.root == "/repo/Specs")
        #expect(c.samples == 5000)
        #expect(c.seed == 7)
        #expect(c.excludes("/repo/Specs/legacy/old.stackup.yaml"))
        #expect(c.excludes("/repo/x/y.draft.stackup.yaml"))
        #expect(!c.excludes("/repo/Specs/new.stackup.yaml"))
        #expect(!c.excludes("/elsewhere/Specs/legacy/old.stackup.yaml"))
        #expect(try parse("").get() == Configuration(file: ".stackup.yml", folder: "/repo"))
    }

    @Test func everyConfigurationProblemIsLocated() throws {
        let result = parse("""
        rules:
          too-many-handofs: off
          schema: off
          criteria-gap: loud
        fail_on: note
        samples: 0
        exclude: ["[a"]
        """)
        guard case .failure(let problems) = result else { Issue.record("accepted a bad configuration"); return }
        #expect(problems.lines == [
            ".stackup.yml:2:3: unknown rule `too-many-handofs`; did you mean `too-many-handoffs`?",
            ".stackup.yml:3:11: `schema` cannot be turned off: without it a broken design would look clean; give it a severity instead",
            ".stackup.yml:4:17: the level of `criteria-gap` must be one of `error`, `warning`, `note`, `off`, not `loud`",
            ".stackup.yml:5:1: unknown key `fail_on` in the configuration; did you mean `fail-on`?",
            ".stackup.yml:6:10: `samples` `0` is out of range (1 to 10000000)",
            ".stackup.yml:7:11: bad pattern in `exclude`: `[` in `[a` is never closed",
        ])
        guard case .failure(let yaml) = parse("rules: [unclosed") else { Issue.record("accepted bad YAML"); return }
        #expect(yaml.lines == [".stackup.yml:1:1: YAML syntax error: did not find expected ',' or ']'"])
    }

    @Test func discoveryStopsAtTheRepositoryRoot() {
        let present: Set<String> = ["/home/u/repo/.git", "/home/u/.stackup.yml", "/home/u/repo/a/.stackup.yml"]
        let exists = { (p: String) in present.contains(p) }
        #expect(Configuration.discover(from: "/home/u/repo/a/b/c", exists: exists) == "/home/u/repo/a/.stackup.yml")
        #expect(Configuration.discover(from: "/home/u/repo/z", exists: exists) == nil)
        #expect(Configuration.discover(from: "/home/u/other", exists: exists) == "/home/u/.stackup.yml")
        #expect(Configuration.discover(from: "/tmp", exists: exists) == nil)
    }

    @Test func configuredLevelsChangeSeverityOrDropTheRule() throws {
        let text = TooManyHandoffsRule.description.failingExample
        #expect(Checker.check(text: text).findings.contains { $0.rule == "too-many-handoffs" && $0.severity == .error })
        let lowered = Checker.check(text: text, options: CheckOptions(rules: ["too-many-handoffs": .on(.note)]))
        #expect(lowered.findings.filter { $0.rule == "too-many-handoffs" }.map(\.severity) == [.note])
        let off = Checker.check(text: text, options: CheckOptions(rules: ["too-many-handoffs": .off]))
        #expect(!off.findings.contains { $0.rule == "too-many-handoffs" })
    }

    // MARK: Suppressions

    static let handoffs = TooManyHandoffsRule.description.failingExample
        .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("^") }.joined(separator: "\n")

    /// The design with `comment` spliced in before line `line` (1-based), or appended to it.
    func withComment(_ comment: String, before line: Int? = nil, after trailing: Int? = nil) -> String {
        var lines = Self.handoffs.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let line { lines.insert(comment, at: line - 1) }
        if let trailing { lines[trailing - 1] += " " + comment }
        return lines.joined(separator: "\n")
    }

    @Test func suppressionOnTheLineOrTheLineAboveHidesTheFinding() throws {
        // too-many-handoffs is reported at `closer:` on line 16.
        let plain = Checker.check(text: Self.handoffs)
        #expect(positions(plain, only: ["too-many-handoffs"]) == ["too-many-handoffs@16:3"])
        let trailing = Checker.check(text: withComment("# stackup: ignore[too-many-handoffs] agreed with sales ops", after: 16))
        #expect(positions(trailing, only: ["too-many-handoffs", "unused-suppression", "invalid-suppression"]) == [])
        #expect(trailing.suppressed == 1)
        let above = Checker.check(text: withComment("  # stackup: ignore[too-many-handoffs] agreed", before: 16))
        #expect(positions(above, only: ["too-many-handoffs", "unused-suppression", "invalid-suppression"]) == [])
        // Two lines above is too far: the finding stays and the suppression is unused.
        let far = Checker.check(text: withComment("  # stackup: ignore[too-many-handoffs] agreed", before: 15))
        #expect(positions(far, only: ["too-many-handoffs", "unused-suppression"]) == ["unused-suppression@15:21", "too-many-handoffs@17:3"])
        let file = Checker.check(text: withComment("# stackup: ignore-file[too-many-handoffs] agreed", before: 1))
        #expect(positions(file, only: ["too-many-handoffs", "unused-suppression"]) == [])
    }

    @Test func malformedSuppressionsAreReportedWhereTheyAre() throws {
        let text = withComment("# stackup: ignore[too-many-handoffs, critera-gap, unused-suppression]", after: 16)
            + "\n# stackup: ignor[x] typo\n# stackup: ignore-file too-many-handoffs\n# stackup: ignore[ ] r\n# stackup: ignore[,] r"
        let report = Checker.check(text: text)
        let got = report.findings.filter { $0.rule == "invalid-suppression" }.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(got == [
            "16:11 this suppression gives no reason",
            "16:48 unknown rule `critera-gap`; did you mean `criteria-gap`?",
            "16:61 `unused-suppression` cannot be suppressed by a comment; set it in `.stackup.yml`",
            "21:12 `ignor` is not a suppression; write `# stackup: ignore[rule-id] reason` or `# stackup: ignore-file[rule-id] reason`; did you mean `ignore`?",
            "22:12 `ignore-file` needs the rule ids in brackets, e.g. `# stackup: ignore-file[criteria-gap] reason`",
            "23:18 `ignore[…]` names no rule",
            "24:19 empty rule id in `ignore[…]`",
            "24:20 empty rule id in `ignore[…]`",
        ])
        // The valid id still applies, without a reason.
        #expect(!report.findings.contains { $0.rule == "too-many-handoffs" })
    }

    @Test func commentMarkersInsideQuotedScalarsAreNotSuppressions() throws {
        let text = Self.handoffs.replacingOccurrences(of: "stackup: 1", with: "stackup: 1\nname: \"x # stackup: ignore-file[too-many-handoffs] no\"")
        let report = Checker.check(text: text)
        #expect(report.findings.contains { $0.rule == "too-many-handoffs" })
        #expect(!report.findings.contains { $0.rule.hasSuffix("-suppression") })
    }

    @Test func aRuleTurnedOffMakesItsSuppressionUnused() throws {
        let text = withComment("# stackup: ignore[too-many-handoffs] agreed", after: 16)
        let report = Checker.check(text: text, options: CheckOptions(rules: ["too-many-handoffs": .off]))
        #expect(positions(report, only: ["too-many-handoffs", "unused-suppression"]) == ["unused-suppression@16:29"])
    }

    // MARK: Baselines and keys

    func finding(_ rule: String = "criteria-gap", file: String = "Specs/a.stackup.yaml", line: Int = 3, stage: String? = "sdr",
                 path: [String]? = ["web", "sdr"], message: String = "customers with 12.5 seats reach nobody", severity: Severity = .error) -> Finding {
        Finding(rule: rule, severity: severity, message: message,
                location: Location(file: file, span: Span(at: SourcePosition(line: line, column: 1, offset: 0))), stage: stage,
                journey: path?.map { JourneyStep(name: $0, location: Location(file: file, span: Span(at: .start)), kind: .stage) })
    }

    @Test func keysIgnoreLinesAndFiguresButNotWords() {
        let a = FindingKey(finding(line: 3), file: "a")
        #expect(a == FindingKey(finding(line: 40, message: "customers with 7 seats reach nobody"), file: "a"))
        #expect(a != FindingKey(finding(message: "customers with 12.5 seats reach somebody"), file: "a"))
        #expect(a != FindingKey(finding(stage: "ae"), file: "a"))
        #expect(a != FindingKey(finding(path: ["web", "ae", "sdr"]), file: "a"))
        #expect(FindingKey.figureless("waits 7.9 h, then 10 h; 1,200 of them. Done.") == "waits # h, then # h; # of them. Done.")
        var subject = finding(message: "p90 is 3 d; largest parts: rep 40%, ae 30%")
        subject.subject = "promise `close`"
        var other = finding(message: "p50 is 2 d; largest parts: ae 50%, rep 30%")
        other.subject = "promise `close`"
        #expect(FindingKey(subject, file: "a") == FindingKey(other, file: "a"))
    }

    @Test func baselineRoundTripsAndMatchesEachEntryOnce() throws {
        let folder = PathUtilities.currentDirectory()
        let findings = [finding(), finding(line: 9), finding("dead-end", stage: nil, path: nil, message: "a \"quoted\" \\ name\u{1}")]
        let written = Baseline(findings: findings, folder: folder)
        let text = written.encoded()
        let read = try Baseline.parse(Array(text.utf8), file: "b.json", folder: folder).get()
        #expect(read.entries.map(\.key) == written.entries.map(\.key))
        #expect(read.entries.map(\.message) == written.entries.map(\.message))
        // JSON, too: the file is for tools as well as people.
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil)

        // Two identical findings were recorded; a third is new.
        let applied = read.apply(to: findings + [finding(line: 20)])
        #expect(applied.known == 3)
        #expect(applied.new.map(\.location.line) == [20])
        #expect(applied.fixed.isEmpty)
        let fixed = read.apply(to: [finding()])
        #expect(fixed.fixed.map(\.key.rule).sorted() == ["criteria-gap", "dead-end"])
        // Equal entries are used last first, so the first of the two is left over.
        #expect(fixed.fixed.compactMap(\.location?.line).sorted() == [5, 7])
        #expect(Baseline.relativePath("/a/b/c.yaml", from: "/a/x") == "../b/c.yaml")
    }

    @Test func badBaselinesAreLocated() {
        let bad = Baseline.parse(Array("{\"version\": 2, \"findings\": [{\"rule\": \"x\"}]}".utf8), file: "b.json", folder: "/")
        guard case .failure(let problems) = bad else { Issue.record("accepted a bad baseline"); return }
        #expect(problems.lines == [
            "b.json:1:13: baseline version 2 is not supported; this Stackup reads version 1",
            "b.json:1:29: a baseline entry is missing the required key `file`",
            "b.json:1:29: a baseline entry is missing the required key `signature`",
        ])
        // Duplicate keys are problems in a baseline as in a configuration: the same reader.
        let duplicated = Baseline.parse(Array("{\"version\": 1, \"version\": 1, \"findings\": []}".utf8), file: "b.json", folder: "/")
        guard case .failure(let twice) = duplicated else { Issue.record("accepted a duplicate key"); return }
        #expect(twice.lines == ["b.json:1:16: duplicate key `version` in this map"])
    }

    // MARK: Diff

    func metrics(p90 minutes: Double?, utilization: Double? = nil) -> DesignMetrics {
        var m = DesignMetrics()
        let stats = minutes.map {
            PromiseStatistics(reached: 100, population: 100, dropped: 0, unreached: 0,
                              quantiles: ["p90": Estimate(value: $0, low: $0, high: $0)], pMeet: [:], tailShares: [:])
        }
        m.promises = [PromiseMetrics(name: "close", worstCaseMinutes: 100, statistics: stats, budgets: [], contributions: [], samples: 100, assumedShapes: [])]
        return m
    }

    @Test func diffSortsFindingsAndGatesOnNewErrorsAndP90() {
        let base = [DesignDiff.Side(file: "h/a.stackup.yaml", findings: [finding(file: "b/a.stackup.yaml"), finding("dead-end", file: "b/a.stackup.yaml", message: "gone")],
                                    metrics: metrics(p90: 1000))]
        let head = [DesignDiff.Side(file: "h/a.stackup.yaml", findings: [finding(file: "h/a.stackup.yaml", line: 7), finding("shadowed-route", file: "h/a.stackup.yaml", severity: .warning)],
                                    metrics: metrics(p90: 1099))]
        let diff = DesignDiff(base: base, head: head, headName: { $0.replacingOccurrences(of: "b/", with: "h/") })
        #expect(diff.unchanged.map(\.rule) == ["criteria-gap"])
        #expect(diff.introduced.map(\.rule) == ["shadowed-route"])
        #expect(diff.resolved.map(\.rule) == ["dead-end"])
        #expect(diff.comparedFiles == 1)
        let change = try? #require(diff.promises.first?.p90Change)
        #expect(abs((change ?? 0) - 0.099) < 1e-12)
        #expect(!diff.fails(failOn: .error, limit: 0.1))
        #expect(diff.fails(failOn: .warning, limit: 0.1))
        #expect(diff.fails(failOn: .error, limit: 0.05))
    }
}
