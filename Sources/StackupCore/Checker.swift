import StackupYAML

/// Options for a check run. Passed in, never global, so that runs are deterministic and
/// independent.
public struct CheckOptions: Sendable {
    public var seed: UInt64
    public var samples: Int
    public var limits: Limits
    /// Per-rule severities from the configuration; rules not named keep their default.
    public var rules: [String: RuleLevel]

    public init(seed: UInt64 = 1, samples: Int = 20_000, limits: Limits = .default, rules: [String: RuleLevel] = [:]) {
        self.seed = seed
        self.samples = samples
        self.limits = limits
        self.rules = rules
    }
}

/// What the configuration makes of a rule.
public enum RuleLevel: Sendable, Equatable {
    case off
    case on(Severity)
}

/// The result of checking one design file.
public struct DesignReport: Sendable {
    var file: String
    public var design: Design?
    /// Sorted in report order.
    public var findings: [Finding]
    /// The text of every file read, by display path, for snippets.
    public var sources: [String: SourceText]
    /// Figures of the analyses, for `metrics` in the JSON output.
    public var metrics: DesignMetrics
    /// What `calibrate` measured, when the design was held against a log.
    public var calibration: Calibration?
    /// Findings hidden by `# stackup: ignore` comments.
    var suppressed: Int = 0
    /// How many findings suppression comments hid.
    public var suppressedCount: Int { suppressed }
    /// Those findings, with their comments' reasons.
    var suppressedFindings: [SuppressedFinding] = []
}

/// A log to hold the design against, for `calibrate`.
public struct CalibrationInput: Sendable {
    public var log: EventLog
    public var options: CalibrationOptions

    public init(log: EventLog, options: CalibrationOptions) {
        self.log = log
        self.options = options
    }
}

/// The pipeline: load, model, analyses, rules.
public struct Checker: Sendable {
    var loader: DesignLoader
    public var options: CheckOptions

    public init(provider: any SourceProvider = DiskSourceProvider(), options: CheckOptions = CheckOptions()) {
        self.loader = DesignLoader(provider: provider, limits: options.limits)
        self.options = options
    }

    /// Checks the design whose root file is `file`; includes are confined to `rootFolder`
    /// (a canonical path).
    public func check(file: String, rootFolder: String) -> DesignReport {
        check(file: file, displayName: file, rootFolder: rootFolder)
    }

    /// Checks the design read from `file`, naming it `displayName` in every finding.
    /// With `calibration`, the design is held against that log: the calibration rules run
    /// instead of the design's own (those are `check`'s), and suppressions of the rules that
    /// did not run are not judged unused.
    public func check(file: String, displayName: String, rootFolder: String, calibration: CalibrationInput? = nil) -> DesignReport {
        let loaded = loader.load(path: file, displayPath: displayName, rootFolder: rootFolder)
        var findings = loaded.findings
        var metrics = DesignMetrics()
        var measured: Calibration?
        if let design = loaded.design, let calibration {
            let figures = Calibration.measure(design: design, log: calibration.log, options: calibration.options)
            for rule in RuleRegistry.calibration where options.rules[rule.description.id] != .off {
                findings.append(contentsOf: rule.check(design, figures))
            }
            measured = figures
        } else if let design = loaded.design {
            let analyses = Analyses(design: design, samples: options.samples, seed: options.seed)
            for rule in RuleRegistry.all where options.rules[rule.description.id] != .off {
                findings.append(contentsOf: rule.check(design, analyses))
            }
            metrics = DesignMetrics(design: design, analyses: analyses)
        }
        let calibrating = calibration != nil
        let judged: (String) -> Bool = { id in
            RuleRegistry.calibrationRuleIds.contains(id) == calibrating || RuleRegistry.loadingRuleIds.contains(id)
        }
        // A rule turned off has not run (loading rules cannot be turned off), so a suppression
        // of it is unused.
        var suppressions: [Suppression] = []
        var problems: [Finding] = []
        for (file, comments) in loaded.comments.sorted(by: { $0.key < $1.key }) {
            let read = Suppressions.read(comments, file: file)
            suppressions.append(contentsOf: read.suppressions)
            problems.append(contentsOf: read.problems)
        }
        let applied = Suppressions.applied(suppressions, to: findings, judged: judged)
        findings = applied.kept + problems + applied.unused
        findings = findings.compactMap { finding in
            switch options.rules[finding.rule] {
            case .off?: return nil
            case .on(let severity)?:
                var changed = finding
                changed.severity = severity
                return changed
            case nil: return finding
            }
        }
        findings.sort(by: Finding.reportOrder)
        findings = Self.truncate(findings, limit: options.limits.findingsPerFile, file: file)
        return DesignReport(file: displayName, design: loaded.design, findings: findings, sources: loaded.sources, metrics: metrics,
                            calibration: measured, suppressed: applied.suppressed.count, suppressedFindings: applied.suppressed)
    }

    /// The first `limit` findings of each file in report order, and a note for the rest.
    static func truncate(_ findings: [Finding], limit: Int, file: String) -> [Finding] {
        var perFile: [String: Int] = [:]
        var kept: [Finding] = []
        var hidden: [String: Int] = [:]
        for finding in findings {
            let count = perFile[finding.location.file, default: 0]
            if count < limit {
                kept.append(finding)
                perFile[finding.location.file] = count + 1
            } else {
                hidden[finding.location.file, default: 0] += 1
            }
        }
        guard !hidden.isEmpty else { return findings }
        for (name, count) in hidden.sorted(by: { $0.key < $1.key }) {
            kept.append(OverLimitRule.truncated(count, limit: limit, at: Location(file: name, span: Span(at: .start))))
        }
        return kept.sorted(by: Finding.reportOrder)
    }

    /// Checks design text held in memory, as the file `name`.
    public static func check(text: String, name: String = "design.stackup.yaml", options: CheckOptions = CheckOptions(),
                             calibration: CalibrationInput? = nil) -> DesignReport {
        let provider = MemorySourceProvider([name: text])
        let checker = Checker(provider: provider, options: options)
        let root = PathUtilities.directory(of: PathUtilities.normalize(PathUtilities.absolute(name)))
        return checker.check(file: name, displayName: name, rootFolder: root, calibration: calibration)
    }
}
