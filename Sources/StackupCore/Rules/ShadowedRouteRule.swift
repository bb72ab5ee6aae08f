/// `shadowed-route`: a route that can never match.
package enum ShadowedRouteRule: Rule {
    package static let description = RuleDescription(
        id: "shadowed-route",
        severity: .warning,
        summary: "A route can never match: earlier routes, or the stage's own `accepts`, leave it nobody.",
        rationale: """
        Routes are tried in order and the first match wins. A route whose customers are all taken by \
        earlier routes, or excluded by the stage's own criteria, is dead: whoever wrote it expected \
        customers to take it, and none ever will. A route with a `share` below 1 never shadows the \
        routes after it: the customers it does not take go on to them.
        """,
        fix: "Move the route above the one that covers it, narrow the earlier route, or remove the dead one.",
        failingExample: """
        stackup: 1
        customer:
          attributes:
            lead_score: {min: 0, max: 100}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
                when: {lead_score: ">= 50"}
              - to: bdm
        #       ^
                when: {lead_score: ">= 80"}
              - to: lost
          ae:
            routes:
              - to: won
          bdm:
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """,
        passingExample: """
        stackup: 1
        customer:
          attributes:
            lead_score: {min: 0, max: 100}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: bdm
                when: {lead_score: ">= 80"}
              - to: ae
                when: {lead_score: ">= 50"}
              - to: lost
          ae:
            routes:
              - to: won
          bdm:
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let criteria = analyses.criteria
        let domain = criteria.domain
        var findings: [Finding] = []
        for (s, stage) in design.stages.enumerated() where !stage.isOutcome && !stage.hasInvalidCondition && !analyses.criteria.unjudged.contains(s) {
            let accepts = criteria.acceptsRegions[s]
            var available = accepts
            for (r, route) in stage.routes.enumerated() {
                let when = criteria.whenRegions[s][r]
                let wanted = accepts.intersect(when)
                if available.intersect(when).isEmpty {
                    let cover: RelatedLocation
                    if wanted.isEmpty {
                        cover = RelatedLocation(stage.acceptsLocation ?? stage.location,
                                                "`\(stage.id)` accepts only \(accepts.describe(domain)), none of whom this route matches")
                    } else {
                        // The earliest route after which nothing this route wants is left.
                        var left = wanted
                        var coverIndex = 0
                        for (j, earlier) in criteria.whenRegions[s].prefix(r).enumerated() where stage.routes[j].takesAll {
                            left = left.subtract(earlier)
                            if left.isEmpty { coverIndex = j; break }
                        }
                        let earlier = stage.routes[coverIndex]
                        cover = RelatedLocation(earlier.location, "the route to `\(earlier.to.value)` already takes every customer this one could match")
                    }
                    findings.append(finding(
                        "the route from `\(stage.id)` to `\(route.to.value)`\(route.shareLabel.map { " (\($0))" } ?? "") can never match: \(wanted.isEmpty ? "`\(stage.id)`'s criteria exclude everyone it matches" : "earlier routes take all of its customers")",
                        at: route.location, stage: stage.id, related: [cover],
                        help: "move it above the route that covers it, narrow the earlier route, or remove it"))
                }
                // A route with a share below 1 leaves its customers to the routes after it.
                if route.takesAll { available = available.subtract(when) }
            }
        }
        return findings
    }
}
