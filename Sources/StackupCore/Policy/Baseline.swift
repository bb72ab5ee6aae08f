import StackupYAML

/// What identifies a finding across edits: rule, file, stage, path and a signature of the
/// message with its figures removed. Never a line number, so that an edit elsewhere in the
/// file, or a changed figure, does not make an old finding look new.
public struct FindingKey: Hashable, Sendable, Comparable {
    public var rule: String
    public var file: String
    public var stage: String?
    public var path: [String]?
    public var signature: String

    public init(rule: String, file: String, stage: String?, path: [String]?, signature: String) {
        self.rule = rule
        self.file = file
        self.stage = stage
        self.path = path
        self.signature = signature
    }

    /// The key of `finding`, with its file named as `file` (e.g. relative to a baseline).
    public init(_ finding: Finding, file: String) {
        self.init(rule: finding.rule, file: file, stage: finding.stage, path: finding.path,
                  signature: StableHash.hex(FindingKey.signatureText(finding)))
    }

    /// What the signature hashes: the finding's subject, or else its message without figures.
    public static func signatureText(_ finding: Finding) -> String {
        finding.subject ?? figureless(finding.message)
    }

    /// The message with each number (digits with their points and commas) replaced by `#`:
    /// figures move with every edit, the words do not.
    static func figureless(_ message: String) -> String {
        var out = String.UnicodeScalarView()
        var run = String.UnicodeScalarView()
        var runHasDigit = false
        func flush() {
            if runHasDigit { out.append("#") } else { out.append(contentsOf: run) }
            run = String.UnicodeScalarView()
            runHasDigit = false
        }
        for scalar in message.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                run.append(scalar)
                runHasDigit = true
            } else if scalar == "." || scalar == "," {
                run.append(scalar)
            } else {
                flush()
                out.append(scalar)
            }
        }
        flush()
        return String(out)
    }

    public static func < (a: FindingKey, b: FindingKey) -> Bool {
        (a.file, a.rule, a.stage ?? "", (a.path ?? []).joined(separator: "\u{1F}"), a.signature)
            < (b.file, b.rule, b.stage ?? "", (b.path ?? []).joined(separator: "\u{1F}"), b.signature)
    }
}

/// A 64-bit FNV-1a hash as 16 hex digits: the same on every platform and run.
public enum StableHash {
    public static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Matches findings against a multiset of keys, one finding per entry: the core of both
/// baselines and `stackup diff`.
enum KeyMatching {
    /// Splits `findings` into those with a matching entry and those without, and returns the
    /// entries nothing matched.
    static func match<Entry>(_ findings: [Finding], key: (Finding) -> FindingKey,
                                    against entries: [Entry], entryKey: (Entry) -> FindingKey)
        -> (matched: [Finding], unmatched: [Finding], leftover: [Entry]) {
        var pool: [FindingKey: [Int]] = [:]
        for (i, entry) in entries.enumerated() { pool[entryKey(entry), default: []].append(i) }
        var used = [Bool](repeating: false, count: entries.count)
        var matched: [Finding] = []
        var unmatched: [Finding] = []
        for finding in findings {
            let k = key(finding)
            if var slots = pool[k], let slot = slots.popLast() {
                pool[k] = slots
                used[slot] = true
                matched.append(finding)
            } else {
                unmatched.append(finding)
            }
        }
        let leftover = entries.indices.filter { !used[$0] }.map { entries[$0] }
        return (matched, unmatched, leftover)
    }
}

/// A recorded set of accepted findings (`--write-baseline`, `--baseline`).
public struct Baseline: Sendable {
    public struct Entry: Sendable {
        public var key: FindingKey
        /// For people reading the file; not matched on.
        var message: String
        /// Where the entry is written in the baseline file, when it was read from one.
        public var location: Location?
    }

    public var entries: [Entry]
    /// The absolute folder that entry paths are relative to: the baseline file's.
    public var folder: String
    /// The absolute folder that findings' file names are relative to (the repository root, as
    /// the CLI names files); nil for the working folder.
    public var displayBase: String?

    public init(entries: [Entry], folder: String) {
        self.entries = entries
        self.folder = folder
    }

    /// A baseline holding `findings`, for a file in `folder`.
    public init(findings: [Finding], folder: String, displayBase: String? = nil) {
        // Keys are relative to the folder: set it first, then key the findings.
        self.init(entries: [], folder: folder)
        self.displayBase = displayBase
        entries = findings.map { Entry(key: key(for: $0), message: $0.message, location: nil) }
            .sorted { ($0.key, $0.message) < ($1.key, $1.message) }
    }

    /// The key of a finding, its file made relative to the baseline's folder.
    public func key(for finding: Finding) -> FindingKey {
        FindingKey(finding, file: file(finding.location.file))
    }

    /// A file as entries name it: relative to the baseline's folder.
    public func file(_ displayPath: String) -> String {
        let absolute = displayBase.map { PathUtilities.join($0, displayPath) } ?? PathUtilities.absolute(displayPath)
        return Baseline.relativePath(PathUtilities.normalize(absolute), from: folder)
    }

