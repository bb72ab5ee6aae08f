import Foundation
import Testing

/// Runs the built `stackup` binary as users and CI do, and checks exit codes and output.
@Suite struct CLITests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

    /// The `stackup` executable sits next to the test bundle in the build folder.
    static let binary: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("stackup")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/stackup")
    }()

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, shell: Bool = false, input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = shell ? URL(fileURLWithPath: "/bin/sh") : Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? Self.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["FORCE_COLOR"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdinPipe = Pipe()
        if input != nil { process.standardInput = stdinPipe }
        try process.run()
        if let input {
            stdinPipe.fileHandleForWriting.write(Data(input.utf8))
            try stdinPipe.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The assembly line holds a deliberate criteria gap, an error; the other examples hold
    /// warnings at most.
    @Test func examplesReportTheirDeliberateGap() throws {
        let r = try run(["check", "Specs/examples", "--color", "never"])
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stdout.contains("error[criteria-gap]"))
        let lean = try run(["check", "Specs/examples/lean-inbound.stackup.yaml"])
        #expect(lean.status == 0)
        #expect(lean.stdout.hasSuffix("No problems found in 1 file.\n"))
    }

    /// `stackup … | head`: the reader goes away; the run ends quietly (by SIGPIPE, as `cat`
    /// does), with no backtrace and nothing on standard error.
    @Test func aReaderThatGoesAwayEndsTheRunQuietly() throws {
        // Also with SIGPIPE ignored, as some CI runners start their jobs: then the write fails
        // with EPIPE instead, which must not become a trap either.
        for prefix in ["", "trap '' PIPE; "] {
            let script = prefix + "\"$0\" rules --format markdown | head -c 10 >/dev/null; \"$0\" explain criteria-gap | true"
            let r = try run(["-c", script, Self.binary.path], shell: true)
            #expect(r.status == 0)
            #expect(r.stderr.isEmpty, "\(prefix): \(r.stderr)")
        }
    }

    /// `stackup check -`, as editors call linters: the design from standard input, named and
    /// placed by `--stdin-filename`, its includes read from beside that name.
    @Test func aDesignFromStandardInput() throws {
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Specs/examples/assembly-line.stackup.yaml"), encoding: .utf8)
        let r = try run(["check", "-", "--stdin-filename", "Specs/examples/edited.stackup.yaml", "--format", "json"], input: text)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("\"file\" : \"Specs/examples/edited.stackup.yaml\""))
        #expect(r.stdout.contains("\"file\" : \"Specs/examples/teams/closing.yaml\""), "the include beside the name is read")
        let bad = try run(["check", "-", "Specs/examples"], input: "")
        #expect(bad.status == 2 && bad.stderr.contains("give no other paths with it"))
        let unnamed = try run(["check", "-", "--color", "never"], input: "stackup: 1\n")
        #expect(unnamed.stdout.contains("--> stdin.stackup.yaml:1:1"))
    }

    @Test func quietAndStatistics() throws {
        let quiet = try run(["check", "Specs/examples", "--quiet", "--color", "never"])
        #expect(quiet.status == 1 && !quiet.stdout.contains("Found ") && quiet.stdout.contains("error[criteria-gap]"))
        let stats = try run(["check", "Specs/examples/assembly-line.stackup.yaml", "--statistics", "--color", "never"])
        let lines = stats.stdout.split(separator: "\n")
        #expect(lines.first == "4  asked-twice         error", "\(stats.stdout)")
        #expect(lines.last?.hasPrefix("Found ") == true)
        #expect(!stats.stdout.contains("-->"))
        let mixed = try run(["check", "Specs/examples", "--statistics", "--format", "json"])
        #expect(mixed.status == 2)
    }

    @Test func theStepSummaryIsAppendedUnderGitHubActions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-summary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = folder.appendingPathComponent("summary.md")
        try "earlier step\n".write(to: summary, atomically: true, encoding: .utf8)
        let r = try run(["check", "Specs/examples/lean-inbound.stackup.yaml", "--format", "github"], environment: ["GITHUB_STEP_SUMMARY": summary.path])
        #expect(r.status == 0)
        let text = try String(contentsOf: summary, encoding: .utf8)
        #expect(text.hasPrefix("earlier step\n### Stackup\n"), "\(text)")
        #expect(text.contains("none at or above `--fail-on error`"))
    }

    @Test func invalidSpecsExitOne() throws {
        let r = try run(["check", "Specs/invalid", "--color", "never"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[invalid-yaml]"))
        #expect(r.stderr.isEmpty)
    }

    @Test func failOnLowersTheThreshold() throws {
        // missing-stage has one error and two warnings.
        #expect(try run(["check", "Specs/invalid/missing-stage.stackup.yaml", "--fail-on", "error"]).status == 1)
        // A design whose only finding is a warning: no stage owns the relationship.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let warningsOnly = folder.appendingPathComponent("w.stackup.yaml").path
        try "stackup: 1\nentries:\n  web: {to: sdr, rate: 1/day}\nstages:\n  sdr:\n    contact: true\n    routes:\n      - to: won\n  won: {outcome: won}\n"
            .write(toFile: warningsOnly, atomically: true, encoding: .utf8)
        #expect(try run(["check", warningsOnly]).status == 0)
        #expect(try run(["check", warningsOnly, "--fail-on", "warning"]).status == 1)
        #expect(try run(["check", warningsOnly, "--fail-on", "note"]).status == 1)
    }

    @Test func missingPathExitsTwoWithOneLine() throws {
        let r = try run(["check", "no/such/file.stackup.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr == "error: `no/such/file.stackup.yaml`: no such file or folder\n")
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [["check", "--bogus"], ["check", "--format", "xml", "Specs"], ["check", "--fail-on", "fatal"], ["frobnicate"], ["explain"]])
    func badOptionsExitTwoWithOneLine(arguments: [String]) throws {
        let r = try run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: "))
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    /// Plain mistakes get a line that says what to write instead.
    @Test(arguments: [
        (["check", "--format", "html", "Specs/examples"], "Please provide one of the following: text, json, sarif, junit, github, gitlab"),
        (["check", "--report", "pdf:x", "Specs/examples"], "`pdf` is not a report format; FORMAT in FORMAT:FILE is one of text, json, sarif, junit, github, gitlab"),
        (["check", "--report", "sarif", "Specs/examples"], "write FORMAT:FILE, such as `sarif:stackup.sarif`"),
        (["check", "--seed", "-1", "Specs/examples"], "--seed takes a whole number from 0 to 18446744073709551615"),
        (["simulate", "--seed", "-1", "Specs/examples/lean-inbound.stackup.yaml"], "--seed takes a whole number from 0 to 18446744073709551615"),
    ])
    func plainMistakesSayWhatToWrite(arguments: [String], expected: String) throws {
        let r = try run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    /// A run whose findings the baseline hides says so instead of "No problems found".
    @Test func theSummarySaysWhatTheBaselineHid() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-hidden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let design = Self.repositoryRoot.appendingPathComponent("Specs/invalid/missing-stage.stackup.yaml").path
        let baseline = folder.appendingPathComponent("baseline.json").path
        #expect(try run(["check", design, "--write-baseline", baseline]).status == 0)
        let r = try run(["check", design, "--baseline", baseline, "--color", "never"])
        #expect(r.status == 0)
        #expect(r.stdout == "No new problems shown in 1 file. (3 findings hidden by the baseline)\n", "\(r.stdout)")
    }

    @Test func simulateShowsEveryBudgetAndWhyCustomersDrop() throws {
        let r = try run(["simulate", "Specs/examples/assembly-line.stackup.yaml", "--customers", "20000"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("dropped 15% (no route matched 14%, loop limit 1%)"), "\(r.stdout)")
        #expect(r.stdout.contains("first-response         2.1 d   4.5 d   7.9 d    p90 4 h: 2% ✗, max 24 h: 22% ✗"), "\(r.stdout)")
    }

    @Test func explainUnknownRuleSuggests() throws {
        let r = try run(["explain", "dead-ned"])
        #expect(r.status == 2)
        #expect(r.stderr == "error: no rule `dead-ned`; did you mean `dead-end`?\n")
    }

    @Test func explainAndRules() throws {
        let explain = try run(["explain", "schema"])
        #expect(explain.status == 0)
        #expect(explain.stdout.hasPrefix("schema (default severity: error)"))
        let rules = try run(["rules"])
        #expect(rules.status == 0)
        #expect(rules.stdout.contains("dead-end "))
    }

    @Test func jsonToAFileIsDeterministic() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.json").path
        let b = folder.appendingPathComponent("b.json").path
        // The examples carry sampled figures, so this also pins the Monte Carlo.
        #expect(try run(["check", "Specs/examples", "--format", "json", "--output", a]).status == 1)
        #expect(try run(["check", "Specs/examples", "--format", "json", "--output", b, "--seed", "1"]).status == 1)
        let da = try Data(contentsOf: URL(fileURLWithPath: a))
        #expect(da == (try Data(contentsOf: URL(fileURLWithPath: b))))
        let object = try JSONSerialization.jsonObject(with: da) as? [String: Any]
        #expect((object?["summary"] as? [String: Int])?["files"] == 3)
        let promises = (object?["metrics"] as? [String: Any])?["promises"] as? [String: Any]
        #expect(promises?.keys.contains("qualified-to-proposal") == true)
        let c = folder.appendingPathComponent("c.json").path
        #expect(try run(["check", "Specs/examples", "--format", "json", "--output", c, "--seed", "2"]).status == 1)
        #expect(da != (try Data(contentsOf: URL(fileURLWithPath: c))))
    }

    @Test func colourFollowsFlagThenEnvironment() throws {
        let file = "Specs/invalid/unknown-key.stackup.yaml"
        #expect(try run(["check", file]).stdout.contains("\u{1B}[") == false)
        #expect(try run(["check", file, "--color", "always"]).stdout.contains("\u{1B}["))
        #expect(try run(["check", file], environment: ["FORCE_COLOR": "1"]).stdout.contains("\u{1B}["))
        #expect(try run(["check", file, "--color", "always"], environment: ["NO_COLOR": "1"]).stdout.contains("\u{1B}["))
        #expect(try run(["check", file], environment: ["NO_COLOR": "1", "FORCE_COLOR": "1"]).stdout.contains("\u{1B}[") == false)
    }

    @Test func folderWithoutDesignsExitsTwo() throws {
        let r = try run(["check", "docs"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("holds no *.stackup.yaml"))
    }

    @Test func simulateReportsJSONVersionOne() throws {
        let r = try run(["simulate", "Specs/examples/lean-inbound.stackup.yaml", "--customers", "3000", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["customers"] as? Int == 3000)
        #expect(object["partial"] as? Bool == false)
        for key in ["promises", "outcomes", "stages", "handoffs", "seed"] { #expect(object[key] != nil, "missing \(key)") }
        let rep = try #require((object["stages"] as? [String: Any])?["rep"] as? [String: Any])
        for key in ["arrivals_per_week", "utilization", "mean_wait_hours", "p90_wait_hours", "mean_queue_length", "max_queue_length"] {
            #expect(rep[key] != nil, "missing stages.rep.\(key)")
        }
        let again = try run(["simulate", "Specs/examples/lean-inbound.stackup.yaml", "--customers", "3000", "--format", "json"])
        #expect(again.stdout == r.stdout)
        // Not a terminal: no progress bar on standard error.
        #expect(r.stderr.isEmpty)
    }

    @Test func simulateRejectsBadInput() throws {
        #expect(try run(["simulate", "nope.stackup.yaml"]).status == 2)
        #expect(try run(["simulate", "Specs/invalid/unparseable.stackup.yaml"]).status == 2)
        #expect(try run(["simulate", "Specs/examples/lean-inbound.stackup.yaml", "--customers", "0"]).status == 2)
    }

    @Test func reportsWriteSeveralFormatsInOneRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sarif = folder.appendingPathComponent("out.sarif").path, junit = folder.appendingPathComponent("out.xml").path
        let r = try run(["check", "Specs/invalid/missing-stage.stackup.yaml", "--color", "never", "--report", "sarif:\(sarif)", "--report", "junit:\(junit)"])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("error[unknown-reference]"))
        #expect(try String(contentsOfFile: sarif, encoding: .utf8).contains("\"version\" : \"2.1.0\""))
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("<testsuites name=\"stackup\""))
        #expect(try run(["check", "Specs/examples", "--report", "xml:\(junit)"]).status == 2)
    }

    @Test func githubActionsGetsAnnotationsAndText() throws {
        let r = try run(["check", "Specs/invalid/unknown-key.stackup.yaml", "--color", "never"], environment: ["GITHUB_ACTIONS": "true"])
        #expect(r.stdout.hasPrefix("::error file=Specs/invalid/unknown-key.stackup.yaml,line=10,endLine=10,col=5,endColumn=11,title=stackup schema::"))
        #expect(r.stdout.contains("\nerror[schema]: unknown key `acepts`"))
        let explicit = try run(["check", "Specs/invalid/unknown-key.stackup.yaml", "--format", "json"], environment: ["GITHUB_ACTIONS": "true"])
        #expect(explicit.stdout.hasPrefix("{"))
    }

    /// A scratch project: a git repository (so that discovery stops in it) holding the lean
    /// example, with `.stackup.yml` files where a test puts them.
    func project(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let lean = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Specs/examples/lean-inbound.stackup.yaml"), encoding: .utf8)
        for (name, text) in ["Specs/lean.stackup.yaml": lean, "Specs/legacy/old.stackup.yaml": "stackup: 1\nnot: valid\n"].merging(files, uniquingKeysWith: { $1 }) {
            let file = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func configurationIsFoundUpwardAndApplied() throws {
        let folder = try project([".stackup.yml": "exclude: [legacy]\nrules:\n  promise-at-risk: off\nfail-on: note\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        // From a subfolder: the configuration above it applies, and the broken legacy design is excluded.
        let r = try run(["check", ".", "--color", "never"], in: folder.appendingPathComponent("Specs"))
        #expect(r.stdout.hasSuffix("No problems found in 1 file.\n"), "\(r.stdout)")
        #expect(r.status == 0)
        // Without it, the legacy design is checked.
        let bare = try run(["check", "Specs", "--color", "never", "--config", folder.appendingPathComponent("Specs/lean.stackup.yaml").path], in: folder)
        #expect(bare.status == 2, "a design is not a configuration")
        #expect(bare.stderr.contains("lean.stackup.yaml:5:1: unknown key `stackup` in the configuration"), "\(bare.stderr)")
    }

    @Test func badConfigurationExitsTwoWithLocatedMessages() throws {
        let folder = try project([".stackup.yml": "rules:\n  criteria-gapp: warning\nfail-on: sometimes\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try run(["check", "Specs"], in: folder)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == """
        error: .stackup.yml:2:3: unknown rule `criteria-gapp`; did you mean `criteria-gap`?
        error: .stackup.yml:3:10: `fail-on` must be one of `error`, `warning`, `note`, not `sometimes`
        stackup: the configuration has 2 problems; nothing was checked

        """)
        let missing = try run(["check", "Specs", "--config", "nope.yml"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: configuration `nope.yml`: no such file\n")
    }

    @Test func flagsOverrideTheConfiguration() throws {
        // A suppression without a reason (a warning) that suppresses nothing (a note).
        let lean = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Specs/examples/lean-inbound.stackup.yaml"), encoding: .utf8)
        let folder = try project([".stackup.yml": "fail-on: note\nexclude: [legacy]\n",
                                  "Specs/lean.stackup.yaml": lean + "# stackup: ignore-file[criteria-gap]\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let noted = try run(["check", "Specs", "--color", "never"], in: folder)
        #expect(noted.status == 1)
        #expect(noted.stdout.hasSuffix("Found 0 errors, 1 warning and 1 note in 1 file.\n"), "\(noted.stdout)")
        #expect(try run(["check", "Specs", "--fail-on", "error"], in: folder).status == 0, "the flag wins")
        try "fail-on: warning\nexclude: [legacy]\nrules: {unused-suppression: off, invalid-suppression: note}\n"
            .write(to: folder.appendingPathComponent(".stackup.yml"), atomically: true, encoding: .utf8)
        let lowered = try run(["check", "Specs", "--color", "never"], in: folder)
        #expect(lowered.status == 0)
        #expect(lowered.stdout.hasPrefix("note[invalid-suppression]: this suppression gives no reason"), "\(lowered.stdout)")
        #expect(lowered.stdout.hasSuffix("Found 0 errors, 0 warnings and 1 note in 1 file.\n"))
    }

    /// The scripted scenario: diff exits 1 naming the new finding and the p90 delta; a
    /// baseline written from the new version makes check pass; a fix fails --strict-baseline.
    @Test func diffAndBaselineScenario() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repositoryRoot.appendingPathComponent("Scripts/check-diff-baseline.sh").path, Self.binary.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.hasSuffix("diff/baseline: 0 failed\n"))
    }
}
