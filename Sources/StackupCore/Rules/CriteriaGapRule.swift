/// `criteria-gap`: customers who pass a stage's criteria but match none of its routes.
package enum CriteriaGapRule: Rule {
    package static let description = RuleDescription(
        id: "criteria-gap",
        severity: .error,
        summary: "Customers who can reach a stage and pass its `accepts` match none of its routes.",
        rationale: """
        Each team's routing rules look complete on their own, but composed with what upstream teams \
        send and what the team accepts, they can leave a slice of customers that no route takes. \
        Those customers fall between the cracks: nobody follows up. A route with a `share` below 1 \
        takes only part of the customers it matches, so the rest fall through when no later route \
        takes them; the message then says which share lets them through. The gap is computed \
        exactly from the conditions, not sampled, and the example is one customer inside it.
        """,
        fix: "Add a route for the gap, widen an existing route's `when`, or end the list with a route without `when` (for example to `lost`).",
        failingExample: """
        stackup: 1
        customer:
          attributes:
            lead_score: {min: 0, max: 100}
            segment: [smb, mid, enterprise]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
        #   ^
              - to: ae
                when: {lead_score: ">= 60"}
              - to: smb_desk
                when: {segment: [smb]}
          ae:
            routes:
              - to: won
          smb_desk:
            routes:
              - to: won
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          attributes:
            lead_score: {min: 0, max: 100}
            segment: [smb, mid, enterprise]
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
                when: {lead_score: ">= 60"}
              - to: smb_desk
                when: {segment: [smb]}
              - to: lost
          ae:
            routes:
              - to: won
          smb_desk:
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let criteria = analyses.criteria
        let domain = criteria.domain
        var findings: [Finding] = []
        for (s, stage) in design.stages.enumerated() where !stage.hasInvalidCondition && !analyses.criteria.unjudged.contains(s) {
            let nodes = analyses.graph.nodes(of: s)
            let gap = nodes.reduce(Region.empty(domain)) { $0.union(criteria.gaps[$1]) }
            // Customers some route with a share below 1 matched but did not take: they fall
            // through by chance. The others no route matches at all, and are reported first.
            let leaky = stage.routes.indices.filter { !stage.routes[$0].takesAll }
            let leaked = nodes.reduce(Region.empty(domain)) { sum, node in
                leaky.reduce(sum) { $0.union(criteria.routed[node][$1].intersect(criteria.gaps[node])) }
            }
            let unmatched = gap.subtract(leaked)
            let reported = unmatched.isEmpty ? leaked : unmatched
            guard let point = reported.example(domain),
                  let node = nodes.first(where: { criteria.gaps[$0].contains(point) }) else { continue }
            var related: [RelatedLocation] = []
            if let accepts = stage.acceptsLocation { related.append(RelatedLocation(accepts, "`\(stage.id)` accepts them here")) }
            let passed = leaky.filter { criteria.routed[node][$0].contains(point) }
            for (r, route) in stage.routes.enumerated() {
                if passed.contains(r) {
                    related.append(RelatedLocation(route.location, "the route to `\(route.to.value)` takes only \(NumberFormatting.percent(route.share)) of the customers it matches (`share: \(NumberFormatting.plain(route.share))`)"))
                } else if let when = route.whenLocation {
                    related.append(RelatedLocation(when, "the route to `\(route.to.value)` does not match them"))
                }
            }
            let loopBacks = node.pass
            let fallThrough = passed.reduce(1.0) { $0 * (1 - stage.routes[$1].share) }
            let how = passed.isEmpty
                ? "but no route takes them: they fall between the cracks"
                : "but no route is sure to take them: \(passed.map { "the route to `\(stage.routes[$0].to.value)` takes \(NumberFormatting.percent(stage.routes[$0].share))" }.joined(separator: " and ")) and nothing takes the rest, so \(NumberFormatting.percent(fallThrough)) of them fall between the cracks"
            findings.append(finding(
                "customers with \(reported.describe(domain)) reach `\(stage.id)` and pass its criteria, \(how)",
                at: stage.routesLocation ?? stage.location, stage: stage.id,
                journey: criteria.path(to: node, for: point), example: domain.customer(point),
                related: related,
                notes: loopBacks > 0 ? ["this gap appears only after \(loopBacks) loop-back\(loopBacks == 1 ? "" : "s")"] : [],
                help: passed.isEmpty ? "add a route for them, or end `routes` with a route without `when`"
                    : "end `routes` with a route that takes everyone left (no `when`, no `share`), such as a route to `lost` or to nurture"))
        }
        return findings
    }
}