    /// `path` relative to `folder`, with `..` where it lies outside.
    static func relativePath(_ path: String, from folder: String) -> String {
        let p = path.split(separator: "/")
        let f = folder.split(separator: "/")
        var common = 0
        while common < p.count, common < f.count, p[common] == f[common] { common += 1 }
        let ups = Array(repeating: "..", count: f.count - common)
        let rest = p[common...].map(String.init)
        let joined = (ups + rest).joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    /// Findings not in the baseline, how many were, and the entries no finding matched.
    public func apply(to findings: [Finding]) -> (new: [Finding], known: Int, fixed: [Entry]) {
        let result = KeyMatching.match(findings, key: key(for:), against: entries, entryKey: \.key)
        return (result.unmatched, result.matched.count, result.leftover)
    }

    /// The findings the baseline holds, which outputs hide (SARIF shows them suppressed).
    public func known(in findings: [Finding]) -> [Finding] {
        KeyMatching.match(findings, key: key(for:), against: entries, entryKey: \.key).matched
    }

    /// The file's text: JSON, one entry per line so that reviews show what changed.
    public func encoded() -> String {
        var out = "{\n  \"version\": 1,\n  \"tool\": \"stackup\",\n  \"findings\": ["
        for (i, entry) in entries.enumerated() {
            let k = entry.key
            let path = k.path.map { "[" + $0.map(Baseline.quote).joined(separator: ", ") + "]" } ?? "null"
            out += i == 0 ? "\n" : ",\n"
            out += "    {\"rule\": \(Baseline.quote(k.rule)), \"file\": \(Baseline.quote(k.file)), "
                + "\"stage\": \(k.stage.map(Baseline.quote) ?? "null"), \"path\": \(path), "
                + "\"signature\": \(Baseline.quote(k.signature)), \"message\": \(Baseline.quote(entry.message))}"
        }
        out += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// A JSON string literal that YAML reads back the same (no `\/`, control characters as `\u`).
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Reads a baseline file; any problem is located and stops the run.
    package static func parse(_ bytes: [UInt8], file: String, folder: String, limits: Limits = .default) -> Result<Baseline, Configuration.Problems> {
        Configuration.Problems.reading(bytes, file: file, limits: limits.yaml, syntaxPrefix: "not a baseline: ") { root, reader in
            guard let root else {
                reader.diagnostics.add(SchemaRule.finding(.emptyBaseline, at: Location(file: file, span: Span(at: .start))))
                return Baseline(entries: [], folder: folder)
            }
            guard let fields = reader.fields(root, "the baseline", known: ["version", "tool", "findings"], required: ["version", "findings"]) else {
                return Baseline(entries: [], folder: folder)
            }
            if let v = fields["version"], let n = reader.integer(v, "`version`"), n != 1 {
                reader.schema(.baselineVersion(n), v)
            }
            guard let list = fields["findings"] else { return Baseline(entries: [], folder: folder) }
            guard let items = list.sequence else {
                reader.schema(.mustBe("`findings`", "a list", not: list.kindDescription), list)
                return Baseline(entries: [], folder: folder)
            }
            guard items.count <= limits.baselineEntries else {
                reader.diagnostics.add(OverLimitRule.finding(.baselineEntries(items.count, limit: limits.baselineEntries),
                                                             at: reader.location(items[limits.baselineEntries])))
                return Baseline(entries: [], folder: folder)
            }
            return Baseline(entries: items.compactMap { entry($0, reader) }, folder: folder)
        }
    }

    /// One entry of a baseline file, or nil after reporting why not.
    static func entry(_ item: YAMLNode, _ reader: NodeReader) -> Entry? {
        guard let f = reader.fields(item, "a baseline entry", known: ["rule", "file", "stage", "path", "signature", "message"],
                                    required: ["rule", "file", "signature"]),
              let rule = f["rule"].flatMap({ reader.string($0, "`rule`") }),
              let path = f["file"].flatMap({ reader.string($0, "`file`") }),
              let signature = f["signature"].flatMap({ reader.string($0, "`signature`") }) else { return nil }
        let stage = f["stage"].flatMap { $0.isNull ? nil : reader.string($0, "`stage`") }
        // Not `stringList`: a path may pass a stage twice.
        let steps: [String]? = f["path"].flatMap { node in
            if node.isNull { return nil }
            guard let items = node.sequence else {
                reader.schema(.mustBe("`path`", "a list of names", not: node.kindDescription), node)
                return nil
            }
            return items.compactMap { reader.string($0, "each step of `path`") }
        }
        let message = f["message"].flatMap { reader.string($0, "`message`") } ?? ""
        return Entry(key: FindingKey(rule: rule, file: path, stage: stage, path: steps, signature: signature),
                     message: message, location: reader.location(item))
    }
}
