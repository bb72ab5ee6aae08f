import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

/// Output formats of `stackup check`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit, github, gitlab
}

/// `--report FORMAT:FILE`: one more output of the same run.
struct ReportTarget: ExpressibleByArgument {
    let format: OutputFormat
    let file: String

    init?(argument: String) {
        guard let colon = argument.firstIndex(of: ":"), let format = OutputFormat(rawValue: String(argument[..<colon])) else { return nil }
        let file = String(argument[argument.index(after: colon)...])
        guard !file.isEmpty else { return nil }
        self.format = format
        self.file = file
    }
}

/// `--color`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check designs: files, or folders searched for *.stackup.yaml and *.stackup.yml."
    )

    @Argument(help: "Design files or folders (default: the current folder).")
    var paths: [String] = []

    @Option(help: "Output format (default text; under GitHub Actions, annotations and text).")
    var format: OutputFormat?

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write FORMAT to FILE; repeatable.", valueName: "format:file"))
    var reports: [ReportTarget] = []

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 1.")
    var failOn: Severity = .error

    @Option(help: "Folder that includes must stay inside (default: each design's own folder).")
    var root: String?

    @Option(help: "Seed for everything sampled.")
    var seed: UInt64 = 1

    @Option(help: "Customers sampled for the statistical analyses.")
    var samples: Int = 20_000

    @Option(help: "Colour: auto (a terminal, unless NO_COLOR), always, or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        guard samples >= 1, samples <= 10_000_000 else {
            throw ValidationError("--samples must be between 1 and 10000000")
        }
    }

    func run() throws {
        let files = DesignDiscovery.files(for: paths.isEmpty ? ["."] : paths)
        let rootFolder: String?
        if let root {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
                  let canonical = DiskSourceProvider().canonicalPath(root) else {
                Self.failUsage("--root `\(root)` is not a folder")
            }
            rootFolder = canonical
        } else {
            rootFolder = nil
        }
        let checker = Checker(options: CheckOptions(seed: seed, samples: samples))
        var findings: [Finding] = []
        var sources: [String: StackupYAMLSource] = [:]
        var metrics: [(file: String, metrics: DesignMetrics)] = []
        for file in files {
            let folder = rootFolder ?? DiskSourceProvider().canonicalPath(PathUtilities.directory(of: file)) ?? "/"
            let report = checker.check(file: file, rootFolder: folder)
            findings.append(contentsOf: report.findings)
            sources.merge(report.sources) { a, _ in a }
            metrics.append((file, report.metrics))
        }
        findings.sort(by: Finding.reportOrder)

        let useColor = output == nil && ColorPolicy.enabled(choice: color, isTerminal: isatty(STDOUT_FILENO) != 0)
        func render(_ format: OutputFormat, color: Bool) -> String {
            switch format {
            case .text: return TextReporter.render(findings, sources: sources, files: files.count, color: color)
            case .json: return JSONReporter.render(findings, files: files.count, metrics: metrics)
            case .sarif: return SARIFReporter.render(findings, rules: RuleRegistry.all.map { $0.description })
            case .junit: return JUnitReporter.render(findings, files: files)
            case .github: return GitHubReporter.render(findings)
            case .gitlab: return GitLabReporter.render(findings)
            }
        }
        let rendered: String
        if let format {
            rendered = render(format, color: useColor)
        } else if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" {
            rendered = render(.github, color: false) + render(.text, color: useColor)
        } else {
            rendered = render(.text, color: useColor)
        }
        for report in reports {
            do {
                try render(report.format, color: false).write(toFile: report.file, atomically: true, encoding: .utf8)
            } catch {
                Self.failUsage("cannot write `\(report.file)`: \(error.localizedDescription)")
            }
        }
        if let output {
            do {
                try rendered.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                Self.failUsage("cannot write `\(output)`: \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(rendered.utf8))
        }
        if findings.contains(where: { $0.severity >= failOn }) {
            throw ExitCode(1)
        }
    }
}

extension Severity: ExpressibleByArgument {}
