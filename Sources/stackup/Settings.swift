import ArgumentParser
import Foundation
import StackupCore

/// Options that `.stackup.yml` can also set; a flag given on the command line wins.
struct PolicyOptions: ParsableArguments {
    @Option(help: "Configuration file (default: the nearest .stackup.yml up to the repository root).")
    var config: String?

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 1 (default error).")
    var failOn: Severity?

    @Option(help: "Folder that includes must stay inside (default: each design's own folder).")
    var root: String?

    // Unconditional parsing, so that `--seed -1` is read as a (bad) value, not a missing one.
    @Option(parsing: .unconditional, help: "Seed for everything sampled (default 1).", transform: PolicyOptions.seed)
    var seed: UInt64?

    @Option(help: "Customers sampled for the statistical analyses (default 20000).")
    var samples: Int?

    @OptionGroup var limitOptions: LimitOptions

    /// A seed: a whole number from 0 to 2^64 − 1.
    static func seed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else { throw ValidationError("--seed takes a whole number from 0 to \(UInt64.max)") }
        return value
    }

    func validate() throws {
        if let samples, samples < 1 || samples > 10_000_000 {
            throw ValidationError("--samples must be between 1 and 10000000")
        }
    }
}

/// `--limit NAME=VALUE`, for every command that reads a design.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("limit"), help: ArgumentHelp("Raise or lower one of the limits in docs/limits.md; repeatable. Only the command line can set them.", valueName: "name=value"),
            transform: LimitOptions.check)
    var assignments: [String] = []

    /// Checks `NAME=VALUE` as it is parsed, so that a bad one is a usage error naming it.
    static func check(_ text: String) throws -> String {
        var limits = Limits.default
        if let problem = limits.set(text) { throw ValidationError(problem) }
        return text
    }

    /// The limits with every `--limit` applied, in order.
    var limits: Limits {
        var limits = Limits.default
        for assignment in assignments { _ = limits.set(assignment) }
        return limits
    }
}

/// The settings a run uses: flags, then the configuration file, then the defaults.
struct Settings {
    var configuration: Configuration?
    var failOn: Severity
    /// Canonical; nil means each design's own folder.
    var rootFolder: String?
    var checkOptions: CheckOptions

    init(_ options: PolicyOptions) throws {
        let configuration = try Settings.loadConfiguration(options.config)
        self.configuration = configuration
        failOn = options.failOn ?? configuration?.failOn ?? .error
        let limits = options.limitOptions.limits
        if options.samples == nil, let configuration, let samples = configuration.samples, samples > limits.configSamples {
            throw UsageError("`samples: \(samples)` in \(configuration.file ?? Configuration.fileName) is over the limit of \(limits.configSamples) that a configuration may ask for (`config-samples`); pass --samples on the command line, or raise the limit with `--limit config-samples=N`")
        }
        checkOptions = CheckOptions(seed: options.seed ?? configuration?.seed ?? 1,
                                    samples: options.samples ?? configuration?.samples ?? 20_000,
                                    limits: options.limitOptions.limits,
                                    rules: configuration?.rules ?? [:])
        let root = options.root ?? configuration?.root
        if let root {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
                  let canonical = DiskSourceProvider().canonicalPath(root) else {
                let origin = options.root == nil ? " (set by `root` in \(configuration?.file ?? Configuration.fileName))" : ""
                throw UsageError("--root `\(root)`\(origin) is not a folder")
            }
            // Textually inside (checked when parsed) is not enough: a symlink can lead out.
            if options.root == nil, let configuration {
                let folder = DiskSourceProvider().canonicalPath(configuration.folder) ?? configuration.folder
                guard PathUtilities.isInside(canonical, folder) else {
                    throw UsageError("`root: \(root)` in \(configuration.file ?? Configuration.fileName) leads outside the folder that holds it (through a symlink); only `--root` on the command line may")
                }
            }
            rootFolder = canonical
        } else {
            rootFolder = nil
        }
    }

    /// The folder every output names files relative to: `--base-path`, or the repository root
    /// (the nearest folder above the working folder that holds `.git`), or the working folder.
    static func basePath(_ explicit: String?) throws -> String {
        let provider = DiskSourceProvider()
        if let explicit {
            guard let canonical = provider.canonicalPath(explicit) else { throw UsageError("--base-path `\(explicit)` is not a folder") }
            return canonical
        }
        let cwd = provider.canonicalPath(".") ?? PathUtilities.currentDirectory()
        return repositoryRoot(of: cwd) ?? cwd
    }

    /// `file` as outputs name it: relative to `base` with `/` separators when it lies inside,
    /// absolute otherwise. The file's own name is kept (a symlink is named as such).
    static func displayName(_ file: String, base: String) -> String {
        let placed = DiskSourceProvider().placedPath(file)
        guard PathUtilities.isInside(placed, base), placed != base else { return placed }
        return PathUtilities.relative(placed, to: base)
    }

    /// The folder whose includes `file` may read.
    func rootFolder(for file: String, provider: any SourceProvider = DiskSourceProvider()) -> String {
        rootFolder ?? provider.canonicalPath(PathUtilities.directory(of: file)) ?? "/"
    }

    /// Whether `exclude` in the configuration leaves `file` out.
    func isExcluded(_ file: String) -> Bool {
        guard let configuration, !configuration.exclude.isEmpty else { return false }
        let absolute = DiskSourceProvider().canonicalPath(file) ?? PathUtilities.normalize(PathUtilities.absolute(file))
        return configuration.excludes(absolute)
    }

