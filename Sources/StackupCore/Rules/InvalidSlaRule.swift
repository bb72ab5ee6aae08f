/// `invalid-sla`: a time spec that cannot describe any real team.
package enum InvalidSlaRule: Rule {
    package static let description = RuleDescription(
        id: "invalid-sla",
        severity: .error,
        summary: "Percentiles are out of order, or a duration is zero or negative where a time is needed.",
        rationale: """
        A p90 below the p50 describes no distribution; a zero-length SLA or budget means the figure was \
        mistyped. Percentiles must run p50 < p90 < p99 <= max. Durations of different kinds are compared \
        at their nominal length (a business day as one day).
        """,
        fix: "Put the percentiles in order, and give every SLA, delay and budget a positive length.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr: {sla: {p50: 2d, p90: 1d}, routes: [{to: won}]}
        #                           ^
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            sla: {p50: 1d, p90: 2d}
            routes:
              - to: won
          won: {outcome: won}
        """, phase: .loading)
}

/// Everything `invalid-sla` says while a design loads.
extension RuleMessage where R == InvalidSlaRule {
    /// The duration parser's words for a length that is not positive.
    static func notPositive(_ what: String, _ explanation: String) -> Self { .init("\(what): \(explanation)") }
    static func outOfOrder(_ what: String, key: String, value: String, previous: String, previousValue: String) -> Self {
        .init("\(what): `\(key): \(value)` must be \(key == "max" ? "at least" : "longer than") `\(previous): \(previousValue)`; percentiles run p50 < p90 < p99 <= max")
    }
    static func setHere(_ key: String) -> String { "`\(key)` is set here" }
    static func respondsAfterSla(_ what: String, responds: String, sla: String) -> Self {
        .init("\(what): `responds` bound \(responds) is longer than the `sla` bound \(sla); the first touch comes before the stage hands the customer on")
    }
    static let slaSetHere = "the `sla` is set here"
}
