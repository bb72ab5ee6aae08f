import Foundation
import Testing

/// Runs every case of `Hostile/cases.txt` through the built binary, as a pull request would
/// reach it in CI: under a time limit and a 512 MB address-space limit (`ulimit -v`). Each case
/// names its expected outcome; no case may end by a signal other than SIGPIPE.
///
/// A line of `cases.txt` is `name | setup | arguments | expected`:
/// - setup: `-`, or steps separated by `;`: `fifo PATH`, `link PATH TARGET`, `gen KIND PATH`,
///   `git` (a repository holding every file, committed), `stdout-closed`, `stdout-full`;
/// - arguments: as typed after `stackup`, run in a copy of the corpus folder; `"…"` groups;
/// - expected: `findings: RULE@LINE:COL, …` (exactly these, from `--format json`; a finding in
///   another file is `RULE@FILE:LINE:COL`), `findings: none`, or `exit N` with an optional
///   `: fragment` that standard error must contain.
@Suite struct HostileCorpusTests {
    static let corpus = CLITests.repositoryRoot.appendingPathComponent("Tests/StackupCLITests/Hostile")

    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let setup: [[String]]
        let arguments: [String]
        let expected: String
        var description: String { name }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: corpus.appendingPathComponent("cases.txt"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Case? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let parts = trimmed.components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 4 else { return Case(name: "malformed: \(trimmed)", setup: [], arguments: [], expected: "") }
            let setup = parts[1] == "-" ? [] : parts[1].components(separatedBy: ";").map { words($0) }
            return Case(name: parts[0], setup: setup, arguments: words(parts[2]), expected: parts[3])
        }
    }()

    /// Splits on spaces, keeping `"…"` together.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var any = false
        for c in text {
            if c == "\"" { quoted.toggle(); any = true; continue }
            if c == " " && !quoted {
                if any || !current.isEmpty { out.append(current) }
                current = ""
                any = false
                continue
            }
            current.append(c)
        }
        if any || !current.isEmpty { out.append(current) }
        return out
    }

    /// Under AddressSanitizer the address-space limit cannot hold (its shadow memory alone
    /// reserves terabytes), and everything runs several times slower.
    static let sanitized = ProcessInfo.processInfo.environment["STACKUP_SANITIZED"] == "1"
    /// `STACKUP_BINARY` names the binary to run; `.ci/run` points it at the release build, which
    /// is what CI users run and what the 5-second limit is for. A debug build is about ten
    /// times slower, so it gets 20 seconds; under AddressSanitizer, 60.
    static let binary = ProcessInfo.processInfo.environment["STACKUP_BINARY"].map { URL(fileURLWithPath: $0) } ?? CLITests.binary
    static let seconds: Double = sanitized ? 60 : binary.path.contains("/debug/") ? 20 : 5
    static let addressSpaceKB = 512 * 1024

    @Test func theCorpusIsLargeAndEveryFileHasACase() throws {
        #expect(Self.cases.count >= 80, "only \(Self.cases.count) cases")
        #expect(!Self.cases.contains { $0.name.hasPrefix("malformed") }, "\(Self.cases.filter { $0.name.hasPrefix("malformed") })")
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "case names repeat")
        // Every committed design is exercised by some case.
        let named = Set(Self.cases.flatMap { $0.arguments + $0.setup.flatMap { $0 } })
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".stackup.yaml") }
        let unused = files.filter { !named.contains($0) }
        #expect(unused.isEmpty, "files no case runs: \(unused.sorted())")
    }

    @Test(arguments: cases)
    func hostileInputHasItsExpectedOutcome(_ c: Case) throws {
        let work = try Self.prepare(c)
        defer { try? FileManager.default.removeItem(at: work) }
        let expectsFindings = c.expected.hasPrefix("findings:")
        let run = try Self.run(c.arguments, in: work, setup: c.setup)
        let context = "\(c.name): \(c.arguments.joined(separator: " ")) → \(run.summary)\n\(run.stderr.prefix(600))"
        #expect(!run.timedOut, "timed out after \(Self.seconds) s: \(context)")
        #expect(run.signal == nil || run.signal == SIGPIPE, "killed by signal \(run.signal ?? 0): \(context)")
        if expectsFindings {
            #expect(run.status == 0 || run.status == 1, "\(context)")
            let want = Set(c.expected.dropFirst("findings:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "none" })
            let got = try Self.findingLabels(run.stdout, arguments: c.arguments)
            #expect(got == want, "\(c.name): expected \(want.sorted()), got \(got.sorted())")
            // The same run in text, so that the text reporter meets every hostile input too.
            if let format = c.arguments.firstIndex(of: "json") {
                var text = c.arguments
                text[format] = "text"
                let again = try Self.run(text + ["--color", "always"], in: work, setup: c.setup)
                #expect(!again.timedOut && again.signal == nil && again.status == run.status, "text run: \(again.summary)\n\(again.stderr.prefix(600))")
            }
        } else {
            let parts = c.expected.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let code = Int32(parts[0].dropFirst("exit ".count)) ?? -1
            #expect(run.status == code, "expected exit \(code): \(context)")
            if parts.count == 2 { #expect((run.stderr + run.stdout).contains(parts[1]), "the output lacks `\(parts[1])`: \(context)") }
            if code == 2 {
                // A usage error is one clear line, not a backtrace.
                #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Backtrac"), "\(context)")
            }
        }
    }

    // MARK: running

    struct Result {
        var status: Int32 = -1
        var signal: Int32?
        var timedOut = false
        var stdout = ""
        var stderr = ""
        var summary: String { timedOut ? "timeout" : signal.map { "signal \($0)" } ?? "exit \(status)" }
    }

    /// A fresh copy of the corpus with the case's setup applied.
    static func prepare(_ c: Case) throws -> URL {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("stackup-hostile-\(UUID().uuidString)")
        try fm.copyItem(at: corpus, to: work)
        for step in c.setup where !step.isEmpty {
            let path = { (i: Int) in work.appendingPathComponent(step[i]).path }
            switch step[0] {
            case "fifo": guard mkfifo(path(1), 0o644) == 0 else { throw SetupError("mkfifo \(step[1])") }
            case "link": try fm.createSymbolicLink(atPath: path(1), withDestinationPath: step[2])
            case "gen": try HostileGenerators.generate(step[1], at: work.appendingPathComponent(step[2]))
            case "git": try git(["init", "-q"], in: work); try git(["add", "-A"], in: work)
                try git(["-c", "user.email=corpus@stackup", "-c", "user.name=corpus", "commit", "-qm", "corpus"], in: work)
            case "stdout-closed", "stdout-full": break
            default: throw SetupError("unknown setup step `\(step[0])`")
            }
        }
        return work
    }

    struct SetupError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    static func git(_ arguments: [String], in folder: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + arguments
        p.currentDirectoryURL = folder
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw SetupError("git \(arguments.joined(separator: " ")) failed") }
    }

    /// Runs the binary through `sh`, which sets the address-space limit and then becomes it
    /// (`exec`), so that a signal that ends stackup is seen here as that signal.
    static func run(_ arguments: [String], in folder: URL, setup: [[String]]) throws -> Result {
        var redirect = ""
        if setup.contains(["stdout-closed"]) { redirect = " >&-" }
        if setup.contains(["stdout-full"]) { redirect = " >/dev/full" }
        let limit = sanitized ? "" : "ulimit -v \(addressSpaceKB) && "
        let out = folder.appendingPathComponent(".stdout"), err = folder.appendingPathComponent(".stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "\(limit)exec \"$0\" \"$@\"\(redirect)", binary.path] + arguments
        p.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["GITHUB_ACTIONS"] = nil
        p.environment = env
        // Files, not pipes: a full pipe nobody reads would stall the child until the deadline.
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(seconds)
        var result = Result()
        while p.isRunning && Date() < deadline { usleep(2_000) }
        if p.isRunning {
            result.timedOut = true
            kill(p.processIdentifier, SIGKILL)
        }
        p.waitUntilExit()
        if !result.timedOut {
            if p.terminationReason == .uncaughtSignal { result.signal = p.terminationStatus } else { result.status = p.terminationStatus }
        }
        result.stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        result.stderr = String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self)
        return result
    }

    /// `rule@line:col` for each finding of the JSON report (`rule@file:line:col` outside the
    /// design the case names).
    static func findingLabels(_ json: String, arguments: [String]) throws -> Set<String> {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "not JSON: \(json.prefix(300))")
        let findings = try #require(object["findings"] as? [[String: Any]])
        let main = arguments.first { $0.hasSuffix(".stackup.yaml") } ?? ""
        return Set(findings.compactMap { f in
            guard let rule = f["rule"] as? String, let l = f["location"] as? [String: Any],
                  let file = l["file"] as? String, let line = l["line"] as? Int, let column = l["column"] as? Int else { return nil }
            return file == main ? "\(rule)@\(line):\(column)" : "\(rule)@\(file):\(line):\(column)"
        })
    }
}

