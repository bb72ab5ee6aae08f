import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

/// Output formats of `stackup calibrate`: the report's, and every format `check` gates CI with.
enum CalibrationFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, sarif, junit, github, gitlab
}

extension LogReadOptions.Kind: ExpressibleByArgument {}

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Hold a design against what really happened: CRM stage history or event logs (long CSV, wide CSV, XES, .gz).",
        discussion: """
        Measures each stage's time in stage (Kaplan–Meier, right-censored at --as-of), each route's share, \
        each entry's arrivals and each promise, and reports sla-drift, route-drift, rate-drift and \
        undeclared-transition. See docs/calibrate.md.
        """
    )

    @Argument(help: "The design file.")
    var design: String

    @Argument(help: "One or more log files.")
    var logs: [String] = []

    @Option(name: .customLong("log-format"), help: "How the logs are written: long, wide or xes (default: by extension and first bytes).")
    var logFormat: LogReadOptions.Kind?

    @Option(name: .customLong("case"), help: ArgumentHelp("The case id column (long CSV).", valueName: "column"))
    var caseColumn: String?

    @Option(name: .customLong("stage"), help: ArgumentHelp("The stage or activity column (long CSV).", valueName: "column"))
    var stageColumn: String?

    @Option(name: .customLong("time"), help: ArgumentHelp("The column of the time the case entered the stage (long CSV).", valueName: "column"))
    var timeColumn: String?

    @Option(name: .customLong("left"), help: ArgumentHelp("The column of the time the case left the stage (long CSV; `left` and `left_at` are found by themselves).", valueName: "column"))
    var leftColumn: String?

    @Option(name: .customLong("resource"), help: ArgumentHelp("The column naming who worked the case; accepted, not yet measured.", valueName: "column"))
    var resourceColumn: String?

    @Option(name: .customLong("stage-column"), help: ArgumentHelp("Wide CSV: the column name of each stage's entry time, with {stage} in it, such as 'Date entered \"{stage}\"'.", valueName: "pattern"))
    var stagePattern: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("Read the log's ACTIVITY as the design's STAGE; repeatable (and `calibrate.map` in .stackup.yml).", valueName: "activity=stage"))
    var maps: [String] = []

    @Option(help: ArgumentHelp("Zone of times written without one, and of the calendar's working hours: UTC (default), +01:00, or a name such as Europe/Berlin.", valueName: "zone"))
    var tz: String = "UTC"

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The cut-off: cases still in a stage then are censored there (default: the latest time in the logs).", valueName: "ISO 8601"))
    var asOf: String?

    @Option(help: "Output format (default text).")
    var format: CalibrationFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(help: ArgumentHelp("Write a copy of the design holding the measured figures (edited in place: comments and layout kept).", valueName: "file"))
    var write: String?

    @Option(name: .customLong("base-path"), help: ArgumentHelp("Name files relative to this folder in every output (default: the repository root).", valueName: "dir"))
    var basePath: String?

    @OptionGroup var policy: PolicyOptions

    @Option(help: "Colour: auto (a terminal, unless NO_COLOR), always, or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if logs.isEmpty { throw ValidationError("give one or more log files after the design: stackup calibrate DESIGN LOG…") }
        if LogZone(tz) == nil { throw ValidationError("--tz takes UTC, an offset such as +01:00, or a zone name such as Europe/Berlin; not `\(tz)`") }
        if let asOf, LogTime.parse(asOf) == nil {
            throw ValidationError("--as-of takes ISO 8601, a date (2026-03-31) or a date and time (2026-03-31T17:00:00Z); not `\(asOf)`")
        }
        if stagePattern != nil, let logFormat, logFormat != .wide {
            throw ValidationError("--stage-column names a wide log's columns; it cannot be used with --log-format \(logFormat.rawValue)")
        }
        _ = try activityMap()
    }

    /// `--map` as activity → stage; an activity mapped twice is a usage error.
    func activityMap() throws -> [String: String] {
        var map: [String: String] = [:]
        for item in maps {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex, item.index(after: eq) != item.endIndex else {
                throw ValidationError("--map takes ACTIVITY=STAGE, such as --map 'Demo scheduled=ae'; not `\(item)`")
            }
            let activity = String(item[..<eq]), stage = String(item[item.index(after: eq)...])
            if let earlier = map[activity], earlier != stage {
                throw ValidationError("--map maps `\(activity)` twice, to `\(earlier)` and to `\(stage)`")
            }
            map[activity] = stage
        }
        return map
    }

    func run() throws {
        var targets: [(path: String, what: String?)] = []
        if let output { targets.append((output, nil)) }
        if let write { targets.append((write, "the calibrated design")) }
        try Output.checkTargets(targets)
        let settings = try Settings(policy)
        let base = try Settings.basePath(basePath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: design, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw UsageError("`\(design)`: no such design file")
        }
        guard let zone = LogZone(tz) else { throw UsageError("--tz: `\(tz)` is not a zone") }
        if resourceColumn != nil { Output.standardError("stackup: --resource is read but not measured yet; the column takes no part\n") }

        var options = LogReadOptions(kind: logFormat, caseColumn: caseColumn, stageColumn: stageColumn, timeColumn: timeColumn,
                                     leftColumn: leftColumn, stageColumnPattern: stagePattern, zone: zone)
        let limit = settings.checkOptions.limits.logEvents
        var log = EventLog()
        for path in logs {
            // One bound on every log together.
            options.maxEvents = max(0, limit - log.store.count)
            switch EventLogReader.read(path: path, name: Settings.displayName(path, base: base), options: options) {
            case .failure(let failure): throw UsageError("\(failure)")
            case .success(let read): log.append(read)
            }
        }
        let flags = try activityMap()
        let map = (settings.configuration?.calibrateMap ?? [:]).merging(flags) { _, flag in flag }
        let cutOff = asOf.flatMap { LogTime.parse($0, zone: zone.zone)?.seconds }
        let file = try requirePlan(settings, base: base)
        var calibrationOptions = CalibrationOptions(asOf: cutOff, map: map, zone: zone, seed: file.options.seed)
        calibrationOptions.samples = file.options.samples
        let report = Checker(options: file.options).check(file: file.path, displayName: file.displayName, rootFolder: file.rootFolder,
                                                         calibration: CalibrationInput(log: log, options: calibrationOptions))
        if let loaded = report.design {
            try checkMap(map, design: loaded, log: log)
        }
        let findings = report.findings
        let useColor = output == nil && ColorPolicy.enabled(choice: color, isTerminal: isatty(STDOUT_FILENO) != 0)
        let rendered: String
        guard let calibration = report.calibration else {
            // The design did not load: its findings, as `check` would print them (JSON as
            // `check --format json` writes it, since there is no calibration to report).
            switch format {
            case .json: rendered = JSONReporter.render(findings, files: 1)
            case .text, .markdown: rendered = TextReporter.render(findings, sources: report.sources, files: 1, color: useColor)
            default: rendered = render(findings, file: file.displayName, base: base, settings: settings)
            }
            try emit(rendered)
            throw ExitCode(1)
        }
        switch format {
        case .text:
            rendered = CalibrationReporter.text(calibration, design: file.displayName, findings: findings, sources: report.sources, color: useColor,
                                                hidden: TextReporter.Hidden(byBaseline: 0, bySuppressions: report.suppressedCount, staleBaselineEntries: 0))
        case .json: rendered = CalibrationReporter.json(calibration, findings: findings)
        case .markdown: rendered = CalibrationReporter.markdown(calibration, design: file.displayName, findings: findings)
        default: rendered = render(findings, file: file.displayName, base: base, settings: settings)
        }
        if let write, let loaded = report.design, let source = report.sources[file.displayName] {
            let result = CalibrationWriter.write(design: loaded, calibration: calibration, source: source, file: file.displayName)
            try Output.file(result.text, to: write, what: "the calibrated design")
            Output.standardError("stackup: wrote `\(write)` with \(result.written.count) measured figure\(result.written.count == 1 ? "" : "s")\n")
            for line in result.kept { Output.standardError("  kept as declared: \(line)\n") }
        }
        try emit(rendered)
        if findings.contains(where: { $0.severity >= settings.failOn }) { throw ExitCode(1) }
    }

    func emit(_ text: String) throws {
        if let output { try Output.file(text, to: output) } else { try Output.standardOutput(text) }
    }

    /// The design to calibrate, with the options and root its configuration gives it.
    func requirePlan(_ settings: Settings, base: String) throws -> CheckFrontend.File {
        guard let file = settings.plan([design], base: base).first else { throw UsageError("`\(design)`: no such design file") }
        return file
    }

    /// Findings in one of `check`'s CI formats.
    func render(_ findings: [Finding], file: String, base: String, settings: Settings) -> String {
        switch format {
        case .sarif:
            let context = SARIFReporter.Context(sourceRoot: base, workingDirectory: DiskSourceProvider().canonicalPath(".") ?? base,
                                                category: "calibrate", docsURL: settings.configuration?.docsURL)
            return SARIFReporter.render(findings, rules: RuleRegistry.descriptions, suppressed: [], context: context)
        case .junit: return JUnitReporter.render(findings, files: [file], failOn: settings.failOn)
        case .github: return GitHubReporter.render(findings)
        case .gitlab: return GitLabReporter.render(findings)
        case .text, .json, .markdown: return TextReporter.render(findings, sources: [:], files: 1, color: false)
        }
    }

    /// Every mapping names a stage of the design; one whose activity the logs never hold is
    /// said, since it is most likely misspelt.
    func checkMap(_ map: [String: String], design: Design, log: EventLog) throws {
        let ids = design.stages.map(\.id)
        for (activity, stage) in map.sorted(by: { $0.key < $1.key }) where design.stageIndex[stage] == nil {
            throw UsageError("--map `\(activity)=\(stage)`: the design has no stage `\(stage)`\(DidYouMean.hint(for: stage, among: ids))")
        }
        let activities = Set(log.store.activities)
        for activity in map.keys.sorted() where !activities.contains(activity) {
            Output.standardError("stackup: --map `\(activity)`: no event in the logs has this activity\(DidYouMean.hint(for: activity, among: activities.sorted()))\n")
        }
    }
}
