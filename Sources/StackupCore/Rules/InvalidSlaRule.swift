/// `invalid-sla`: a time spec that cannot describe any real team.
public enum InvalidSlaRule: Rule {
    public static let description = RuleDescription(
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
          sdr:
            sla: {p50: 2d, p90: 1d}
        #                       ^
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
            sla: {p50: 1d, p90: 2d}
            routes:
              - to: won
          won: {outcome: won}
        """, phase: .loading)
}
