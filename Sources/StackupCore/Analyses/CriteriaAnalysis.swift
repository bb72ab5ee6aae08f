import Foundation

/// Who can arrive where: exact regions of customers propagated from the entries along the
/// routes (first match wins), through `accepts` and `rejects_to`, over the loop-bounded
/// unrolling of the journey graph. No sampling.
package struct CriteriaAnalysis: Sendable {
    /// Where a flow of customers into a node comes from.
    enum Source: Hashable, Sendable {
        /// Arrivals at an entry.
        case entry(Int)
        /// The route at `route` of the stage at unrolled node `node`.
        case route(node: JourneyNode, route: Int)
        /// Customers rejected at unrolled node `node`, sent on by `rejects_to`.
        case reject(node: JourneyNode)
    }

    /// Customers moving along one edge of the unrolling.
    struct Flow: Sendable {
        var source: Source
        var region: Region
    }

    /// Customers handed to a stage that does not accept them.
    struct Bounce: Sendable {
        var source: Source
        /// The unrolled node they were handed to.
        var target: JourneyNode
        var region: Region
    }

    let compiler: RegionCompiler
    var domain: RegionDomain { compiler.domain }
    /// The regions of chains' beginnings computed so far (see `region(along:)`).
    private let alongCache = ChainRegionCache()
    /// The unrolling the regions flow over.
    package let graph: JourneyGraph
    /// Per stage: the region its `accepts` admits.
    let acceptsRegions: [Region]
    /// Per stage and route: the region its `when` matches.
    let whenRegions: [[Region]]
    /// Per entry: the customers it brings in (the domain within its mix's support).
    let entryRegions: [Region]
    /// Per unrolled node: the flows that arrive.
    private(set) var incoming: NodeTable<[Flow]>
    /// Per unrolled node: everyone who can arrive.
    package private(set) var arrivals: NodeTable<Region>
    /// Per unrolled node: customers who pass `accepts` but match no route.
    private(set) var gaps: NodeTable<Region>
    /// Per unrolled node and route: the customers that route takes.
    private(set) var routed: NodeTable<[Region]>
    private(set) var bounces: [Bounce] = []
    /// Customers a loop-back would take past `customer.max_loops`: dropped.
    private(set) var loopLimitDrops: [Flow] = []
    /// Customers sent to a stage whose `max_visits` they have used up: dropped there.
    private(set) var visitLimitDrops: [Flow] = []
    /// Stages whose conditions or arrivals were too complex to compute exactly (see
    /// `Region.maxBoxes`). Rules do not judge them; `schema` reports the conditions.
    private(set) var unjudged: Set<Int> = []
    /// `accepts` and `when` conditions that were too complex, by location.
    private(set) var tooComplex: [Location] = []
    /// Stages where the customers who can arrive first became too varied to compute exactly
    /// (nodes in unrolled order, each stage once). Every stage after them is unjudged too.
    private(set) var tooComplexArrivals: [Int] = []

    /// Per unrolled node and graph edge of its stage: true when some customer takes the edge.
    /// A path over inactive edges is one no customer can take; analyses ignore it.
    private(set) var active: NodeTable<[Bool]>

    /// The regions for every customer, or only for those in `population` (a promise's `for`)
    /// as they enter.
    package init(design: Design, graph: JourneyGraph, population: Condition? = nil) {
        let compiler = RegionCompiler(design: design)
        self.compiler = compiler
        let domain = compiler.domain
        self.graph = graph
        acceptsRegions = design.stages.map { compiler.region($0.accepts) }
        whenRegions = design.stages.map { stage in
            stage.routes.map { $0.whenIsInvalid ? .empty(compiler.domain) : compiler.region($0.when) }
        }
        let everyone = design.entries.map { Region(boxes: [RegionCompiler.support(of: $0, domain)], dimension: domain.attributes.count) }
        let population = population.map { compiler.region($0) }
        entryRegions = population.map { p in everyone.map { $0.intersect(p) } } ?? everyone
        incoming = graph.table(repeating: [])
        arrivals = graph.table(repeating: .empty(domain))
        gaps = graph.table(repeating: .empty(domain))
        routed = graph.table { design.stages[$0.stage].routes.map { _ in Region.empty(domain) } }
        active = graph.table(repeating: [])
        for (e, target) in graph.entryTargets.enumerated() {
            guard let t = target, !entryRegions[e].isEmpty else { continue }
            incoming[graph.node(stage: t, pass: 0)].append(Flow(source: .entry(e), region: entryRegions[e]))
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
            guard arrivals[node].overflowed else { continue }
            // Where the overflow starts (not every flow in was already too complex), say so.
            // An outcome routes no one on, so nothing there goes unchecked.
            if !design.stages[node.stage].isOutcome, !incoming[node].contains(where: { $0.region.overflowed }),
               !tooComplexArrivals.contains(node.stage) {
                tooComplexArrivals.append(node.stage)
            }
            unjudged.insert(node.stage)
        }
        let (routed, arrivals, acceptsRegions) = (routed, arrivals, acceptsRegions)
        active = graph.table { node in
            let s = node.stage
            return graph.edges[s].map { edge in
                switch edge.kind {
                case .route(let r): return r < routed[node].count && !routed[node][r].isEmpty
                case .reject: return design.stages[s].accepts != nil && !arrivals[node].subtract(acceptsRegions[s]).isEmpty
                }
            }
        }
    }

    mutating func propagate(_ node: JourneyNode, design: Design, graph: JourneyGraph) {
        let flows = incoming[node]
        guard !flows.isEmpty else { return }
        let stage = design.stages[node.stage]
        let accepts = acceptsRegions[node.stage]
        var arrived = Region.empty(domain)
        for flow in flows {
            arrived = arrived.union(flow.region)
            if stage.accepts != nil {
                let rejected = flow.region.subtract(accepts)
                if !rejected.isEmpty { bounces.append(Bounce(source: flow.source, target: node, region: rejected)) }
            }
        }
        arrivals[node] = arrived
        guard !stage.isOutcome else { return }
        if arrived.overflowed {
            // Who goes where from here is not known: every stage downstream is too complex as
            // well, rather than judged on the customers that happened to fit.
            for edge in graph.edges[node.stage] {
                let source: Source
                switch edge.kind {
                case .route(let r): source = .route(node: node, route: r)
                case .reject: source = .reject(node: node)
                }
                send(.overflow(dimension: domain.attributes.count), from: source, along: edge, at: node, graph: graph)
            }
            return
        }
        var remaining = stage.accepts == nil ? arrived : arrived.intersect(accepts)
        if stage.accepts != nil, let rejectEdge = graph.edges[node.stage].first(where: { $0.kind == .reject }) {
            let rejected = arrived.subtract(accepts)
            if !rejected.isEmpty { send(rejected, from: .reject(node: node), along: rejectEdge, at: node, graph: graph) }
        }
        for (r, route) in stage.routes.enumerated() {
            guard !remaining.isEmpty else { break }
            let otherwise = route.when == nil && !route.whenIsInvalid
            let matched = otherwise ? remaining : remaining.intersect(whenRegions[node.stage][r])
            guard !matched.isEmpty else { continue }
            // A route with a share below 1 takes some of them at random: all stay possible
            // for the routes after it.
            if route.takesAll { remaining = otherwise ? .empty(domain) : remaining.subtract(matched) }
            routed[node][r] = matched
            if let edge = graph.edges[node.stage].first(where: { $0.kind == .route(r) }) {
                send(matched, from: .route(node: node, route: r), along: edge, at: node, graph: graph)
            }
        }
        if !stage.routes.isEmpty { gaps[node] = remaining }
    }

    mutating func send(_ region: Region, from source: Source, along edge: JourneyGraph.Edge, at node: JourneyNode, graph: JourneyGraph) {
        switch graph.arrival(of: edge, from: node) {
        case .node(let target): incoming[target].append(Flow(source: source, region: region))
        case .loopLimit: loopLimitDrops.append(Flow(source: source, region: region))
        case .visitLimit: visitLimitDrops.append(Flow(source: source, region: region))
        }
    }

    /// An unrolled node's witness journey for one customer, entry first: walks back along
    /// flows that hold the customer.
    package func path(to node: JourneyNode, for point: Point) -> [JourneyStep] {
        var chain: [JourneyNode] = []
        var current = node
        var steps = 0
        while steps <= graph.nodeCount {
            steps += 1
            chain.append(current)
            guard let flow = incoming[current].first(where: { $0.region.contains(point) }) else { break }
            switch flow.source {
            case .entry(let e):
                return graph.steps(chain.reversed(), entry: e)
            case .route(let from, _), .reject(let from):
                current = from
            }
        }
        return graph.steps(chain.reversed(), entry: nil)
    }

    /// The customers who take a chain of unrolled nodes, entering by `entry` (nil: whoever
    /// arrives at the first node), each step along a route or a rejection as given.
    ///
    /// Findings' chains share long beginnings (every path into a stage starts at an entry), so
    /// the region after each beginning is kept and a later chain carries on from it: the same
    /// operations in the same order as walking the chain afresh, done once per beginning.
    package func region(along chain: [JourneyNode], entry: Int?, rejects: (JourneyNode, JourneyNode) -> Bool) -> Region {
        guard let first = chain.first else { return entry.map { entryRegions[$0] } ?? .empty(domain) }
        return alongCache.region(along: chain, first: first, entry: entry, rejects: rejects) { step in
            stepRegion(step)
        }
    }

    /// `region(along:)` computed afresh, step after step: what the cache must agree with.
    func regionAlongUncached(_ chain: [JourneyNode], entry: Int?, rejects: (JourneyNode, JourneyNode) -> Bool) -> Region {
        guard let first = chain.first else { return entry.map { entryRegions[$0] } ?? .empty(domain) }
        var region = stepRegion(.start(entry: entry, first: first))
        for (u, v) in zip(chain, chain.dropFirst()) {
            region = region.intersect(stepRegion(rejects(u, v) ? .rejected(u) : .routed(u, v)))
        }
        return region
    }

    private func stepRegion(_ step: ChainRegionCache.Step) -> Region {
        switch step {
        case .start(let entry, let first):
            return entry.map { entryRegions[$0] } ?? arrivals[first]
        case .rejected(let u):
            return arrivals[u].subtract(acceptsRegions[u.stage])
        case .routed(let u, let v):
            // Whichever route leads there; routes are disjoint, so their union is exact.
            var taken = Region.empty(domain)
            for flow in incoming[v] {
                if case .route(let from, let r) = flow.source, from == u { taken = taken.union(routed[u][r]) }
            }
            return taken
        }
    }

    /// The node a flow source leaves from, if it is a stage.
    func sourceNode(_ source: Source) -> JourneyNode? {
        switch source {
        case .entry: return nil
        case .route(let node, _), .reject(let node): return node
        }
    }
}

