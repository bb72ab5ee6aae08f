/// `invalid-include`: an include that cannot be honoured, or a stage defined twice.
package enum InvalidIncludeRule: Rule {
    package static let description = RuleDescription(
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
        include:
          - teams/missing.yaml
        #   ^
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

/// Everything `invalid-include` says while a design and its includes load.
extension RuleMessage where R == InvalidIncludeRule {
    static func noSuchFile(_ path: String) -> Self { .init("cannot read `\(path)`: no such file") }
    static func leadsOutside(_ path: String, root: String) -> Self {
        .init("`\(path)` leads outside the root folder `\(root)` (it is a symlink, or under one); it was not read")
    }
    static let leadsOutsideHelp = "check the file itself, or widen the root with `--root`"
    static func entryTwice(_ name: String) -> Self { .init("entry `\(name)` is defined twice") }
    static func stageTwice(_ id: String) -> Self { .init("stage `\(id)` is defined twice; stage ids are unique across all included files") }
    static let firstDefined = "first defined here"
    static func unreadable(_ path: String, _ reason: String) -> Self { .init("cannot read included file `\(path)`: \(reason)") }
    static func absolute(_ path: String) -> Self { .init("include `\(path)` is an absolute path; includes are relative to the including file") }
    static let controlOrEmpty = Self("include path contains control characters or is empty")
    static func missing(_ path: String) -> Self { .init("included file `\(path)` does not exist") }
    static func escapes(_ path: String, root: String) -> Self { .init("include `\(path)` escapes the root folder `\(root)`") }
    static let escapesHelp = "keep included files in or below the design's folder, or widen it with `--root`"
    static func cycle(_ chain: [String]) -> Self { .init("include cycle: \(chain.joined(separator: " → "))") }
    static func again(_ path: String) -> Self { .init("`\(path)` is already included; each file may be included once") }
    static let firstIncluded = "first included here"
}
