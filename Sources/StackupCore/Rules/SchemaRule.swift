/// `schema`: the YAML is fine, but it is not a design of format v1.
package enum SchemaRule: Rule {
    package static let description = RuleDescription(
        id: "schema",
        severity: .error,
        summary: "A key, value or type does not fit format v1.",
        rationale: """
        A misspelt key is silently ignored by most YAML tools, and the design then means something other \
        than what its author thinks. Stackup reports unknown keys (with a did-you-mean), wrong types, \
        missing required keys, bad durations, rates and conditions, unsupported versions and duplicate keys, \
        every one of them, not only the first.
        """,
        fix: "Use the key or value the message suggests; `docs/format.md` lists every key.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: 1bd
            rutes:
        #   ^
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: 1bd
            routes:
              - to: won
          won: {outcome: won}
        """, phase: .loading)

    /// The one schema problem only the analyses can see: an unbounded attribute that an
    /// entry gives no mix, which the statistics cannot sample. Reported once.
    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let findings = analyses.criteria.tooComplex.map {
            finding("this condition is too complex to analyse exactly: it expands to more than \(Region.maxBoxes) regions of customers, so the stage's routing is not checked",
                    at: $0, help: "split it across stages, or simplify `any`/`not` over many attributes")
        }
        let stages = analyses.criteria.tooComplexArrivals.map { s in
            finding("the customers who can reach stage `\(design.stages[s].id)` are too varied to analyse exactly: they make more than \(Region.maxBoxes) regions, so nothing from this stage on is checked",
                    at: design.stages[s].location, help: "split the conditions upstream over fewer attributes, or simplify `any`/`not`")
        }
        let analysed = findings + stages
        guard let u = analyses.time.unsampleable else { return analysed }
        let attribute = analyses.criteria.domain.attributes[u.attribute]
        let entry = design.entries[u.entry]
        return analysed + [finding(
            "attribute `\(attribute.name)` has no `min`/`max` and entry `\(entry.name)` gives it no `mix`, so customers cannot be sampled: the promise statistics are skipped",
            at: attribute.location, related: [RelatedLocation(entry.location, "entry `\(entry.name)` has no mix for it")],
            help: "give `\(attribute.name)` bounds, or a `mix` in every entry")]
    }
}

/// Everything `schema` says while a design, a configuration or a baseline loads. `what` names
/// the value in the user's terms (``stage `sdr` `sla` ``).
extension RuleMessage where R == SchemaRule {
    // Shapes and types.
    static func mustBe(_ what: String, _ expected: String, not found: String) -> Self { .init("\(what) must be \(expected), not \(found)") }
    static func mustBe(_ what: String, _ expected: String) -> Self { .init("\(what) must be \(expected)") }
    static func keysMustBeNames(_ what: String, not found: String) -> Self { .init("keys of \(what) must be names, not \(found)") }
    static func unknownKey(_ key: String, in what: String, hint: String) -> Self { .init("unknown key `\(key)` in \(what)\(hint)") }
    static func takes(_ what: String, _ keys: [String]) -> String { "\(what) takes: \(keys.joined(separator: ", "))" }
    static func missingKey(_ key: String, in what: String) -> Self { .init("\(what) is missing the required key `\(key)`") }
    static func namesMustBeStrings(_ what: String, not found: String) -> Self { .init("names in \(what) must be non-empty strings, not \(found)") }
    static func controlCharacters(_ what: String, shown: String) -> Self { .init("names in \(what) may not hold control characters: \(shown)") }
    static func notAChoice(_ what: String, _ choices: [String], found: String, hint: String) -> Self {
        .init("\(what) must be one of \(choices.map { "`\($0)`" }.joined(separator: ", ")), not `\(found)`\(hint)")
    }
    static func notABoolean(_ what: String, found: String, text: String?) -> Self {
        .init("\(what) must be `true` or `false`, not \(found)\(text.map { " `\($0)`" } ?? "")")
    }
    static func notFinite(_ what: String, _ text: String) -> Self { .init("\(what) `\(text)` is out of range: it must be a finite number") }
    static func percentage(_ what: String, _ text: String, plain: String) -> Self {
        .init("\(what) is written as a percentage `\(text)`; write it as a plain number: `\(plain)`")
    }
    static func notANumber(_ what: String, found: String, text: String) -> Self { .init("\(what) must be a number, not \(found) `\(text)`") }
    static func outOfRange(_ what: String, _ text: String, min: Int, max: Int) -> Self { .init("\(what) `\(text)` is out of range (\(min) to \(max))") }
    static func repeated(_ value: String, times: Int, in what: String) -> Self {
        .init("`\(value)` appears \(times == 2 ? "twice" : "\(times) times") in \(what)")
    }
    static func needsUnit(_ what: String, _ text: String) -> Self { .init("\(what) `\(text)` needs a unit: m, h, d, w, bh or bd") }
    /// A parser's own explanation of a value it could not read.
    static func unreadable(_ what: String, _ explanation: String) -> Self { .init("\(what): \(explanation)") }
    static let firstListed = "first listed here"

    // Time specs.
    static func emptyTimeSpec(_ what: String) -> Self {
        .init("\(what) is empty; give `fixed`, `within`, or percentiles `p50`/`p90`/`p99` with an optional `max`")
    }
    static func standsAlone(_ what: String, _ single: String, others: [String]) -> Self {
        .init("\(what): `\(single)` stands alone; it cannot be combined with \(others.map { "`\($0)`" }.joined(separator: ", "))")
    }
    static func maxAlone(_ what: String) -> Self { .init("\(what): `max` alone gives no shape; add a percentile such as `p90`, or write `within`") }

    // The design.
    static let emptyDesign = Self("the design is empty; it needs at least `stackup: 1`, `entries` and `stages`")
    static let noEntries = Self("the design has no entries; customers need at least one way in")
    static func unsupportedVersion(_ found: String, supported: [Int]) -> Self {
        .init("unsupported format version `\(found)`; this stackup reads version \(supported.map(String.init).joined(separator: ", "))")
    }
    static func unknownTag(_ tag: String) -> Self { .init("unknown tag `\(tag)`; a design is plain YAML, and the value is read as if it had no tag") }
    /// libyaml's own words for a duplicate key.
    static func duplicateKey(_ message: String) -> Self { .init(message) }
    static func notAWeekday(_ day: String, hint: String) -> Self { .init("`\(day)` is not a weekday; use mon, tue, wed, thu, fri, sat, sun\(hint)") }
    static let noWorkdays = Self("calendar `workdays` must name at least one day")
    static func badHours(_ explanation: String) -> Self { .init("calendar `hours`: \(explanation)") }

    // Attributes and mixes.
    static func notAnAttributeKind(_ what: String, text: String, hint: String) -> Self {
        .init("\(what) must be `boolean`, `number`, a list of values, or a map with `min`/`max`; not `\(text)`\(hint)")
    }
    static func notAnAttribute(_ what: String) -> Self { .init("\(what) must be `boolean`, `number`, a list of values, or a map with `min`/`max`") }
    static func noValues(_ what: String) -> Self { .init("\(what) must list at least one value") }
    static func tooManyValues(_ what: String, _ count: Int) -> Self { .init("\(what) lists \(count) values; an enumeration holds at most 64") }
    static func minAboveMax(_ what: String, _ lo: Double, _ hi: Double) -> Self {
        .init("\(what): `min` \(NumberFormatting.plain(lo)) is above `max` \(NumberFormatting.plain(hi))")
    }
    static func oneMix(_ what: String) -> Self { .init("\(what) takes exactly one of `uniform`, `lognormal`, `fixed`") }
    static func belowMin(_ what: String, _ x: Double, _ lo: Double) -> Self {
        .init("\(what): \(NumberFormatting.plain(x)) is below the attribute's `min` \(NumberFormatting.plain(lo))")
    }
    static func aboveMax(_ what: String, _ x: Double, _ hi: Double) -> Self {
        .init("\(what): \(NumberFormatting.plain(x)) is above the attribute's `max` \(NumberFormatting.plain(hi))")
    }
    static func uniformTakesTwo(_ what: String) -> Self { .init("\(what) `uniform` takes two numbers `[a, b]`") }
    static func uniformOrder(_ what: String, _ a: Double, _ b: Double) -> Self {
        .init("\(what) `uniform`: \(NumberFormatting.plain(a)) is above \(NumberFormatting.plain(b))")
    }
    static func lognormalOrder(_ what: String) -> Self { .init("\(what) `lognormal` needs 0 < p50 < p90") }
    static func negativeWeight(_ what: String) -> Self { .init("\(what): weights cannot be negative") }
    static func zeroWeights(_ what: String) -> Self { .init("\(what): the weights must add up to more than zero") }

    // Promises and entries.
    static func noStagesToReach(_ what: String) -> Self { .init("\(what) `to` must name at least one stage") }
    static func noBudget(_ what: String) -> Self { .init("\(what) has no budget; give at least one of `p50`, `p90`, `p99`, `max`") }
    static func mixedClocks(_ what: String, business: [String]) -> Self {
        .init("\(what) mixes business time (\(business.map { "`\($0)`" }.joined(separator: ", "))) and calendar time in its budgets; write every budget in `bh`/`bd` (measured in working time) or every one in `m`/`h`/`d`/`w` (calendar time)")
    }
    static func infiniteRate(_ what: String) -> Self { .init("\(what) `rate` must be a finite rate such as `400/week`") }
    static func arrivalCV(_ what: String) -> Self { .init("\(what) `cv` must be above 0 and at most 100") }

    // Stages, routes and conditions.
    static func routesNotAList(_ what: String, found: String) -> Self { .init("\(what) `routes` must be a list, not \(found)") }
    static func outcomeWith(_ what: String, outcome: String, key: String) -> Self {
        .init("\(what) is an outcome (`outcome: \(outcome)`); an outcome ends the journey and has no `\(key)`")
    }
    static func effortCV(_ what: String) -> Self { .init("\(what) `cv` must be between 0 and 100") }
    static func whenBeforeLast(_ what: String) -> Self { .init("\(what) has no `when`, but only the last route may omit it: routes after it could never match") }
    static func shareOutOfRange(_ what: String, _ text: String) -> Self {
        .init("\(what) `share` must be above 0 and at most 1 (a share of the route's customers, such as `0.3`), not `\(text)`")
    }
    static func conditionKeys(_ what: String) -> Self { .init("keys of \(what) must be attribute names") }
    static func emptyAny(_ what: String) -> Self { .init("`any` in \(what) takes a non-empty list of conditions") }
    static func enumerationTest(_ what: String) -> Self { .init("\(what): an enumeration test is a list `[a, b]` or `{except: [a, b]}`") }

    // Configuration and baselines.
    static let emptyBaseline = Self("the baseline is empty")
    static func baselineVersion(_ version: Int) -> Self { .init("baseline version \(version) is not supported; this Stackup reads version 1") }
    static func badPattern(in key: String, _ explanation: String) -> Self { .init("bad pattern in `\(key)`: \(explanation)") }
    static func unknownRule(_ id: String, hint: String) -> Self { .init("unknown rule `\(id)`\(hint)") }
    static let rulesHelp = "`stackup rules` lists every rule id"
    static func cannotTurnOff(_ id: String) -> Self { .init("`\(id)` cannot be turned off: without it a broken design would look clean; give it a severity instead") }
    static func rootOutside(_ path: String) -> Self {
        .init("`root` must name a folder inside the one that holds this file; `\(path)` leads out of it (only `--root` on the command line may)")
    }
    static let badDocsURL = Self("`docs-url` must be an http(s) URL without spaces, such as `https://example.com/stackup/rules.md`")
}
