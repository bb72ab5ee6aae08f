/// `vacuous-promise`: a promise that measures zero time for every customer on every path.
package enum VacuousPromiseRule: Rule {
    package static let description = RuleDescription(
        id: "vacuous-promise",
        severity: .warning,
        summary: "A promise measures zero time for every customer on every path, so it can never break.",
        rationale: """
        A promise that reads 0 h for everyone is kept by construction and tells nobody anything. The \
        usual cause is speed to lead: `to: first-contact` ends at the first touch of the first contact \
        stage, and a stage that declares no `responds` touches the customer the moment they arrive, so \
        an SDR who takes days to reply still keeps a one-hour promise.
        """,
        fix: "Declare `responds` on the contact stage (its time to first touch), or `sla` on the stages the promise spans.",
        failingExample: """
        stackup: 1
        customer:
          promises:
            speed-to-lead: {to: first-contact, p90: 1h}
        #   ^
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            owns_relationship: true
            sla: {within: 2bd}
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          promises:
            speed-to-lead: {to: first-contact, p90: 1h}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            contact: true
            owns_relationship: true
            sla: {within: 2bd}
            responds: {within: 1h}
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        var findings: [Finding] = []
        for facts in analyses.time.promises {
            // The worst case is the latest end over every path customers can take, so zero
            // there is zero for everyone.
            guard let worst = facts.worst, worst.minutes <= 0 else { continue }
            let promise = design.customer.promises[facts.index]
            let last = worst.path.last.map { design.stages[$0.stage] }
            let help: String
            if facts.ends.atFirstTouch, let last {
                help = "declare `responds` on `\(last.id)`: the time from receiving a customer to first touching them (speed to lead)"
            } else if let last {
                help = "give the stages between the promise's start and `\(last.id)` an `sla`, or end the promise later (`until: done`)"
            } else {
                help = "give the stages the promise spans an `sla`"
            }
            let why = facts.ends.atFirstTouch
                ? "it ends at the first touch of the first contact stage, and \(last.map { "`\($0.id)`" } ?? "that stage") declares no `responds`, so customers are touched the moment they arrive"
                : "no stage or delay between its start and its end takes any time"
            let witness = facts.witness(design: design, analyses: analyses)
            findings.append(finding("promise `\(promise.name)` measures 0 h for every customer\(facts.populationText.map { " it is made to (customers with \($0))" } ?? "") on every path: \(why)",
                                    at: promise.location, journey: witness.journey, example: witness.example,
                                    related: last.map { [RelatedLocation($0.location, "`\($0.id)` is where the promise ends")] } ?? [],
                                    help: help, subject: "promise `\(promise.name)`"))
        }
        return findings
    }
}
