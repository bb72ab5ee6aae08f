/// `business-hours-stackup`: business-time SLAs that nights and weekends stretch past a budget.
package enum BusinessHoursStackupRule: Rule {
    package static let description = RuleDescription(
        id: "business-hours-stackup",
        severity: .warning,
        summary: "Business-time SLAs on a path take at least 1.5× their nominal length on the calendar, and that pushes a promise over budget.",
        rationale: """
        People read `1bd` as a day. A customer who arrives on Friday morning and meets three teams with \
        a one-business-day SLA each waits from Friday to Wednesday: 120 hours, not 72. Each team is \
        within its SLA; the weekend is what breaks the promise. Nominal here means a business day read as \
        one calendar day and a business hour as one hour.
        """,
        fix: "Give the promise business-time budgets, state calendar-time SLAs, or cover the weekend for the first contact.",
        failingExample: """
        stackup: 1
        customer:
          promises:
            reply: {to: ae, max: 4d}
        #   ^
        entries:
          web: {to: marketing, rate: 100/week}
        stages:
          marketing:
            sla: 1bd
            routes:
              - to: sdr
          sdr:
            sla: 1bd
            routes:
              - to: bdm
          bdm:
            sla: 1bd
            routes:
              - to: ae
          ae:
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          promises:
            reply: {to: ae, max: 6d}
        entries:
          web: {to: marketing, rate: 100/week}
        stages:
          marketing:
            sla: 1bd
            routes:
              - to: sdr
          sdr:
            sla: 1bd
            routes:
              - to: bdm
          bdm:
            sla: 1bd
            routes:
              - to: ae
          ae:
            routes:
              - to: won
          won: {outcome: won}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        var findings: [Finding] = []
        for facts in analyses.time.promises {
            let promise = design.customer.promises[facts.index]
            // A business-time promise is measured in working time: nights and weekends do not count.
            guard !facts.ends.isBusinessTime, let worst = facts.worst, facts.nominalBusinessMinutes > 0,
                  facts.calendarBusinessMinutes >= 1.5 * facts.nominalBusinessMinutes else { continue }
            let stretch = facts.calendarBusinessMinutes - facts.nominalBusinessMinutes
            // A budget the worst case breaks, that the same path at nominal length would keep.
            guard let (key, budget) = facts.budgets.reversed().first(where: { worst.minutes > $0.minutes && worst.minutes - stretch <= $0.minutes }) else { continue }
            let contributions = facts.contributions
            let witness = facts.witness(design: design, analyses: analyses)
            let business = contributions.filter { c in
                !c.isDelay && design.stages[c.stage].sla.map { $0.durations.contains { $0.unit.isBusiness } } == true
            }
            let figures = NumberFormatting.spans(worst.minutes, against: budget)
            findings.append(finding(
                "\(PromiseFindingSupport.forWhom(facts))business-time SLAs on the worst path of `\(promise.name)` read as \(NumberFormatting.span(facts.nominalBusinessMinutes)) but take \(NumberFormatting.span(facts.calendarBusinessMinutes)) on the calendar (nights and weekends): that alone puts \(PromiseFindingSupport.worstCaseName(facts)) of \(figures.value) over the \(key) budget of \(figures.budget)",
                at: promise.location, journey: witness.journey, example: witness.example,
                related: PromiseFindingSupport.related(business, design: design, measure: .calendar),
                notes: ["the worst case starts on \(BusinessHoursStackupRule.weekTime(worst.startMinute))"],
                help: "give the promise business-time budgets, state calendar-time SLAs, or cover the gap for the first contact"))
        }
        return findings
    }

    /// "Friday 09:01" for a minute of the week.
    static func weekTime(_ minute: Double) -> String {
        let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        let m = Int(minute.rounded(.down))
        let day = min(max(m / 1440, 0), 6)
        let within = m - day * 1440
        let hh = within / 60, mm = within % 60
        return "\(days[day]) \(hh < 10 ? "0" : "")\(hh):\(mm < 10 ? "0" : "")\(mm)"
    }
}
