/// The design's routing as flat tables for the sampling loops (the Monte Carlo and the
/// simulation): plain records indexed by stage and by route, so that a loop step reads one
/// record per stage and per route it tries, searches no edges and counts no references.
package struct RoutingTables: Sendable {
    /// Where an edge leads, and whether it loops back.
    package struct Hop: Sendable {
        package var to: Int
        var isBack: Bool

        init(_ edge: JourneyGraph.Edge) {
            to = edge.to
            isBack = edge.isBack
        }
    }

    /// One entry: its rate per week, whether its customers arrive in business hours only, and
    /// the stage they arrive at (-1 when none).
    package struct Entry: Sendable {
        var rate: Double
        var inBusinessHours: Bool
        var target: Int
    }

    /// One stage.
    struct Stage: Sendable {
        var isOutcome: Bool
        /// The handle of its `accepts` region, or -1 when it takes everyone.
        var accept: Int
        /// Where a rejected customer goes; nil when nowhere (they drop).
        var reject: Hop?
        /// Its routes, in order, in `routes`.
        var routes: Range<Int>
        var time: DurationSampler
    }

    /// One route of a stage.
    package struct Route: Sendable {
        /// The region of its `when`, or -1 for the otherwise-route.
        var region: Int
        /// Where it leads; nil when nowhere (the customer drops).
        var hop: Hop?
        /// Its delay; nil when there is none.
        var delay: DurationSampler?
        /// The share of matching customers it takes, drawn per customer when below 1.
        var share: Double
    }

    let regions: RegionPool
    let entries: [Entry]
    let stages: [Stage]
    let routes: [Route]
    /// Per stage: its time to first touch, when it declares `responds`; and its `max_visits`,
    /// or 0. Apart from `stages`, so that a design without them pays nothing in the loops
    /// (inside each stage record they cost the Monte Carlo 12% more instructions, by callgrind).
    let responds: [DurationSampler?]
    let maxVisits: [Int]
    /// Per promise: the region handle of its `for`, or -1 when it is made to everyone.
    let populations: [Int]
    /// True when some promise has a `for`.
    let hasPopulations: Bool
    /// True when some stage declares `responds`, or sets `max_visits`.
    let hasResponds: Bool
    let limitsVisits: Bool

    init(design: Design, criteria: CriteriaAnalysis, model: TimeModel) {
        var pool = RegionPool(domain: criteria.domain)
        var stages: [Stage] = []
        var routes: [Route] = []
        for (s, stage) in design.stages.enumerated() {
            let first = routes.count
            for (r, route) in stage.routes.enumerated() {
                let step = model.steps[s].first { $0.edge.kind == .route(r) }
                routes.append(Route(region: route.when == nil && !route.whenIsInvalid ? -1 : pool.add(criteria.whenRegions[s][r]),
                                    hop: step.map { Hop($0.edge) },
                                    delay: step.flatMap { $0.delay == .zero ? nil : $0.delay.sampler }, share: route.share))
            }
            let reject = model.steps[s].first { $0.edge.kind == .reject }
            stages.append(Stage(isOutcome: stage.isOutcome,
                                accept: stage.accepts == nil ? -1 : pool.add(criteria.acceptsRegions[s]),
                                reject: reject.map { Hop($0.edge) },
                                routes: first..<routes.count,
                                time: model.stageTime[s].sampler))
        }
        entries = design.entries.map { entry in
            Entry(rate: entry.rate.perWeek ?? 0, inBusinessHours: entry.arrivesInBusinessHours, target: design.stageIndex[entry.to.value] ?? -1)
        }
        self.stages = stages
        self.routes = routes
        populations = design.customer.promises.map { promise in promise.population.map { pool.add(criteria.compiler.region($0)) } ?? -1 }
        hasPopulations = populations.contains { $0 >= 0 }
        responds = model.respondsTime.map { $0?.sampler }
        maxVisits = design.stages.map { $0.maxVisits ?? 0 }
        hasResponds = responds.contains { $0 != nil }
        limitsVisits = maxVisits.contains { $0 > 0 }
        regions = pool
    }
}
