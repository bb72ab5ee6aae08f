import Foundation
import StackupYAML

/// Collects findings while a design loads. A class, so that every reader of every file
/// appends to the one list.
package final class Diagnostics {
    package var findings: [Finding] = []
    /// Comments of each file read, by display path: suppressions live in them.
    var comments: [String: [YAMLComment]] = [:]
    let limits: Limits
    /// What is left of the did-you-mean work for this design (see `Limits.didYouMeanWork`).
    var hintWork: Int
    /// Set when the design went over a limit: loading stops, and nothing is analysed.
    private(set) var overLimit = false

    init(limits: Limits = .default) {
        self.limits = limits
        hintWork = limits.didYouMeanWork
    }

    func add(_ finding: Finding) { findings.append(finding) }

    /// "; did you mean `x`?" or nothing, within the design's did-you-mean budget.
    func hint(for name: String, among candidates: [String]) -> String {
        DidYouMean.hint(for: name, among: candidates, work: &hintWork)
    }

    /// Reports that the design has more `what` than the limit `name` allows, at the first one
    /// over it, and stops loading.
    func exceeded(_ name: String, count: Int? = nil, what: String, at location: Location) {
        let limit = Limits.entry(named: name).map { limits[$0] } ?? 0
        let message: RuleMessage<OverLimitRule> = count.map { .counted($0, what, limit: limit, name: name) } ?? .stopped(what, limit: limit, name: name)
        add(OverLimitRule.finding(message, at: location, help: Limits.raise(name)))
        overLimit = true
    }
}

