import StackupYAML

/// `.stackup.yml`: project settings that the command line can override.
public struct Configuration: Sendable, Equatable {
    /// The file as shown to users, or nil for the built-in defaults.
    public var file: String?
    /// The absolute folder that `root` and `exclude` are relative to.
    public var folder: String
    public var rules: [String: RuleLevel] = [:]
    public var failOn: Severity?
    /// Absolute and normalized.
    public var root: String?
    public var samples: Int?
    public var seed: UInt64?
    package var exclude: [Glob] = []
    /// `extends`: the base configuration this one builds on (absolute, normalized), and where
    /// it is written. The CLI reads it and merges (`merged(over:)`).
    public var extends: String?
    public var extendsLocation: Location?
    /// `overrides`: rule levels for the designs whose paths match, in order (later wins).
    public var overrides: [Override] = []

    /// One entry of `overrides`.
    public struct Override: Sendable, Equatable {
        var files: [Glob]
        var rules: [String: RuleLevel]
        /// The folder `files` are relative to: the configuration's that wrote it.
        var folder: String

        /// Whether the design at `absolutePath` matches.
        func matches(_ absolutePath: String) -> Bool {
            let path = PathUtilities.normalize(absolutePath)
            let base = PathUtilities.normalize(folder)
            guard PathUtilities.isInside(path, base), path != base else { return false }
            let relative = base == "/" ? String(path.dropFirst()) : String(path.dropFirst(base.count + 1))
            return files.contains { $0.matches(relative) }
        }
    }

    /// The rule levels for the design at `absolutePath`: `rules`, then each matching override.
    public func rules(for absolutePath: String) -> [String: RuleLevel] {
        var levels = rules
        for o in overrides where o.matches(absolutePath) { levels.merge(o.rules) { _, new in new } }
        return levels
    }

    /// This configuration on top of `base`: each setting this one gives wins, rule levels merge
    /// rule by rule, `exclude` patterns and `overrides` of both apply (the base's first).
    public func merged(over base: Configuration) -> Configuration {
        var out = self
        out.rules = base.rules.merging(rules) { _, mine in mine }
        out.failOn = failOn ?? base.failOn
        out.root = root ?? base.root
        out.samples = samples ?? base.samples
        out.seed = seed ?? base.seed
        out.docsURL = docsURL ?? base.docsURL
        out.calibrateMap = base.calibrateMap.merging(calibrateMap) { _, mine in mine }
        out.calibrateMapLocations = base.calibrateMapLocations.merging(calibrateMapLocations) { _, mine in mine }
        out.overrides = base.overrides + overrides
        out.baseExcludes = base.baseExcludes + [FolderPatterns(folder: base.folder, patterns: base.exclude)]
        return out
    }

    /// The `exclude` patterns of the configurations this one extends, each with its folder.
    var baseExcludes: [FolderPatterns] = []

    struct FolderPatterns: Sendable, Equatable {
        var folder: String
        var patterns: [Glob]
    }
    /// `docs-url`: where the rule docs live, for SARIF's `helpUri` (`<docs-url>#<rule-id>`).
    public var docsURL: String?
    /// `calibrate.map`: log activity → stage id, for `calibrate` (the command line's `--map` wins).
    public var calibrateMap: [String: String] = [:]
    /// Where each activity of `calibrate.map` is written, for messages about it.
    public var calibrateMapLocations: [String: Location] = [:]

    public static let fileName = ".stackup.yml"
    public static let keys = ["extends", "rules", "overrides", "fail-on", "root", "samples", "seed", "exclude", "docs-url", "calibrate"]

    public init(file: String? = nil, folder: String) {
        self.file = file
        self.folder = folder
    }

