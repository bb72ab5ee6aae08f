/// `type-mismatch`: a condition tests an attribute with a test of another type.
package enum TypeMismatchRule: Rule {
    package static let description = RuleDescription(
        id: "type-mismatch",
        severity: .error,
        summary: "A condition compares an attribute with a test of another type.",
        rationale: """
        Comparing an enumeration with a number, or a number with a list of names, can never be true for \
        any customer, so the route or criterion silently matches nobody (or everybody, under `not`).
        """,
        fix: "Use the test that fits the attribute: comparisons for numbers, lists for enumerations, true/false for booleans.",
        failingExample: """
        stackup: 1
        customer:
          attributes:
            segment: [smb, mid, enterprise]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            accepts: {segment: ">= 2"}
        #                      ^
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          attributes:
            segment: [smb, mid, enterprise]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            accepts: {segment: [mid, enterprise]}
            rejects_to: lost
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """, phase: .loading)

    /// What a test of this attribute looks like.
    static func help(for attribute: Attribute) -> String {
        switch attribute.kind {
        case .number: return "test a number with a quoted comparison such as `\">= 60\"` or `\">= 50, < 80\"`"
        case .enumeration(let values): return "test an enumeration with a list such as `[\(values.prefix(2).joined(separator: ", "))]` or `{except: [\(values.first ?? "")]}`"
        case .boolean: return "test a boolean with `true` or `false`"
        }
    }
}

/// What `type-mismatch` says while a design loads.
extension RuleMessage where R == TypeMismatchRule {
    static func mismatch(_ what: String, attribute: Attribute, test given: String) -> Self {
        .init("\(what): `\(attribute.name)` is \(attribute.kindName == "enumeration" ? "an enumeration" : "a \(attribute.kindName)"), but the test is \(given)")
    }
    static func declaredHere(_ name: String) -> String { "`\(name)` is declared here" }
}