    /// The design files named by `paths`, without the excluded ones.
    func designFiles(_ paths: [String]) throws -> [String] {
        try DesignDiscovery.files(for: paths.isEmpty ? ["."] : paths).filter { !isExcluded($0) }
    }

    /// Reads `--config`, or the discovered `.stackup.yml`; nil when there is none. A problem in
    /// it is a usage error (exit 2) that names its place.
    static func loadConfiguration(_ explicit: String?) throws -> Configuration? {
        let provider = DiskSourceProvider()
        let path: String
        if let explicit {
            path = explicit
        } else {
            let cwd = provider.canonicalPath(".") ?? PathUtilities.currentDirectory()
            guard let found = Configuration.discover(from: cwd, exists: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
            path = found
        }
        return try loadChain(path, chain: [])
    }

    /// Reads one configuration and, through `extends`, the ones below it, merged. A base must
    /// lie inside the repository that holds the file extending it (the checked tree may come
    /// from a pull request); a cycle or a chain deeper than 8 is an error.
    static func loadChain(_ path: String, chain: [String]) throws -> Configuration {
        let provider = DiskSourceProvider()
        let (canonical, bytes) = try readFile(path, what: "configuration", limit: 1 << 20)
        let display = PathUtilities.display(canonical, provider: provider)
        var configuration: Configuration
        switch Configuration.parse(bytes, file: display, folder: PathUtilities.directory(of: canonical)) {
        case .success(let c): configuration = c
        case .failure(let problems): throw problemsError(problems, what: "configuration")
        }
        guard let base = configuration.extends else { return configuration }
        let place = configuration.extendsLocation.map { "\($0): " } ?? ""
        guard let baseCanonical = provider.canonicalPath(base) else { throw UsageError("\(place)`extends` names `\(base)`, which does not exist") }
        let repository = repositoryRoot(of: PathUtilities.directory(of: canonical)) ?? PathUtilities.directory(of: canonical)
        guard PathUtilities.isInside(baseCanonical, repository) else {
            throw UsageError("\(place)`extends` leads outside the repository `\(repository)`; a shared configuration must live inside it")
        }
        let visited = chain + [canonical]
        if visited.contains(baseCanonical) {
            let cycle = (visited + [baseCanonical]).map { PathUtilities.display($0, provider: provider) }.joined(separator: " → ")
            throw UsageError("\(place)`extends` forms a cycle: \(cycle)")
        }
        guard visited.count < 8 else { throw UsageError("\(place)`extends` chains more than 8 configurations") }
        return configuration.merged(over: try loadChain(baseCanonical, chain: visited))
    }

    /// The nearest folder at or above `folder` that holds `.git`.
    static func repositoryRoot(of folder: String) -> String? {
        var current = folder
        while true {
            if FileManager.default.fileExists(atPath: PathUtilities.join(current, ".git")) { return current }
            if current == "/" { return nil }
            current = PathUtilities.directory(of: current)
        }
    }

    /// What the frontend checks: each file with its display name, its options and its root.
    func plan(_ files: [String], base: String) -> [CheckFrontend.File] {
        files.map { CheckFrontend.File(path: $0, displayName: Settings.displayName($0, base: base), options: options(for: $0), rootFolder: rootFolder(for: $0)) }
    }

    /// The options to check the design at `file` with: the configuration's overrides applied.
    func options(for file: String) -> CheckOptions {
        var options = checkOptions
        if let configuration {
            let absolute = DiskSourceProvider().canonicalPath(file) ?? PathUtilities.normalize(PathUtilities.absolute(file))
            options.rules = configuration.rules(for: absolute)
        }
        return options
    }

    /// A settings file's canonical path and bytes; a missing or unreadable file exits 2.
    static func readFile(_ path: String, what: String, limit: Int) throws -> (canonical: String, bytes: [UInt8]) {
        let provider = DiskSourceProvider()
        guard let canonical = provider.canonicalPath(path) else { throw UsageError("\(what) `\(path)`: no such file") }
        switch provider.read(canonical, limit: limit) {
        case .success(let bytes): return (canonical, bytes)
        case .failure(let e): throw UsageError("\(what) `\(path)`: \(e.message)")
        }
    }

    /// Every problem of a settings file, located, as one usage error.
    static func problemsError(_ problems: Configuration.Problems, what: String) -> UsageError {
        let lines = problems.lines
        let summary = "stackup: the \(what) has \(problems.problems.count == 1 ? "a problem" : "\(problems.problems.count) problems"); nothing was checked"
        return UsageError(lines.first ?? "the \(what) has a problem", moreLines: lines.dropFirst().map { "error: \($0)" } + [summary])
    }
}

/// Reading and writing baseline files; a problem is a usage error (exit 2).
enum BaselineFile {
    /// The absolute folder of `path`, which need not exist yet.
    static func folder(of path: String) -> String {
        let folder = PathUtilities.directory(of: PathUtilities.normalize(PathUtilities.absolute(path)))
        return DiskSourceProvider().canonicalPath(folder) ?? folder
    }

    static func read(_ path: String, limits: Limits) throws -> Baseline {
        let (canonical, bytes) = try Settings.readFile(path, what: "baseline", limit: limits.fileBytes)
        switch Baseline.parse(bytes, file: path, folder: PathUtilities.directory(of: canonical), limits: limits) {
        case .success(let baseline): return baseline
        case .failure(let problems): throw Settings.problemsError(problems, what: "baseline")
        }
    }

    static func write(_ baseline: Baseline, to path: String) throws(UsageError) {
        try Output.file(baseline.encoded(), to: path, what: "the baseline")
    }
}
