/// `unbounded-loop`: customers go round a loop until the loop limit drops them.
package enum UnboundedLoopRule: Rule {
    package static let description = RuleDescription(
        id: "unbounded-loop",
        severity: .warning,
        summary: "A loop has no route out of it for some customers, so only the loop limit ends their journey.",
        rationale: """
        Sending a customer back (to nurture, to another team, by `rejects_to`) is fine when something \
        changes on the way. When the same customer is routed the same way every time, nothing does: \
        they go round until `customer.max_loops` drops them, silently. The example is one such customer, \
        computed exactly from the criteria.
        """,
        fix: "Give the loop a way out for these customers, such as a route to `lost`, or stop sending them back.",
        failingExample: """
        stackup: 1
        customer:
          attributes:
            ready: boolean
        entries:
          web: {to: ae, rate: 100/week}
        stages:
          ae:
            owns_relationship: true
            routes:
              - to: won
                when: {ready: true}
              - to: nurture
          nurture: {routes: [{to: ae}]}
        #                         ^
          won: {outcome: won}
        """,
        passingExample: """
        stackup: 1
        customer:
          attributes:
            ready: boolean
        entries:
          web: {to: ae, rate: 100/week}
        stages:
          ae:
            owns_relationship: true
            routes:
              - to: won
                when: {ready: true}
              - to: nurture
          nurture:
            routes:
              - to: lost
          won: {outcome: won}
          lost: {outcome: lost}
        """)

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let criteria = analyses.criteria
        let domain = criteria.domain
        // One finding per loop-back, over every pass.
        // Customers dropped by the loop limit, and those a stage's `max_visits` drops when the
        // loop brings them back: either way no route out of the loop takes them.
        var regions: [String: (source: CriteriaAnalysis.Source, region: Region, byVisits: Bool)] = [:]
        var order: [String] = []
        for (byVisits, drops) in [(false, criteria.loopLimitDrops), (true, criteria.visitLimitDrops)] {
            for drop in drops {
                let key: String
                switch drop.source {
                case .route(let node, let r): key = "r\(node.stage):\(r)"
                case .reject(let node): key = "x\(node.stage)"
                case .entry: continue
                }
                if let existing = regions[key] {
                    regions[key] = (existing.source, existing.region.union(drop.region), existing.byVisits)
                } else {
                    regions[key] = (drop.source, drop.region, byVisits)
                    order.append(key)
                }
            }
        }
        var findings: [Finding] = []
        for key in order {
            guard let (source, region, byVisits) = regions[key], let point = region.example(domain), let node = criteria.sourceNode(source) else { continue }
            let stage = design.stages[node.stage]
            let location: Location
            let target: String
            switch source {
            case .route(_, let r):
                location = stage.routes[r].to.location
                target = stage.routes[r].to.value
            default:
                location = stage.rejectsTo?.location ?? stage.location
                target = stage.rejectsTo?.value ?? ""
            }
            var journey = criteria.path(to: node, for: point)
            if let t = design.stageIndex[target] { journey.append(analyses.graph.step(stage: t)) }
            let limit = byVisits ? "`\(target)`'s `max_visits: \(design.stage(target)?.maxVisits ?? 0)`" : "the loop limit (`max_loops: \(design.customer.maxLoops)`)"
            findings.append(finding(
                "customers with \(region.describe(domain)) go round the loop \(byVisits ? "and come back" : "back") to `\(target)` until \(limit) drops them: no route out of it takes them",
                at: location, stage: stage.id, journey: journey, example: domain.customer(point),
                related: design.stage(target).map { [RelatedLocation($0.location, "the loop goes back to `\(target)` here")] } ?? [],
                help: "give the loop a way out for them, such as a route to `lost`"))
        }
        return findings
    }
}
