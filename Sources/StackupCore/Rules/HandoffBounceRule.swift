/// `handoff-bounce`: a handoff to a stage whose criteria reject the customer.
package enum HandoffBounceRule: Rule {
    package static let description = RuleDescription(
        id: "handoff-bounce",
        severity: .error,
        summary: "A route hands customers to a stage whose `accepts` rejects them (a warning when `rejects_to` sends them on).",
        rationale: """
        The sending team's route and the receiving team's criteria disagree. Without `rejects_to` the \
        rejected customers are dropped silently; with it, they are ping-ponged between teams and meet \
        one more person for nothing. It is an error when customers are dropped, a warning otherwise.
        """,
        fix: "Make the route's `when` at least as strict as the receiver's `accepts`, or relax the receiver's criteria.",
        failingExample: """
        stackup: 1
        customer:
          attributes:
            deal_size: {min: 0}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - {when: {deal_size: ">= 5000"}, to: ae}
        #                                          ^
              - to: lost
          ae:
            accepts: {deal_size: ">= 10000"}
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """,
        passingExample: """
        stackup: 1
        customer:
          attributes:
            deal_size: {min: 0}
        entries:
          web: {to: sdr, rate: 100/week}
        stages:
          sdr:
            routes:
              - to: ae
                when: {deal_size: ">= 10000"}
              - to: lost
          ae:
            accepts: {deal_size: ">= 10000"}
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """)

    /// One handoff, whatever the pass it happens on.
    enum Handoff: Hashable {
        case entry(Int)
        case route(stage: Int, route: Int)
        case reject(stage: Int)
    }

    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] {
        let criteria = analyses.criteria
        let domain = criteria.domain
        var regions: [Handoff: Region] = [:]
        var order: [Handoff] = []
        for bounce in criteria.bounces {
            let key: Handoff
            switch bounce.source {
            case .entry(let e): key = .entry(e)
            case .route(let node, let r): key = .route(stage: node.stage, route: r)
            case .reject(let node): key = .reject(stage: node.stage)
            }
            let target = design.stages[bounce.target.stage]
            if criteria.unjudged.contains(bounce.target.stage) { continue }
            // An entry whose first stage has `rejects_to` is that stage's own qualification,
            // not a handoff between teams; dropped customers are reported all the same.
            if case .entry = key, target.rejectsTo != nil { continue }
            // Rejecting into an outcome (`rejects_to: lost`) is deliberate disqualification.
            if let reject = target.rejectsTo, design.stage(reject.value)?.isOutcome == true { continue }
            if regions[key] == nil { order.append(key) }
            regions[key] = (regions[key] ?? .empty(domain)).union(bounce.region)
        }
        var findings: [Finding] = []
        for key in order {
            guard let region = regions[key], let point = region.example(domain),
                  let bounce = criteria.bounces.first(where: { matches($0, key) && $0.region.contains(point) }) else { continue }
            let target = design.stages[bounce.target.stage]
            let dropped = target.rejectsTo == nil
            let location: Location
            let what: String
            var related: [RelatedLocation] = []
            switch key {
            case .entry(let e):
                location = design.entries[e].to.location
                what = "entry `\(design.entries[e].name)` brings"
            case .route(let s, let r):
                let route = design.stages[s].routes[r]
                location = route.to.location
                what = "the route from `\(design.stages[s].id)` to `\(target.id)`\(route.shareLabel.map { " (\($0))" } ?? "") hands on"
                if let when = route.whenLocation { related.append(RelatedLocation(when, "this route sends them")) }
            case .reject(let s):
                location = design.stages[s].rejectsTo?.location ?? design.stages[s].location
                what = "`rejects_to` of `\(design.stages[s].id)` sends"
            }
            if let accepts = target.acceptsLocation {
                related.append(RelatedLocation(accepts, "`\(target.id)` accepts only \(criteria.acceptsRegions[bounce.target.stage].describe(domain))"))
            }
            var journey = criteria.sourceNode(bounce.source).map { criteria.path(to: $0, for: point) }
                ?? [JourneyStep(design.entries[{ if case .entry(let e) = key { return e }; return 0 }()])]
            journey.append(JourneyStep(target))
            let fate = dropped ? "they are dropped" : "`\(target.id)` sends them on to `\(target.rejectsTo?.value ?? "")`"
            findings.append(finding(
                "\(what) customers with \(region.describe(domain)), whom `\(target.id)` does not accept: \(fate)",
                at: location, severity: dropped ? .error : .warning, stage: target.id, journey: journey,
                example: domain.customer(point), related: related,
                help: "make the handoff's `when` match `\(target.id)`'s `accepts`, or relax `\(target.id)`'s criteria"))
        }
        return findings
    }

    static func matches(_ bounce: CriteriaAnalysis.Bounce, _ key: Handoff) -> Bool {
        switch (bounce.source, key) {
        case (.entry(let a), .entry(let b)): return a == b
        case (.route(let node, let r), .route(let s, let q)): return node.stage == s && r == q
        case (.reject(let node), .reject(let s)): return node.stage == s
        default: return false
        }
    }
}
