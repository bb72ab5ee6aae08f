/// `unused-suppression`: a suppression that hides nothing.
package enum UnusedSuppressionRule: Rule {
    package static let description = RuleDescription(
        id: "unused-suppression",
        severity: .note,
        summary: "A `# stackup: ignore[…]` comment suppresses no finding.",
        rationale: """
        Once the problem it excused is fixed, a suppression only waits to hide the next, unrelated \
        finding of the same rule on that line. Reporting it keeps suppressions as few as the design needs.
        """,
        fix: "Remove the rule id from the comment, or the whole comment.",
        failingExample: """
        stackup: 1
        customer:
          max_handoffs: 2
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            routes:
              - to: ae
          ae:
            contact: true
            owns_relationship: true
            routes:
              - to: closer
          closer: # stackup: ignore[too-many-handoffs] three people are fine here
        #                           ^
            contact: true
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          max_handoffs: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            routes:
              - to: ae
          ae:
            contact: true
            owns_relationship: true
            routes:
              - to: closer
          closer: # stackup: ignore[too-many-handoffs] enterprise deals need the closer; agreed with sales ops
            contact: true
            routes:
              - to: won
          won: {outcome: won}
        """, phase: .suppressions)
}

/// What `unused-suppression` says.
extension RuleMessage where R == UnusedSuppressionRule {
    static func unused(_ id: String, scope: String) -> Self { .init("`\(id)` is suppressed here, but no `\(id)` finding is reported \(scope)") }
    static let help = "remove it, so that it cannot hide a future finding"
}
