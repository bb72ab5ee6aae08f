/// Who can arrive where: exact regions of customers propagated from the entries along the
/// routes (first match wins), through `accepts` and `rejects_to`, over the loop-bounded
/// unrolling of the journey graph. No sampling.
public struct CriteriaAnalysis: Sendable {
    /// Where a flow of customers into a node comes from.
    public enum Source: Hashable, Sendable {
        /// Arrivals at an entry.
        case entry(Int)
        /// The route at `route` of the stage at unrolled node `node`.
        case route(node: Int, route: Int)
        /// Customers rejected at unrolled node `node`, sent on by `rejects_to`.
        case reject(node: Int)
    }

    /// Customers moving along one edge of the unrolling.
    public struct Flow: Sendable {
        public var source: Source
        public var region: Region
    }

    /// Customers handed to a stage that does not accept them.
    public struct Bounce: Sendable {
        public var source: Source
        /// The unrolled node they were handed to.
        public var target: Int
        public var region: Region
    }

    public let compiler: RegionCompiler
    public var domain: RegionDomain { compiler.domain }
    public let stageCount: Int
    public let layers: Int
    /// Per stage: the region its `accepts` admits.
    public let acceptsRegions: [Region]
    /// Per stage and route: the region its `when` matches.
    public let whenRegions: [[Region]]
    /// Per entry: the customers it brings in (the domain within its mix's support).
    public let entryRegions: [Region]
    /// Per unrolled node (`layer * stageCount + stage`): the flows that arrive.
    public private(set) var incoming: [[Flow]]
    /// Per unrolled node: everyone who can arrive.
    public private(set) var arrivals: [Region]
    /// Per unrolled node: customers who pass `accepts` but match no route.
    public private(set) var gaps: [Region]
    /// Per unrolled node and route: the customers that route takes.
    public private(set) var routed: [[Region]]
    public private(set) var bounces: [Bounce] = []
    /// Customers a loop-back would take past `customer.max_loops`: dropped.
    public private(set) var loopLimitDrops: [Flow] = []
    /// Customers sent to a stage whose `max_visits` they have used up: dropped there.
    public private(set) var visitLimitDrops: [Flow] = []
    /// Stages whose conditions or arrivals were too complex to compute exactly (see
    /// `Region.maxBoxes`). Rules do not judge them; `schema` reports the conditions.
    public private(set) var unjudged: Set<Int> = []
    /// `accepts` and `when` conditions that were too complex, by location.
    public private(set) var tooComplex: [Location] = []

    /// Per unrolled node and graph edge of its stage: true when some customer takes the edge.
    /// A path over inactive edges is one no customer can take; analyses ignore it.
    public private(set) var active: [[Bool]] = []

    public init(design: Design, graph: JourneyGraph) {
        let compiler = RegionCompiler(design: design)
        self.compiler = compiler
        let domain = compiler.domain
        let n = design.stages.count
        stageCount = n
        layers = graph.maxLoops + 1
        acceptsRegions = design.stages.map { compiler.region($0.accepts) }
        whenRegions = design.stages.map { stage in
            stage.routes.map { $0.whenIsInvalid ? .empty(compiler.domain) : compiler.region($0.when) }
        }
        entryRegions = design.entries.map { Region(boxes: [RegionCompiler.support(of: $0, domain)], dimension: domain.attributes.count) }
        let nodeCount = n * layers
        incoming = Array(repeating: [], count: nodeCount)
        arrivals = Array(repeating: .empty(domain), count: nodeCount)
        gaps = Array(repeating: .empty(domain), count: nodeCount)
        routed = (0..<nodeCount).map { design.stages[$0 % max(n, 1)].routes.map { _ in Region.empty(domain) } }
        for (e, target) in graph.entryTargets.enumerated() {
            guard let t = target, !entryRegions[e].isEmpty else { continue }
            incoming[t].append(Flow(source: .entry(e), region: entryRegions[e]))
        }
        for (s, stage) in design.stages.enumerated() {
            if acceptsRegions[s].overflowed, let l = stage.acceptsLocation { tooComplex.append(l); unjudged.insert(s) }
            for (r, route) in stage.routes.enumerated() where whenRegions[s][r].overflowed {
                if let l = route.whenLocation { tooComplex.append(l) }
                unjudged.insert(s)
            }
        }
        for node in graph.unrolledOrder {
            propagate(node, design: design, graph: graph)
            if arrivals[node].overflowed { unjudged.insert(node % n) }
        }
        active = (0..<nodeCount).map { node in
            let s = node % max(n, 1)
            return graph.edges[s].map { edge in
                switch edge.kind {
                case .route(let r): return r < routed[node].count && !routed[node][r].isEmpty
                case .reject: return design.stages[s].accepts != nil && !arrivals[node].subtract(acceptsRegions[s]).isEmpty
                }
            }
        }
    }

