/// The design's routing as flat tables for the sampling loops (the Monte Carlo and the
/// simulation): integers and plain values indexed by stage, so that a loop step reads no
/// `Stage`, searches no edges and counts no references.
struct RoutingTables: Sendable {
    /// Where an edge leads, and whether it loops back.
    struct Hop: Sendable {
        var to: Int
        var isBack: Bool
    }

    let regions: RegionPool
    /// Per stage: the handle of its `accepts` region, or -1 when it takes everyone.
    let acceptHandle: [Int]
    /// Per stage: where a rejected customer goes; nil when nowhere (they drop).
    let rejectHop: [Hop?]
    /// Stage s's routes, in order, are `routeStart[s]..<routeStart[s + 1]` of the route tables:
    /// the region (-1 for the otherwise-route), where it leads (nil: nowhere, the customer
    /// drops) and its delay (nil when there is none).
    let routeStart: [Int]
    let routeRegion: [Int]
    let routeHop: [Hop?]
    let routeDelay: [TimeDistribution?]

    init(design: Design, criteria: CriteriaAnalysis, model: TimeModel) {
        var pool = RegionPool(dimensions: criteria.domain.attributes.count)
        acceptHandle = design.stages.indices.map { design.stages[$0].accepts == nil ? -1 : pool.add(criteria.acceptsRegions[$0]) }
        rejectHop = model.steps.map { steps in
            steps.first { $0.edge.kind == .reject }.map { Hop(to: $0.edge.to, isBack: $0.edge.isBack) }
        }
        var starts: [Int] = []
        var regions: [Int] = []
        var hops: [Hop?] = []
        var delays: [TimeDistribution?] = []
        for (s, stage) in design.stages.enumerated() {
            starts.append(regions.count)
            for (r, route) in stage.routes.enumerated() {
                let step = model.steps[s].first { $0.edge.kind == .route(r) }
                regions.append(route.when == nil && !route.whenIsInvalid ? -1 : pool.add(criteria.whenRegions[s][r]))
                hops.append(step.map { Hop(to: $0.edge.to, isBack: $0.edge.isBack) })
                delays.append(step.flatMap { $0.delay == .zero ? nil : $0.delay })
            }
        }
        starts.append(regions.count)
        routeStart = starts
        routeRegion = regions
        routeHop = hops
        routeDelay = delays
        self.regions = pool
    }
}
