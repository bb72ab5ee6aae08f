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
        """, phase: .loading)

    /// The one schema problem only the analyses can see: an unbounded attribute that an
    /// entry gives no mix, which the statistics cannot sample. Reported once.
    public static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let findings = analyses.criteria.tooComplex.map {
            finding("this condition is too complex to analyse exactly: it expands to more than \(Region.maxBoxes) regions of customers, so the stage's routing is not checked",
                    at: $0, help: "split it across stages, or simplify `any`/`not` over many attributes")
        }
        guard let u = analyses.time.unsampleable else { return findings }
        let attribute = analyses.criteria.domain.attributes[u.attribute]
        let entry = design.entries[u.entry]
        return findings + [finding(
            "attribute `\(attribute.name)` has no `min`/`max` and entry `\(entry.name)` gives it no `mix`, so customers cannot be sampled: the promise statistics are skipped",
            at: attribute.location, related: [RelatedLocation(entry.location, "entry `\(entry.name)` has no mix for it")],
            help: "give `\(attribute.name)` bounds, or a `mix` in every entry")]
    }
}
