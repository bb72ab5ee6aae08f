import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

/// Output formats of `stackup check`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit, github, gitlab
}

/// `--report FORMAT:FILE`: one more output of the same run.
struct ReportTarget {
    let format: OutputFormat
    let file: String

    /// Reads `FORMAT:FILE`, saying what is wrong with anything else.
    static func parse(_ argument: String) throws -> ReportTarget {
        let formats = OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
        guard let colon = argument.firstIndex(of: ":") else {
            throw ValidationError("write FORMAT:FILE, such as `sarif:stackup.sarif` (FORMAT is one of \(formats))")
        }
        let name = String(argument[..<colon])
        guard let format = OutputFormat(rawValue: name) else {
            throw ValidationError("`\(name)` is not a report format; FORMAT in FORMAT:FILE is one of \(formats)")
        }
        let file = String(argument[argument.index(after: colon)...])
        guard !file.isEmpty else { throw ValidationError("no FILE after `\(name):`; write FORMAT:FILE, such as `\(name):stackup.\(name)`") }
        return ReportTarget(format: format, file: file)
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

    @Argument(help: "Design files or folders (default: the current folder); `-` reads one design from standard input.")
    var paths: [String] = []

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp("With `-`: the file name the design is shown as, and where its includes are found.", valueName: "name"))
    var stdinFilename: String?

    @Option(name: .customLong("base-path"), help: ArgumentHelp("Name files relative to this folder in every output (default: the repository root, the folder holding .git).", valueName: "dir"))
    var basePath: String?

    @Option(help: ArgumentHelp("SARIF `automationDetails.id`, to tell apart several analyses of one repository (as GitHub asks).", valueName: "name"))
    var category: String?

    @Flag(help: "Print the findings only: no summary line, and no notes on standard error.")
    var quiet = false

    @Flag(help: "Print how many findings each rule made instead of the findings (text output).")
    var statistics = false

