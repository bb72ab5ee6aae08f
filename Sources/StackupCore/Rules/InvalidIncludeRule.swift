/// `invalid-include`: an include that cannot be honoured, or a stage defined twice.
public enum InvalidIncludeRule: Rule {
    public static let description = RuleDescription(
        id: "invalid-include",
        severity: .error,
        summary: "An include is missing, escapes the root, forms a cycle, or a stage id is defined twice.",
        rationale: """
        Large organisations split a design across files. An include must stay inside the root folder \
        (the folder of the design given on the command line, or `--root`), so that checking a design never \
        reads files it should not. Missing files, cycles, files included twice and stage ids defined in \
        two files are errors rather than silent surprises.
        """,
        fix: "Point the include at an existing file below the root, and keep stage ids unique.",
        failingExample: """
        stackup: 1
        include: [teams/missing.yaml]
        #         ^
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        include: []
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: won
          won: {outcome: won}
        """, phase: .loading)
}
