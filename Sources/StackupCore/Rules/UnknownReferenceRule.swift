/// `unknown-reference`: a name that the design does not define.
public enum UnknownReferenceRule: Rule {
    public static let description = RuleDescription(
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
          sdr:
            routes:
              - to: account_exec
        #           ^
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
