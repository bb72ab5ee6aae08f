/// `invalid-suppression`: a `# stackup:` comment that cannot be read, names an unknown rule,
/// or gives no reason.
public enum InvalidSuppressionRule: Rule {
    public static let description = RuleDescription(
        id: "invalid-suppression",
        severity: .warning,
        summary: "A `# stackup: ignore[…]` comment is malformed, names an unknown rule, or gives no reason.",
        rationale: """
        A suppression hides a finding from everyone who reads the report later. Without a reason, nobody \
        can tell a considered exception from a silenced alarm; with a misspelt rule id it hides nothing \
        while looking as if it did. A suppression without a reason still applies; one with an unknown id \
        does not.
        """,
        fix: "Write `# stackup: ignore[rule-id] reason` on the finding's line or the line above, or `# stackup: ignore-file[rule-id] reason` anywhere in the file.",
        failingExample: """
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
          closer: # stackup: ignore[too-many-handoffs]
        #         ^
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