/// The corpus files too large to commit, written when a case needs them.
enum HostileGenerators {
    /// Runs a shell pipeline (for logs that are quicker made by `head`, `awk` and `gzip`).
    static func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw HostileCorpusTests.SetupError("`\(command.prefix(80))…` exited \(process.terminationStatus)") }
    }

    static func generate(_ kind: String, at url: URL) throws {
        var text = ""
        let head = "stackup: 1\ncustomer:\n  attributes:\n    a: {min: 0, max: 100}\n"
        switch kind {
        case "scalar-50mb":
            text = "stackup: 1\nname: " + String(repeating: "z", count: 50 << 20) + "\n"
        case "include-380000-stages":
            // A 9.9 MiB include of 380,000 stages, from a design in the same folder.
            var s = "stages:\n"
            s.reserveCapacity(10 << 20)
            for i in 0..<380_000 { s += "  s\(i): {outcome: won}\n" }
            try s.write(to: url.deletingLastPathComponent().appendingPathComponent("big-include.yaml"), atomically: false, encoding: .utf8)
            text = "stackup: 1\ninclude: [big-include.yaml]\nentries:\n  e: {to: s0, rate: 1/week}\nstages: {}\n"
        case "stages-40000":
            text = head + "entries:\n  e: {to: s0, rate: 1/week}\nstages:\n"
            for i in 0..<40_000 { text += "  s\(i): {routes: [{to: s\(i + 1)}]}\n" }
        case "ring-10000-loops-1000000", "ring-10000-loops-20":
            let loops = kind.hasSuffix("1000000") ? 1_000_000 : 20
            text = head + "  max_loops: \(loops)\nentries:\n  e: {to: s0, rate: 10/week}\nstages:\n"
            for i in 0..<10_000 { text += "  s\(i): {sla: 1h, routes: [{to: s\((i + 1) % 10_000), when: {a: '< 99'}}, {to: won}]}\n" }
            text += "  won: {outcome: won}\n"
        case "unknown-refs-4000":
            text = head + "entries:\n  e: {to: s0, rate: 1/week}\nstages:\n"
            for i in 0..<4_000 { text += "  s\(i): {routes: [{to: s\(i + 1), when: {a: '< 50'}}, {to: nowhere\(i)}]}\n" }
            text += "  s4000: {outcome: won}\n"
        case "unknown-refs-40000":
            // 10,000 stages, each naming four stages that do not exist.
            text = head + "entries:\n  e: {to: s0, rate: 1/week}\nstages:\n"
            for i in 0..<10_000 {
                text += "  s\(i): {rejects_to: w\(i), routes: [{to: x\(i), when: {a: '< 30'}}, {to: y\(i), when: {a: '< 60'}}, {to: z\(i)}]}\n"
            }
        case "include-same-20000":
            try "stages:\n  t: {outcome: won}\n".write(to: url.deletingLastPathComponent().appendingPathComponent("team.yaml"), atomically: false, encoding: .utf8)
            text = "stackup: 1\ninclude:\n" + String(repeating: "  - team.yaml\n", count: 20_000) + "entries:\n  e: {to: t, rate: 1/week}\nstages: {}\n"
        case "accepts-10000-attributes":
            text = "stackup: 1\ncustomer:\n  attributes:\n"
            for i in 0..<10_000 { text += "    a\(i): {min: 0, max: 100}\n" }
            text += "entries:\n  e: {to: s, rate: 1/week}\nstages:\n  s:\n    accepts: {"
            text += (0..<10_000).map { "a\($0): \">= 50\"" }.joined(separator: ", ")
            text += "}\n    routes: [{to: won}]\n  won: {outcome: won}\n"
        case "baseline-200000":
            text = "{\"version\": 1, \"findings\": [\n"
            text += (0..<200_000).map { "{\"rule\": \"schema\", \"file\": \"gone\($0).stackup.yaml\", \"signature\": \"s\($0)\"}" }.joined(separator: ",\n")
            text += "]}\n"
        case "blob-200mb":
            // Compressible, so that committing it stays quick; the size check is what matters.
            let handle = try FileHandle(forWritingTo: { _ = FileManager.default.createFile(atPath: url.path, contents: nil); return url }())
            let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0..<200 { try handle.write(contentsOf: chunk) }
            try handle.close()
            return
        case "log-line-1gb":
            // A CSV log whose third line is one field of 1 GiB, gzipped (about 1 MB on disk).
            try shell("{ printf 'case_id,stage,timestamp\\nc1,sdr,2026-01-05T09:00:00Z\\nc2,'; head -c 1073741824 /dev/zero | tr '\\0' x; printf ',2026-01-05T09:00:00Z\\nc1,won,2026-01-05T10:00:00Z\\n'; } | gzip -1 > '\(url.path)'")
            return
        case "log-million-columns":
            text = (0..<1_000_000).map { "c\($0)" }.joined(separator: ",") + "\nc1,sdr,2026-01-05T09:00:00Z\n"
        case "log-case-10m-events":
            // One case with ten million events, gzipped.
            try shell("awk 'BEGIN { print \"case_id,stage,timestamp\"; for (i = 0; i < 10000000; i++) print \"c1,\" (i % 2 ? \"sdr\" : \"won\") \",2026-01-05T09:00:00Z\" }' | gzip -1 > '\(url.path)'")
            return
        default:
            throw HostileCorpusTests.SetupError("unknown generator `\(kind)`")
        }
        try text.write(to: url, atomically: false, encoding: .utf8)
    }
}
