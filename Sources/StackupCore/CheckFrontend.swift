import StackupYAML

/// One `stackup check` run over a set of design files, as a library call: the CLI resolves
/// paths, configuration and output, and hands over the files to check; this checks each with
/// its own options, merges what they report, and holds the result against a baseline.
public enum CheckFrontend {
    /// One design to check: where it is read from, how every output names it, the options its
    /// configuration gives it, and the folder its includes are confined to.
    public struct File: Sendable {
        public var path: String
        public var displayName: String
        public var options: CheckOptions
        public var rootFolder: String

        public init(path: String, displayName: String, options: CheckOptions, rootFolder: String) {
            self.path = path
            self.displayName = displayName
            self.options = options
            self.rootFolder = rootFolder
        }
    }

    /// A baseline to report against, and how messages name it.
    public struct BaselineInput: Sendable {
        public var baseline: Baseline
        public var name: String

        public init(_ baseline: Baseline, name: String) {
            self.baseline = baseline
            self.name = name
        }
    }

    public struct Result: Sendable {
        /// What is reported, in report order: every finding, less those the baseline holds.
        public var findings: [Finding]
        /// The text of every file read, for snippets.
        public var sources: [String: SourceText]
        /// Each file's figures, in the order checked.
        public var metrics: [(file: String, metrics: DesignMetrics)]
        /// Findings hidden by suppression comments or held by the baseline, with why.
        public var suppressed: [SuppressedFinding]
        /// How many findings suppression comments hid.
        public var suppressedByComments: Int
        /// How many findings the baseline held.
        public var heldByBaseline: Int
        /// Baseline entries, for files this run read, that match no finding any more.
        public var staleBaselineEntries: [Baseline.Entry]
    }

    public static func run(_ files: [File], provider: any SourceProvider = DiskSourceProvider(), baseline: BaselineInput? = nil) -> Result {
        var result = Result(findings: [], sources: [:], metrics: [], suppressed: [], suppressedByComments: 0, heldByBaseline: 0,
                            staleBaselineEntries: [])
        for file in files {
            let report = Checker(provider: provider, options: file.options)
                .check(file: file.path, displayName: file.displayName, rootFolder: file.rootFolder)
            result.suppressed += report.suppressedFindings
            result.suppressedByComments += report.suppressed
            result.findings += report.findings
            result.sources.merge(report.sources) { a, _ in a }
            result.metrics.append((file.displayName, report.metrics))
        }
        result.findings.sort(by: Finding.reportOrder)
        if let baseline {
            let known = baseline.baseline
            let applied = known.apply(to: result.findings)
            result.suppressed += known.known(in: result.findings)
                .map { SuppressedFinding(finding: $0, kind: .external, justification: "recorded in the baseline `\(baseline.name)`") }
            result.findings = applied.new
            result.heldByBaseline = applied.known
            // Entries for files this run did not read are not judged.
            let read = Set(result.sources.keys.map(known.file))
            result.staleBaselineEntries = applied.fixed.filter { read.contains($0.key.file) }
        }
        result.suppressed.sort { Finding.reportOrder($0.finding, $1.finding) }
        return result
    }
}
