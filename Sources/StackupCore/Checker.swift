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
    /// Findings hidden by `# stackup: ignore` comments.
    var suppressed: Int = 0
    /// Those findings, with their comments' reasons.
    var suppressedFindings: [SuppressedFinding] = []
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
    public func check(file: String, displayName: String, rootFolder: String) -> DesignReport {
        let loaded = loader.load(path: file, displayPath: displayName, rootFolder: rootFolder)
        var findings = loaded.findings
        var metrics = DesignMetrics()
        if let design = loaded.design {
            let analyses = Analyses(design: design, samples: options.samples, seed: options.seed)
            for rule in RuleRegistry.all where options.rules[rule.description.id] != .off {
                findings.append(contentsOf: rule.check(design, analyses))
            }
            metrics = DesignMetrics(design: design, analyses: analyses)
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
        let applied = Suppressions.applied(suppressions, to: findings)
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
                            suppressed: applied.suppressed.count, suppressedFindings: applied.suppressed)
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
    public static func check(text: String, name: String = "design.stackup.yaml", options: CheckOptions = CheckOptions()) -> DesignReport {
        let provider = MemorySourceProvider([name: text])
        let checker = Checker(provider: provider, options: options)
        let root = PathUtilities.directory(of: PathUtilities.normalize(PathUtilities.absolute(name)))
        return checker.check(file: name, rootFolder: root)
    }
}