    func index(_ node: JourneyGraph.UnrolledNode) -> Int { node.layer * stageCount + node.stage }

    mutating func propagate(_ i: Int, design: Design, graph: JourneyGraph) {
        let node = JourneyGraph.UnrolledNode(stage: i % stageCount, layer: i / stageCount)
        let flows = incoming[i]
        guard !flows.isEmpty else { return }
        let stage = design.stages[node.stage]
        let accepts = acceptsRegions[node.stage]
        var arrived = Region.empty(domain)
        for flow in flows {
            arrived = arrived.union(flow.region)
            if stage.accepts != nil {
                let rejected = flow.region.subtract(accepts)
                if !rejected.isEmpty { bounces.append(Bounce(source: flow.source, target: i, region: rejected)) }
            }
        }
        arrivals[i] = arrived
        guard !stage.isOutcome else { return }
        var remaining = stage.accepts == nil ? arrived : arrived.intersect(accepts)
        if stage.accepts != nil, let rejectEdge = graph.edges[node.stage].first(where: { $0.kind == .reject }) {
            let rejected = arrived.subtract(accepts)
            if !rejected.isEmpty { send(rejected, from: .reject(node: i), along: rejectEdge, at: node.layer, graph: graph) }
        }
        for (r, route) in stage.routes.enumerated() {
            guard !remaining.isEmpty else { break }
            let otherwise = route.when == nil && !route.whenIsInvalid
            let matched = otherwise ? remaining : remaining.intersect(whenRegions[node.stage][r])
            guard !matched.isEmpty else { continue }
            remaining = otherwise ? .empty(domain) : remaining.subtract(matched)
            routed[i][r] = matched
            if let edge = graph.edges[node.stage].first(where: { $0.kind == .route(r) }) {
                send(matched, from: .route(node: i, route: r), along: edge, at: node.layer, graph: graph)
            }
        }
        if !stage.routes.isEmpty { gaps[i] = remaining }
    }

    mutating func send(_ region: Region, from source: Source, along edge: JourneyGraph.Edge, at layer: Int, graph: JourneyGraph) {
        switch graph.arrival(of: edge, fromLayer: layer) {
        case .node(let target): incoming[index(target)].append(Flow(source: source, region: region))
        case .loopLimit: loopLimitDrops.append(Flow(source: source, region: region))
        case .visitLimit: visitLimitDrops.append(Flow(source: source, region: region))
        }
    }

    /// The stage ids of an unrolled node's witness journey for one customer, entry first:
    /// walks back along flows that hold the customer.
    public func path(to node: Int, for point: Point, design: Design) -> [String] {
        var names: [String] = []
        var current = node
        var steps = 0
        while steps <= incoming.count {
            steps += 1
            names.append(design.stages[current % stageCount].id)
            guard let flow = incoming[current].first(where: { $0.region.contains(point) }) else { break }
            switch flow.source {
            case .entry(let e):
                names.append(design.entries[e].name)
                return names.reversed()
            case .route(let from, _), .reject(let from):
                current = from
            }
        }
        return names.reversed()
    }

    /// The customers who take a chain of unrolled nodes, entering by `entry` (nil: whoever
    /// arrives at the first node), each step along a route or a rejection as given.
    public func region(along chain: [Int], entry: Int?, rejects: (Int, Int) -> Bool) -> Region {
        var region = entry.map { entryRegions[$0] } ?? (chain.first.map { arrivals[$0] } ?? .empty(domain))
        for (u, v) in zip(chain, chain.dropFirst()) {
            let s = u % max(stageCount, 1)
            if rejects(u, v) {
                region = region.intersect(arrivals[u].subtract(acceptsRegions[s]))
            } else {
                // Whichever route leads there; routes are disjoint, so their union is exact.
                var taken = Region.empty(domain)
                for flow in incoming[v] {
                    if case .route(let from, let r) = flow.source, from == u { taken = taken.union(routed[u][r]) }
                }
                region = region.intersect(taken)
            }
        }
        return region
    }

    /// The node a flow source leaves from, if it is a stage.
    public func sourceNode(_ source: Source) -> Int? {
        switch source {
        case .entry: return nil
        case .route(let node, _), .reject(let node): return node
        }
    }
}
