/// `schema`: the YAML is fine, but it is not a design of format v1.
public enum SchemaRule: Rule {
    public static let description = RuleDescription(
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
        """)
}