    /// Whether `absolutePath` lies under the configuration's folder and matches an `exclude`
    /// (or under a base configuration's folder and matches one of its patterns).
    public func excludes(_ absolutePath: String) -> Bool {
        ([FolderPatterns(folder: folder, patterns: exclude)] + baseExcludes).contains { entry in
            let (folder, patterns) = (entry.folder, entry.patterns)
            let path = PathUtilities.normalize(absolutePath)
            let base = PathUtilities.normalize(folder)
            let prefix = base == "/" ? "/" : base + "/"
            guard path.hasPrefix(prefix) else { return false }
            let relative = String(path.dropFirst(prefix.count))
            return patterns.contains { $0.matches(relative) }
        }
    }

    /// Every problem in a configuration file, located. Any one of them stops the run.
    package struct Problems: Error, Sendable {
        package var problems: [(location: Location, message: String)]

        /// One line per problem: `file:line:col: message`.
        package var lines: [String] { problems.map { "\($0.location): \($0.message)" } }

        init(problems: [(location: Location, message: String)]) { self.problems = problems }

        init(_ findings: [Finding]) {
            problems = findings.sorted(by: Finding.reportOrder).map { ($0.location, $0.message) }
        }

        /// Parses a settings file (configuration, baseline) and reads its root with `read`,
        /// collecting every problem, duplicate keys included; any of them fails the whole file.
        static func reading<T>(_ bytes: [UInt8], file: String, limits: YAMLLimits, syntaxPrefix: String = "",
                               _ read: (YAMLNode?, NodeReader) -> T) -> Result<T, Problems> {
            let document: YAMLDocument
            do {
                document = try YAMLParser.parseDocument(bytes, limits: limits)
            } catch {
                let finding = InvalidYamlRule.finding(for: error, file: file, text: SourceText(bytes))
                return .failure(Problems(problems: [(finding.location, syntaxPrefix + finding.message)]))
            }
            let diagnostics = Diagnostics()
            for duplicate in document.duplicateKeys {
                diagnostics.add(SchemaRule.finding(.duplicateKey(duplicate.message), at: Location(file: file, span: duplicate.span)))
            }
            let value = read(document.root, NodeReader(file: file, diagnostics: diagnostics))
            return diagnostics.findings.isEmpty ? .success(value) : .failure(Problems(diagnostics.findings))
        }
    }

    /// Reads a configuration file. `folder` is the absolute folder it lives in.
    package static func parse(_ bytes: [UInt8], file: String, folder: String, limits: YAMLLimits = .default) -> Result<Configuration, Problems> {
        Problems.reading(bytes, file: file, limits: limits) { root, reader in
            var configuration = Configuration(file: file, folder: folder)
            // An empty file is a configuration with every default.
            if let root, !root.isNull, let fields = reader.fields(root, "the configuration", known: keys) {
                configuration.read(fields, reader)
            }
            return configuration
        }
    }