/// The regions of chains of unrolled nodes computed so far, as a trie: each entry is a chain's
/// beginning, reached from its parent beginning by one more step. Shared by the copies of one
/// analysis, and locked, since analyses are values that may cross threads.
final class ChainRegionCache: @unchecked Sendable {
    /// One step's region, as the analysis computes it.
    enum Step: Hashable {
        /// Who the chain starts with: an entry's customers, or everyone arriving at its first node.
        case start(entry: Int?, first: JourneyNode)
        case rejected(JourneyNode)
        case routed(JourneyNode, JourneyNode)
    }

    private struct Key: Hashable {
        var parent: Int
        var entry: Int?
        var node: JourneyNode
        var rejected: Bool
    }

    private let lock = NSLock()
    private var ids: [Key: Int] = [:]
    private var regions: [Region] = []
    private var steps: [Step: Region] = [:]
    /// A bound on what the cache holds, so that no input makes it grow without limit.
    private static let maxEntries = 200_000

    func region(along chain: [JourneyNode], first: JourneyNode, entry: Int?, rejects: (JourneyNode, JourneyNode) -> Bool,
                compute: (Step) -> Region) -> Region {
        lock.lock()
        defer { lock.unlock() }
        func stepRegion(_ step: Step) -> Region {
            if let r = steps[step] { return r }
            let r = compute(step)
            if steps.count < ChainRegionCache.maxEntries { steps[step] = r }
            return r
        }
        /// Keeps a beginning's region; nil once the cache is full (its chain then goes on uncached).
        func store(_ key: Key, _ region: Region) -> Int? {
            guard key.parent != -2, regions.count < ChainRegionCache.maxEntries else { return nil }
            ids[key] = regions.count
            regions.append(region)
            return regions.count - 1
        }
        let root = Key(parent: -1, entry: entry, node: first, rejected: false)
        var current: Int?
        var region: Region
        if let id = ids[root] {
            current = id
            region = regions[id]
        } else {
            region = stepRegion(.start(entry: entry, first: first))
            current = store(root, region)
        }
        for (u, v) in zip(chain, chain.dropFirst()) {
            let rejected = rejects(u, v)
            let key = Key(parent: current ?? -2, entry: nil, node: v, rejected: rejected)
            if current != nil, let id = ids[key] {
                current = id
                region = regions[id]
                continue
            }
            region = region.intersect(stepRegion(rejected ? .rejected(u) : .routed(u, v)))
            current = store(key, region)
        }
        return region
    }
}
