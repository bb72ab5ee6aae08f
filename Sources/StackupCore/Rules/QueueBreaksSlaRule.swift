/// `queue-breaks-sla`: the SLA holds on an idle line, but not at the declared load.
package enum QueueBreaksSlaRule: Rule {
    package static let description = RuleDescription(
        id: "queue-breaks-sla",
        severity: .warning,
        summary: "At the declared load, the predicted mean queue wait plus the median of the stage's own time exceeds the stage's SLA bound.",
        rationale: """
        A team's SLA describes how long it takes once someone picks the customer up. Under load, \
        customers first wait for a free person, and variability from upstream makes that wait longer. \
        The wait is predicted by Sakasegawa's G/G/c approximation, with arrival variability carried \
        downstream by the linking equation; the SLA bound is `p90`, else `max`, else `within`.
        """,
        fix: "Add capacity to the stage, smooth its arrivals, or state an SLA that includes the wait.",
        failingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 9/week}
        stages:
          sdr: {sla: {within: 1d}, owns_relationship: true, capacity: {people: 1, each: 10/week}, routes: [{to: won}]}
        #            ^
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        entries:
          web: {to: sdr, rate: 2/week}
        stages:
          sdr:
            owns_relationship: true
            sla: {within: 1d}
            capacity: {people: 1, each: 10/week}
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        guard let flow = analyses.flow else { return [] }
        let clock = analyses.time.model.clock
        var findings: [Finding] = []
        for (s, stage) in design.stages.enumerated() {
            let load = flow.stages[s]
            guard let sla = stage.sla, let wait = load.waitHours, wait.isFinite, let u = load.utilization else { continue }
            let bound = sla.slaBound
            let business = analyses.time.model.stageTime[s].isBusiness
            // The wait runs on the calendar; a business-time SLA counts only its working part.
            let waitOnClock = business ? wait * clock.weekLength / BusinessClock.week : wait
            let boundHours = bound.minutes(workdayMinutes: design.calendar.workdayMinutes) / 60
            let total = waitOnClock + load.medianOwnHours
            guard total > boundHours else { continue }
            let unit = business ? " working" : ""
            // The wait is a mean (Sakasegawa), the stage's own time a median: "on average", not "typical".
            let (totalText, boundText) = NumberFormatting.distinct(total, boundHours)
            findings.append(finding(
                "at the declared load (utilisation \(NumberFormatting.percent(u))), customers wait \(NumberFormatting.rounded(waitOnClock))\(unit) h on average for `\(stage.id)` and then take a median \(NumberFormatting.rounded(load.medianOwnHours))\(unit) h: \(totalText)\(unit) h against the SLA bound of \(bound) (\(boundText)\(unit) h)",
                at: stage.slaLocation ?? stage.location, stage: stage.id,
                notes: ["mean wait by Sakasegawa's G/G/c approximation: \(stage.capacity.people) people, arrival variability c² = \(NumberFormatting.rounded(load.arrivalSCV, digits: 2)), effort variability c² = \(NumberFormatting.rounded(load.effortSCV, digits: 2)); arrivals from \(flow.samples) sampled customers"],
                help: "add capacity to `\(stage.id)`, smooth its arrivals, or state an SLA that includes the wait"))
        }
        return findings
    }
}