    mutating func read(_ fields: Fields, _ reader: NodeReader) {
        if let node = fields["extends"], let path = reader.string(node, "`extends`") {
            if path.isEmpty || path.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                reader.schema(.mustBe("`extends`", "the path of a configuration file"), node)
            } else {
                extends = PathUtilities.join(folder, path)
                extendsLocation = reader.location(node)
            }
        }
        if let node = fields["rules"] { rules = Self.ruleLevels(node, reader, what: "`rules`") }
        if let node = fields["overrides"] {
            guard let items = node.sequence else {
                reader.schema(.mustBe("`overrides`", "a list of `{files: [GLOB…], rules: {RULE: LEVEL}}`", not: node.kindDescription), node)
                return
            }
            for item in items {
                guard let f = reader.fields(item, "an override", known: ["files", "rules"], required: ["files", "rules"]),
                      let list = f["files"].flatMap({ reader.stringList($0, "`files`") }), let levels = f["rules"] else { continue }
                var globs: [Glob] = []
                for pattern in list {
                    do { globs.append(try Glob(pattern.value)) } catch {
                        reader.diagnostics.add(SchemaRule.finding(.badPattern(in: "files", error.message), at: pattern.location))
                    }
                }
                overrides.append(Override(files: globs, rules: Self.ruleLevels(levels, reader, what: "the override's `rules`"), folder: folder))
            }
        }
        readSettings(fields, reader)
    }

    /// A map of rule id → level, each problem reported where it is written.
    static func ruleLevels(_ node: YAMLNode, _ reader: NodeReader, what: String) -> [String: RuleLevel] {
        var rules: [String: RuleLevel] = [:]
        for (id, key, value) in reader.namedEntries(node, what) {
            guard RuleRegistry.rule(id) != nil else {
                reader.schema(.unknownRule(id, hint: DidYouMean.hint(for: id, among: RuleRegistry.ids)), key, help: RuleMessage<SchemaRule>.rulesHelp)
                continue
            }
            guard let level = reader.choice(value, "the level of `\(id)`", ["error", "warning", "note", "off"]) else { continue }
            if level == "off" {
                guard !RuleRegistry.loadingRuleIds.contains(id) else {
                    reader.schema(.cannotTurnOff(id), value)
                    continue
                }
                rules[id] = .off
            } else if let severity = Severity(rawValue: level) {
                rules[id] = .on(severity)
            }
        }
        return rules
    }

    mutating func readSettings(_ fields: Fields, _ reader: NodeReader) {
        if let node = fields["calibrate"], let f = reader.fields(node, "`calibrate`", known: ["map"]), let map = f["map"] {
            for (activity, key, value) in reader.namedEntries(map, "`calibrate.map`") {
                guard let stage = reader.string(value, "the stage `\(activity)` maps to") else { continue }
                calibrateMap[activity] = stage
                calibrateMapLocations[activity] = reader.location(key)
            }
        }
        if let node = fields["fail-on"], let level = reader.choice(node, "`fail-on`", ["error", "warning", "note"]) {
            failOn = Severity(rawValue: level)
        }
        if let node = fields["root"], let path = reader.string(node, "`root`") {
            if path.isEmpty || path.utf8.contains(0) {
                reader.schema(.mustBe("`root`", "a folder path"), node)
            } else if !PathUtilities.isInside(PathUtilities.join(folder, path), PathUtilities.normalize(folder)) {
                // The file may come from a pull request; only the command line may widen the root.
                reader.schema(.rootOutside(path), node)
            } else {
                root = PathUtilities.join(folder, path)
            }
        }
        if let node = fields["samples"], let n = reader.integer(node, "`samples`", min: 1, max: 10_000_000) {
            samples = n
        }
        if let node = fields["seed"], let n = reader.integer(node, "`seed`", min: 0, max: Int.max) {
            seed = UInt64(n)
        }
        if let node = fields["docs-url"], let url = reader.string(node, "`docs-url`") {
            if url.hasPrefix("https://") || url.hasPrefix("http://"), !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                docsURL = url
            } else {
                reader.schema(.badDocsURL, node)
            }
        }
        if let node = fields["exclude"], let patterns = reader.stringList(node, "`exclude`") {
            for pattern in patterns {
                do {
                    exclude.append(try Glob(pattern.value))
                } catch {
                    reader.diagnostics.add(SchemaRule.finding(.badPattern(in: "exclude", error.message), at: pattern.location))
                }
            }
        }
    }

    /// The configuration file that applies in `folder`: the nearest `.stackup.yml` in it or a
    /// folder above, stopping at the repository root (the first folder holding `.git`).
    /// `exists` says whether a path exists; it is passed in so that tests need no disk.
    public static func discover(from folder: String, exists: (String) -> Bool) -> String? {
        var current = PathUtilities.normalize(folder)
        while true {
            let candidate = PathUtilities.join(current, fileName)
            if exists(candidate) { return candidate }
            if exists(PathUtilities.join(current, ".git")) || current == "/" { return nil }
            current = PathUtilities.directory(of: current)
        }
    }
}
