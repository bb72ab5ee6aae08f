/// `over-limit`: an input larger than one of Stackup's limits (`docs/limits.md`).
package enum OverLimitRule: Rule {
    package static let description = RuleDescription(
        id: "over-limit",
        severity: .error,
        summary: "A design is larger than a limit allows (stages, attributes, includes, unrolled nodes, findings…), so it was not analysed in full.",
        rationale: """
        Stackup gates pull requests, so a design may come from anyone, and every analysis must finish \
        in bounded time and memory. Each limit is far above what real organisation designs use; a design \
        over one is reported here instead of being checked for minutes or exhausting the machine. The \
        limits cannot be raised from the checked tree (not even from `.stackup.yml`), only with \
        `--limit NAME=VALUE` on the command line.
        """,
        fix: "Split the design, or, if it really is this large, raise the limit with `--limit NAME=VALUE` on the command line.",
        failingExample: """
        stackup: 1
        customer:
          committee: [economic_buyer, champion, procurement]
        #                                       ^
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            engages: [champion]
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          committee: [economic_buyer, champion]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            engages: [champion]
            routes:
              - to: won
          won: {outcome: won}
        """,
        exampleLimits: ["committee-roles": 2], phase: .loading)

    /// The note that stands for the findings of one file past `findings-per-file`.
    static func truncated(_ hidden: Int, limit: Int, at location: Location) -> Finding {
        finding("\(hidden) more finding\(hidden == 1 ? "" : "s") in this file \(hidden == 1 ? "is" : "are") not shown: at most \(limit) are reported per file (`findings-per-file`)",
                at: location, severity: .note, help: Limits.raise("findings-per-file"))
    }
}

/// Everything `over-limit` says while an input loads.
extension RuleMessage where R == OverLimitRule {
    static func counted(_ count: Int, _ what: String, limit: Int, name: String) -> Self {
        .init("the design has \(count) \(what), over the limit of \(limit) (`\(name)`); it was not analysed")
    }
    static func stopped(_ what: String, limit: Int, name: String) -> Self {
        .init("the design has more \(what) than the limit of \(limit) (`\(name)`); loading stopped at this one, and nothing was analysed")
    }
    static func tooManyIncludes(limit: Int) -> Self {
        .init("more than \(limit) included files (`included-files`); this include and the ones after it were not read")
    }
    static func nestedTooDeep(limit: Int, path: String) -> Self { .init("includes nest more than \(limit) deep (`include-depth`); `\(path)` was not read") }
    static func baselineEntries(_ count: Int, limit: Int) -> Self {
        .init("the baseline has \(count) entries, over the limit of \(limit) (`baseline-entries`); \(Limits.raise("baseline-entries"))")
    }
}
