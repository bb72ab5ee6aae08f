/// `unknown-reference`: a name that the design does not define.
package enum UnknownReferenceRule: Rule {
    package static let description = RuleDescription(
        id: "unknown-reference",
        severity: .error,
        summary: "A route, entry, `rejects_to`, promise or condition names something that is not defined.",
        rationale: """
        A handoff to a stage that does not exist sends customers nowhere. Routes, entries, `rejects_to`, \
        promises and targets must name stages; conditions and mixes must name declared attributes and \
        their values; `engages` must name a role of the buying committee.
        """,
        fix: "Correct the name (the message suggests the closest one), or define what it refers to.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr: {routes: [{to: account_exec}]}
        #                     ^
          ae:
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
          ae:
            routes:
              - to: won
          won: {outcome: won}
        """, phase: .loading)
}

/// Everything `unknown-reference` says while a design loads.
extension RuleMessage where R == UnknownReferenceRule {
    static func notAStage(_ what: String, _ name: String, hint: String) -> Self { .init("\(what) `\(name)`, which is not a stage\(hint)") }
    static func noAttribute(_ what: String, hint: String) -> Self { .init("\(what) names no declared attribute\(hint)") }
    static func notAValue(_ what: String, _ name: String, hint: String) -> Self { .init("\(what): `\(name)` is not a value of the attribute\(hint)") }
    static func notAValue(_ what: String, _ value: String, of attribute: String, allowed: [String], hint: String) -> Self {
        .init("\(what): `\(value)` is not a value of `\(attribute)` (\(allowed.joined(separator: ", ")))\(hint)")
    }
    static func notARole(_ what: String, _ role: String, hint: String) -> Self {
        .init("\(what) engages `\(role)`, which is not a role in `customer.committee`\(hint)")
    }
    static func undeclaredAttribute(_ what: String, _ name: String, hint: String) -> Self {
        .init("\(what) tests `\(name)`, which is not declared in `customer.attributes`\(hint)")
    }
    static func targetNotAnOutcome(_ name: String) -> Self {
        .init("target `\(name)` is a stage that is not an outcome; targets name `won`, `lost` or an outcome stage")
    }
    static func targetNamesNoOutcome(_ name: String, hint: String) -> Self { .init("target `\(name)` names no outcome\(hint)") }
}
