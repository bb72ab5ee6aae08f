/// `invalid-suppression`: a `# stackup:` comment that cannot be read, names an unknown rule,
/// or gives no reason.
package enum InvalidSuppressionRule: Rule {
    package static let description = RuleDescription(
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

/// Everything `invalid-suppression` says about a `# stackup:` comment.
extension RuleMessage where R == InvalidSuppressionRule {
    static func notASuppression(_ word: String, hint: String) -> Self {
        .init("`\(word)` is not a suppression; write `# stackup: ignore[rule-id] reason` or `# stackup: ignore-file[rule-id] reason`\(hint)")
    }
    static func needsBrackets(_ word: String) -> Self { .init("`\(word)` needs the rule ids in brackets, e.g. `# stackup: \(word)[criteria-gap] reason`") }
    static func namesNoRule(_ word: String) -> Self { .init("`\(word)[…]` names no rule") }
    static func emptyRuleId(_ word: String) -> Self { .init("empty rule id in `\(word)[…]`") }
    static func cannotSuppress(_ id: String) -> Self { .init("`\(id)` cannot be suppressed by a comment; set it in `.stackup.yml`") }
    static func unknownRule(_ id: String, hint: String) -> Self { .init("unknown rule `\(id)`\(hint)") }
    static let rulesHelp = "`stackup rules` lists every rule id"
    static let noReason = Self("this suppression gives no reason")
    static func reasonHelp(_ word: String, rule: String) -> String {
        "say why after the brackets, e.g. `# stackup: \(word)[\(rule)] handled by the partner desk`"
    }
}
