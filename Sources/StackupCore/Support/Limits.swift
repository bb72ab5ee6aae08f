import StackupYAML

/// How much of anything Stackup reads or builds, so that every input has a bounded cost: a
/// design in a pull request comes from a stranger. Each limit is named, documented and raised
/// with `--limit NAME=VALUE` on the command line only (the checked tree cannot raise them).
/// `docs/limits.md` is generated from `Limits.all`.
public struct Limits: Sendable, Equatable {
    /// One limit: its name on the command line, its default, what it bounds, and what
    /// happens when an input goes over it.
    public struct Entry: Sendable {
        public let name: String
        public let bounds: String
        public let whenHit: String
        let keyPath: WritableKeyPath<Limits, Int> & Sendable

        public var defaultValue: Int { Limits.default[keyPath: keyPath] }
    }

    public var fileBytes = 4 << 20
    var scalarBytes = 1 << 20
    var nesting = 64
    var aliasNodes = 100_000
    var includedFiles = 500
    var includeDepth = 16
    public var stages = 20_000
    var routesPerStage = 256
    public var entries = 1_000
    public var attributes = 64
    public var fields = 1_024
    var committeeRoles = 64
    public var promises = 128
    var unrolledNodes = 100_000
    public var configSamples = 200_000
    var findingsPerFile = 1_000
    var baselineEntries = 50_000
    var didYouMeanWork = 5_000_000
    public var logEvents = 5_000_000

    public init() {}

    public static let `default` = Limits()

    /// Every limit, in the order `docs/limits.md` lists them.
    public static let all: [Entry] = [
        Entry(name: "file-bytes", bounds: "bytes of one file read: a design, an include, a baseline, standard input, or a blob read by `diff --git` (a `.stackup.yml` is held to 1 MiB)",
              whenHit: "`invalid-yaml` (a design) or `invalid-include` (an include) at the file; exit 2 for a baseline or standard input", keyPath: \.fileBytes),
        Entry(name: "scalar-bytes", bounds: "bytes of one YAML scalar",
              whenHit: "`invalid-yaml` at the scalar", keyPath: \.scalarBytes),
        Entry(name: "nesting", bounds: "depth of nested YAML collections (libyaml is quadratic on deep flow nesting)",
              whenHit: "`invalid-yaml` where the limit is crossed", keyPath: \.nesting),
        Entry(name: "alias-nodes", bounds: "nodes that YAML aliases may produce in one file (the \"billion laughs\" guard)",
              whenHit: "`invalid-yaml` at the alias", keyPath: \.aliasNodes),
        Entry(name: "included-files", bounds: "files one design may include, in all, and entries in one `include` list",
              whenHit: "`over-limit` at the first include over it; the rest are not read", keyPath: \.includedFiles),
        Entry(name: "include-depth", bounds: "how deep includes may nest",
              whenHit: "`over-limit` at the include too deep; it is not read", keyPath: \.includeDepth),
        Entry(name: "stages", bounds: "stages in one design, across its files",
              whenHit: "`over-limit` at the first stage over it; the design is not analysed", keyPath: \.stages),
        Entry(name: "routes-per-stage", bounds: "routes of one stage",
              whenHit: "`over-limit` at the first route over it; the design is not analysed", keyPath: \.routesPerStage),
        Entry(name: "entries", bounds: "entries of one design",
              whenHit: "`over-limit` at the first entry over it; the design is not analysed", keyPath: \.entries),
        Entry(name: "attributes", bounds: "declared customer attributes (each is a dimension of every criteria region)",
              whenHit: "`over-limit` at the first attribute over it; the design is not analysed", keyPath: \.attributes),
        Entry(name: "fields", bounds: "distinct fields named in `captures`, `requires`, `hands_off` and `never_ask_twice`",
              whenHit: "`over-limit` at the first field over it; the design is not analysed", keyPath: \.fields),
        Entry(name: "committee-roles", bounds: "roles in `customer.committee`",
              whenHit: "`over-limit` at the first role over it; the design is not analysed", keyPath: \.committeeRoles),
        Entry(name: "promises", bounds: "promises in `customer.promises`",
              whenHit: "`over-limit` at the first promise over it; the design is not analysed", keyPath: \.promises),
        Entry(name: "unrolled-nodes", bounds: "stages × (`max_loops` + 1): the nodes of the acyclic unrolling every analysis works on",
              whenHit: "`over-limit` at `max_loops` (or the design); the design is not analysed", keyPath: \.unrolledNodes),
        Entry(name: "config-samples", bounds: "`samples` that a `.stackup.yml` may ask for (the statistical analyses cost time in proportion; `--samples` on the command line is not held to it)",
              whenHit: "exit 2, naming the configuration", keyPath: \.configSamples),
        Entry(name: "findings-per-file", bounds: "findings reported for one design file",
              whenHit: "the first ones in report order are kept, and one `over-limit` note says how many more there were", keyPath: \.findingsPerFile),
        Entry(name: "baseline-entries", bounds: "entries in a baseline file",
              whenHit: "exit 2, naming the baseline", keyPath: \.baselineEntries),
        Entry(name: "did-you-mean", bounds: "work spent on did-you-mean hints for one design (candidates looked at plus edit-distance cells), so that hints are never quadratic in the unknown names",
              whenHit: "later misspellings are reported without a hint", keyPath: \.didYouMeanWork),
        Entry(name: "log-events", bounds: "events `calibrate` reads from its logs, all together (memory follows the events: about 200 MB a million)",
              whenHit: "exit 2, naming the file and line of the first event over it", keyPath: \.logEvents),
    ]

    public static func entry(named name: String) -> Entry? { all.first { $0.name == name } }

    public subscript(entry: Entry) -> Int {
        get { self[keyPath: entry.keyPath] }
        set { self[keyPath: entry.keyPath] = newValue }
    }

    /// Reads `NAME=VALUE` (as `--limit` takes it) into these limits, or says what is wrong.
    public mutating func set(_ assignment: String) -> String? {
        let names = Limits.all.map(\.name).joined(separator: ", ")
        guard let equals = assignment.firstIndex(of: "=") else { return "write NAME=VALUE, such as `stages=50000` (NAME is one of \(names))" }
        let name = String(assignment[..<equals])
        guard let entry = Limits.entry(named: name) else {
            return "`\(name)` is not a limit\(DidYouMean.hint(for: name, among: Limits.all.map(\.name))); the limits are \(names)"
        }
        let text = String(assignment[assignment.index(after: equals)...].filter { $0 != "_" })
        guard let value = Int(text), value >= 1, value <= Int(Int32.max) else {
            return "limit `\(name)` takes a whole number from 1 to \(Int32.max), not `\(assignment[assignment.index(after: equals)...])`"
        }
        self[entry] = value
        return nil
    }

    /// The YAML reader's part.
    public var yaml: YAMLLimits {
        YAMLLimits(maxDepth: nesting, maxAliasNodes: aliasNodes, maxFileBytes: fileBytes, maxScalarBytes: scalarBytes)
    }

    /// The help text that `over-limit` findings end with.
    public static func raise(_ name: String) -> String {
        "raise it with `--limit \(name)=N` on the command line if this input is meant to be this large"
    }
}