    @Option(help: "Output format (default text; under GitHub Actions, annotations and text).")
    var format: OutputFormat?

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write FORMAT to FILE; repeatable.", valueName: "format:file"),
            transform: ReportTarget.parse)
    var reports: [ReportTarget] = []

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @OptionGroup var policy: PolicyOptions

    @Option(help: "Report only findings that this baseline file does not hold.")
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Record every finding in this baseline file and report none of them.", valueName: "file"))
    var writeBaseline: String?

    @Flag(name: .customLong("strict-baseline"), help: "Also fail when a baseline entry matches no finding any more.")
    var strictBaseline = false

    @Option(help: "Colour: auto (a terminal, unless NO_COLOR), always, or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if baseline != nil, writeBaseline != nil {
            throw ValidationError("--baseline and --write-baseline cannot be used together; --write-baseline alone rewrites a baseline")
        }
        if strictBaseline, baseline == nil {
            throw ValidationError("--strict-baseline needs --baseline FILE")
        }
        if paths.contains("-"), paths.count > 1 {
            throw ValidationError("`-` reads one design from standard input; give no other paths with it")
        }
        if stdinFilename != nil, paths != ["-"] {
            throw ValidationError("--stdin-filename names the design read from standard input; give `-` as the path")
        }
        if statistics, let format, format != .text {
            throw ValidationError("--statistics prints a text table; it cannot be combined with --format \(format.rawValue)")
        }
    }

    /// The design files to check, and where their text comes from: the disk, or standard input
    /// for `-`.
    func inputs(_ settings: Settings) throws -> (files: [String], provider: any SourceProvider) {
        guard paths == ["-"] else { return (try settings.designFiles(paths), DiskSourceProvider()) }
        let name = stdinFilename ?? "stdin.stackup.yaml"
        let bytes = try Output.readStandardInput(limit: settings.checkOptions.limits.fileBytes)
        return ([PathUtilities.normalize(name)], StandardInputSourceProvider(name: name, bytes: bytes))
    }

    func run() throws {
        var targets: [(path: String, what: String?)] = reports.map { ($0.file, nil) }
        if let output { targets.append((output, nil)) }
        if let writeBaseline { targets.append((writeBaseline, "the baseline")) }
        try Output.checkTargets(targets)
        let settings = try Settings(policy)
        let base = try Settings.basePath(basePath)
        let (read, provider) = try inputs(settings)
        let baselineInput = try baseline.map { name in
            var known = try BaselineFile.read(name, limits: settings.checkOptions.limits)
            known.displayBase = base
            return CheckFrontend.BaselineInput(known, name: name)
        }
        // Every output names files from the repository root, whatever the working folder.
        let plan = settings.plan(read, base: base)
        let result = CheckFrontend.run(plan, provider: provider, baseline: baselineInput)
        let files = plan.map(\.displayName)

        var findings = result.findings
        let stale = result.staleBaselineEntries
        let hidden = TextReporter.Hidden(byBaseline: result.heldByBaseline, bySuppressions: result.suppressedByComments,
                                         staleBaselineEntries: strictBaseline ? stale.count : 0)
        if let writeBaseline {
            let recorded = Baseline(findings: findings, folder: BaselineFile.folder(of: writeBaseline), displayBase: base)
            try BaselineFile.write(recorded, to: writeBaseline)
            if !quiet { Output.standardError("stackup: wrote \(recorded.entries.count) finding\(recorded.entries.count == 1 ? "" : "s") to the baseline `\(writeBaseline)`\n") }
            findings = []
        } else if result.heldByBaseline > 0, !quiet {
            Output.standardError("stackup: \(result.heldByBaseline) finding\(result.heldByBaseline == 1 ? " is" : "s are") in the baseline and not shown\n")
        }

        let useColor = output == nil && ColorPolicy.enabled(choice: color, isTerminal: isatty(STDOUT_FILENO) != 0)
        func render(_ format: OutputFormat, color: Bool) -> String {
            switch format {
            case .text:
                if statistics { return TextReporter.statistics(findings, files: files.count, color: color, hidden: hidden, quiet: quiet) }
                return TextReporter.render(findings, sources: result.sources, files: files.count, color: color, hidden: hidden, quiet: quiet)
            case .json: return JSONReporter.render(findings, files: files.count, metrics: result.metrics)
            case .sarif:
                let context = SARIFReporter.Context(sourceRoot: base, workingDirectory: DiskSourceProvider().canonicalPath(".") ?? base,
                                                    category: category, docsURL: settings.configuration?.docsURL)
                return SARIFReporter.render(findings, rules: RuleRegistry.descriptions, suppressed: result.suppressed, context: context)
            case .junit: return JUnitReporter.render(findings, files: files, failOn: settings.failOn)
            case .github: return GitHubReporter.render(findings)
            case .gitlab: return GitLabReporter.render(findings)
            }
        }
        let rendered: String
        let underActions = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"
        if let format {
            rendered = render(format, color: useColor)
        } else if underActions {
            rendered = render(.github, color: false) + render(.text, color: useColor)
        } else {
            rendered = render(.text, color: useColor)
        }
        // GitHub's job page shows this file as the step's summary.
        if format == .github || (format == nil && underActions), let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            try Output.append(GitHubReporter.stepSummary(findings, files: files.count, failOn: settings.failOn), to: summary, what: "the step summary")
        }
        for report in reports { try Output.file(render(report.format, color: false), to: report.file) }
        if let output {
            try Output.file(rendered, to: output)
        } else {
            try Output.standardOutput(rendered)
        }
        if strictBaseline, !stale.isEmpty {
            for entry in stale {
                let place = entry.location.map { "\($0): " } ?? ""
                let stage = entry.key.stage.map { " at stage `\($0)`" } ?? ""
                Output.standardError("error: \(place)baseline entry `\(entry.key.rule)` in `\(entry.key.file)`\(stage) matches no finding any more\n")
            }
            Output.standardError("stackup: \(stale.count) baseline entr\(stale.count == 1 ? "y is" : "ies are") fixed; rewrite the baseline with --write-baseline (--strict-baseline)\n")
        }
        if findings.contains(where: { $0.severity >= settings.failOn }) || (strictBaseline && !stale.isEmpty) {
            throw ExitCode(1)
        }
    }
}

extension Severity: ExpressibleByArgument {}