/// The keys of one YAML map, read with its unknown keys and missing required keys reported.
/// Nodes by key for one map of the format: a handful of keys, so a list to scan beats a
/// dictionary to hash (the dictionaries were a tenth of loading a large design).
package struct SmallNodeMap {
    private var keys: [String] = []
    private var nodes: [YAMLNode] = []

    package subscript(_ key: String) -> YAMLNode? {
        get { keys.firstIndex(of: key).map { nodes[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { nodes[i] = newValue } else { keys.remove(at: i); nodes.remove(at: i) }
            } else if let newValue {
                keys.append(key)
                nodes.append(newValue)
            }
        }
    }
}

package struct Fields {
    let node: YAMLNode
    /// The keys the map may have: reading any other is a bug in the reader, caught by the tests.
    let declared: [String]
    package var values = SmallNodeMap()
    var keyNodes = SmallNodeMap()
    /// Keys in the order written.
    var order: [String] = []

    subscript(_ key: String) -> YAMLNode? {
        assert(declared.contains(key), "`\(key)` is read but not declared")
        return values[key]
    }
}

/// Typed reading of YAML nodes for one file, reporting `schema` findings for every problem
/// and returning nil for values it could not read.
package struct NodeReader {
    let file: String
    let diagnostics: Diagnostics

    package func location(_ node: YAMLNode) -> Location { Location(file: file, span: node.span) }

    func schema(_ message: RuleMessage<SchemaRule>, _ node: YAMLNode, help: String? = nil) {
        diagnostics.add(SchemaRule.finding(message, at: location(node), help: help))
    }

    /// A map of the design format, with the keys the format's table gives it.
    func fields(_ node: YAMLNode, _ what: String, _ keys: FormatKeys) -> Fields? {
        fields(node, what, known: keys.names, required: keys.required)
    }

    /// A map's keys; reports a non-map, keys that are not strings, unknown and missing keys.
    func fields(_ node: YAMLNode, _ what: String, known: [String], required: [String] = []) -> Fields? {
        guard let pairs = node.mapping else {
            schema(.mustBe(what, "a map", not: node.kindDescription), node)
            return nil
        }
        var fields = Fields(node: node, declared: known)
        for pair in pairs {
            guard let key = pair.key.scalar else {
                schema(.keysMustBeNames(what, not: pair.key.kindDescription), pair.key)
                continue
            }
            guard known.contains(key) else {
                schema(.unknownKey(key, in: what, hint: DidYouMean.hint(for: key, among: known)), pair.key, help: RuleMessage.takes(what, known))
                continue
            }
            fields.values[key] = pair.value
            fields.keyNodes[key] = pair.key
            fields.order.append(key)
        }
        for key in required where fields.values[key] == nil {
            schema(.missingKey(key, in: what), node)
        }
        return fields
    }

    /// A map with names chosen by the user (stage ids, entry names, …), in order.
    func namedEntries(_ node: YAMLNode, _ what: String) -> [(name: String, key: YAMLNode, value: YAMLNode)] {
        guard let pairs = node.mapping else {
            schema(.mustBe(what, "a map", not: node.kindDescription), node)
            return []
        }
        var out: [(String, YAMLNode, YAMLNode)] = []
        for pair in pairs {
            guard let name = pair.key.scalar, !name.isEmpty else {
                schema(.namesMustBeStrings(what, not: pair.key.kindDescription), pair.key)
                continue
            }
            // A control character in a name would reach terminals and CI logs in every message.
            if name.unicodeScalars.contains(where: NodeReader.isControl) {
                schema(.controlCharacters(what, shown: name.unicodeScalars.map { NodeReader.isControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()), pair.key)
                continue
            }
            out.append((name, pair.key, pair.value))
        }
        return out
    }

    func string(_ node: YAMLNode, _ what: String) -> String? {
        guard node.scalar != nil, !node.isNull else {
            schema(.mustBe(what, "a string", not: node.kindDescription), node)
            return nil
        }
        return node.scalar
    }

    /// A string that is one of a fixed set.
    func choice(_ node: YAMLNode, _ what: String, _ choices: [String]) -> String? {
        guard let s = string(node, what) else { return nil }
        guard choices.contains(s) else {
            schema(.notAChoice(what, choices, found: s, hint: DidYouMean.hint(for: s, among: choices)), node)
            return nil
        }
        return s
    }

    func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        if case .bool(let b) = CoreSchema.resolve(node), node.scalar != nil { return b }
        schema(.notABoolean(what, found: node.kindDescription, text: node.scalar), node)
        return nil
    }

    /// A finite number.
    func number(_ node: YAMLNode, _ what: String) -> Double? {
        guard node.scalar != nil else {
            schema(.mustBe(what, "a number", not: node.kindDescription), node)
            return nil
        }
        switch CoreSchema.resolve(node) {
        case .int(let i): return Double(i)
        case .float(let d):
            guard d.isFinite else {
                schema(.notFinite(what, node.scalar ?? ""), node)
                return nil
            }
            return d
        default:
            let text = node.scalar ?? ""
            if text.hasSuffix("%"), let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), percent.isFinite {
                schema(.percentage(what, text, plain: NumberFormatting.plain(percent / 100)), node)
                return nil
            }
            schema(.notANumber(what, found: node.kindDescription, text: text), node)
            return nil
        }
    }

    /// A whole number in a range.
    func integer(_ node: YAMLNode, _ what: String, min: Int = 0, max: Int = 1_000_000) -> Int? {
        guard node.scalar != nil, case .int(let i) = CoreSchema.resolve(node) else {
            if case .float(let d) = CoreSchema.resolve(node), node.scalar != nil, d.isFinite == false || d == d.rounded() {
                schema(.outOfRange(what, node.scalar ?? "", min: min, max: max), node)
            } else {
                schema(.mustBe(what, "a whole number", not: node.kindDescription), node)
            }
            return nil
        }
        guard i >= min, i <= max else {
            schema(.outOfRange(what, String(i), min: min, max: max), node)
            return nil
        }
        return i
    }

    /// C0 and C1 controls and DEL (a tab too: no name needs one).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// A list of strings; a single string is read as a one-item list.
    func stringList(_ node: YAMLNode, _ what: String) -> [Located<String>]? {
        if node.scalar != nil, !node.isNull, let s = node.scalar { return [Located(s, location(node))] }
        guard let items = node.sequence else {
            schema(.mustBe(what, "a list of names", not: node.kindDescription), node)
            return nil
        }
        var out: [Located<String>] = []
        // Each repeated value is reported once, at its second place, with how often it
        // appears: a list of 20,000 copies is one finding, not 19,999.
        var seen: [String: (first: YAMLNode, second: YAMLNode?, count: Int)] = [:]
        var repeated: [String] = []
        for item in items {
            guard let s = string(item, "each item of \(what)") else { continue }
            if var entry = seen[s] {
                if entry.second == nil {
                    entry.second = item
                    repeated.append(s)
                }
                entry.count += 1
                seen[s] = entry
                continue
            }
            seen[s] = (item, nil, 1)
            out.append(Located(s, location(item)))
        }
        for s in repeated {
            guard let entry = seen[s], let second = entry.second else { continue }
            diagnostics.add(SchemaRule.finding(.repeated(s, times: entry.count, in: what), at: location(second),
                                               related: [RelatedLocation(location(entry.first), RuleMessage<SchemaRule>.firstListed)]))
        }
        return out
    }

    func duration(_ node: YAMLNode, _ what: String) -> Duration? {
        guard let text = node.scalar, !node.isNull else {
            schema(.mustBe(what, "a duration such as `4h` or `2bd`", not: node.kindDescription), node)
            return nil
        }
        if case .int = CoreSchema.resolve(node), node.style == .plain {
            schema(.needsUnit(what, text), node)
            return nil
        }
        switch ValueParsers.duration(text) {
        case .success(let d): return d
        case .failure(.notPositive(let message)):
            diagnostics.add(InvalidSlaRule.finding(.notPositive(what, message), at: location(node)))
        case .failure(.syntax(let message)), .failure(.range(let message)):
            schema(.unreadable(what, message), node)
        }
        return nil
    }

    func rate(_ node: YAMLNode, _ what: String) -> Rate? {
        guard let text = node.scalar, !node.isNull else {
            schema(.mustBe(what, "a rate such as `400/week`", not: node.kindDescription), node)
            return nil
        }
        switch ValueParsers.rate(text) {
        case .success(let r): return r
        case .failure(.syntax(let m)), .failure(.range(let m)), .failure(.notPositive(let m)):
            schema(.unreadable(what, m), node)
            return nil
        }
    }

    static let timeSpecKeys = FormatKeys(FormatSchema.timeSpec)

    /// `{fixed: D}`, `{within: D}`, percentiles with an optional max, or a bare duration
    /// (read as `within`). Reports percentiles out of order as `invalid-sla`.
    func timeSpec(_ node: YAMLNode, _ what: String) -> TimeSpec? {
        if node.scalar != nil {
            return duration(node, what).map { TimeSpec.within($0) }
        }
        guard let f = fields(node, what, NodeReader.timeSpecKeys) else { return nil }
        let given = f.order
        if given.isEmpty {
            schema(.emptyTimeSpec(what), node)
            return nil
        }
        var durations: [String: Duration] = [:]
        var failed = false
        for key in given {
            guard let value = f[key] else { continue }
            if let d = duration(value, "\(what) `\(key)`") { durations[key] = d } else { failed = true }
        }
        for single in ["fixed", "within"] where given.contains(single) && given.count > 1 {
            schema(.standsAlone(what, single, others: given.filter { $0 != single }), f.keyNodes[single] ?? node)
            return nil
        }
        if given == ["max"] {
            schema(.maxAlone(what), f.keyNodes["max"] ?? node)
            return nil
        }
        if failed { return nil }
        if let d = durations["fixed"] { return .fixed(d) }
        if let d = durations["within"] { return .within(d) }
        checkOrder(durations, f, what)
        return .percentiles(p50: durations["p50"], p90: durations["p90"], p99: durations["p99"], max: durations["max"])
    }

    /// p50 < p90 < p99 <= max, compared at nominal length (a business day as a day).
    func checkOrder(_ durations: [String: Duration], _ f: Fields, _ what: String) {
        let order = ["p50", "p90", "p99", "max"]
        var previous: (String, Duration)?
        for key in order {
            guard let d = durations[key] else { continue }
            if let (pk, pd) = previous {
                let bad = key == "max" ? d.nominalHours < pd.nominalHours : d.nominalHours <= pd.nominalHours
                if bad, let keyNode = f.values[key] {
                    diagnostics.add(InvalidSlaRule.finding(
                        .outOfOrder(what, key: key, value: "\(d)", previous: pk, previousValue: "\(pd)"),
                        at: location(keyNode),
                        related: f.values[pk].map { [RelatedLocation(location($0), RuleMessage<InvalidSlaRule>.setHere(pk))] } ?? []))
                }
            }
            previous = (key, d)
        }
    }
}
