/// The journey as a graph of stages, with its back edges found in the order the format
/// defines (entries, then routes in order), and its loop-bounded acyclic unrolling.
public struct JourneyGraph: Sendable {
    /// How an edge leaves its stage.
    public enum EdgeKind: Hashable, Sendable {
        /// The route at this index in the stage's `routes`.
        case route(Int)
        /// Customers that fail `accepts`, sent on by `rejects_to`.
        case reject
    }

    /// A possible handoff between two stages.
    public struct Edge: Hashable, Sendable {
        public var from: Int
        public var to: Int
        public var kind: EdgeKind
        /// True when the edge is a loop-back: its target can already have been visited on the
        /// way to its source.
        public var isBack: Bool
    }

    /// A stage on one pass of the unrolling: `layer` loop-backs have been taken to get here.
    public struct UnrolledNode: Hashable, Sendable {
        public var stage: Int
        public var layer: Int
    }

    public let stageCount: Int
    /// Outgoing edges of each stage, routes in order, then the reject edge.
    public let edges: [[Edge]]
    /// Entry index → stage index (nil when the entry names no stage).
    public let entryTargets: [Int?]
    /// Stages some entry can reach (over every edge, loop-backs included).
    public let reachable: [Bool]
    /// Stages from which an outcome can be reached. A route to an undefined stage, and a stage
    /// with no exits at all, count as ending the walk: each is reported on its own, and the
    /// stages upstream of them are not dead ends in their own right.
    public let reachesOutcome: [Bool]
    /// Stages in a topological order of the graph without its back edges.
    public let order: [Int]
    /// `customer.max_loops`: how many loop-backs a customer may take.
    public let maxLoops: Int
    /// Breadth-first parents from the entries: the previous stage, or the entry for a stage an
    /// entry leads to directly. Witness paths are read off these on demand.
    private let parent: [Int?]
    private let viaEntry: [Int?]
    private let stageIds: [String]
    private let entryNames: [String]

    public init(design: Design) {
        let n = design.stages.count
        stageCount = n
        maxLoops = design.customer.maxLoops
        var out: [[Edge]] = Array(repeating: [], count: n)
        var hasUnknownExit = Array(repeating: false, count: n)
        for (i, stage) in design.stages.enumerated() {
            for (r, route) in stage.routes.enumerated() {
                if let j = design.stageIndex[route.to.value] {
                    out[i].append(Edge(from: i, to: j, kind: .route(r), isBack: false))
                } else {
                    hasUnknownExit[i] = true
                }
            }
            if let reject = stage.rejectsTo {
                if let j = design.stageIndex[reject.value] {
                    out[i].append(Edge(from: i, to: j, kind: .reject, isBack: false))
                } else {
                    hasUnknownExit[i] = true
                }
            }
        }
        entryTargets = design.entries.map { design.stageIndex[$0.to.value] }

        // Iterative DFS: from entries in order, then from any stage left unvisited, so that
        // every edge is classified and every stage gets a place in the order.
        enum Color { case white, gray, black }
        var color = Array(repeating: Color.white, count: n)
        var postorder: [Int] = []
        postorder.reserveCapacity(n)
        let starts = entryTargets.compactMap { $0 } + Array(0..<n)
        for start in starts where color[start] == .white {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            color[start] = .gray
            while let top = stack.last {
                let (node, next) = top
                if next < out[node].count {
                    stack[stack.count - 1].next += 1
                    let target = out[node][next].to
                    switch color[target] {
                    case .white:
                        color[target] = .gray
                        stack.append((target, 0))
                    case .gray:
                        out[node][next].isBack = true
                    case .black:
                        break
                    }
                } else {
                    color[node] = .black
                    postorder.append(node)
                    stack.removeLast()
                }
            }
        }
        let topological = Array(postorder.reversed())
        order = topological
        edges = out
        unrolledOrder = (0...design.customer.maxLoops).flatMap { layer in topological.map { layer * n + $0 } }
        visitLimitDrops = JourneyGraph.visitLimitDrops(design: design, edges: out, entryTargets: entryTargets, order: unrolledOrder,
                                                       maxLoops: design.customer.maxLoops)

        // Reachability from entries, with a breadth-first parent for witness paths.
        var seen = Array(repeating: false, count: n)
        var parent: [Int?] = Array(repeating: nil, count: n)
        var viaEntry: [Int?] = Array(repeating: nil, count: n)
        var queue: [Int] = []
        for (e, target) in entryTargets.enumerated() {
            guard let t = target, !seen[t] else { continue }
            seen[t] = true
            viaEntry[t] = e
            queue.append(t)
        }
        var head = 0
        while head < queue.count {
            let u = queue[head]
            head += 1
            for edge in out[u] where !seen[edge.to] {
                seen[edge.to] = true
                parent[edge.to] = u
                queue.append(edge.to)
            }
        }
        reachable = seen
        self.parent = parent
        self.viaEntry = viaEntry
        stageIds = design.stages.map(\.id)
        entryNames = design.entries.map(\.name)

        // Backward reachability from outcomes.
        var incoming: [[Int]] = Array(repeating: [], count: n)
        for list in out { for edge in list { incoming[edge.to].append(edge.from) } }
        var reaches = Array(repeating: false, count: n)
        var work: [Int] = []
        for i in 0..<n where design.stages[i].isOutcome || hasUnknownExit[i] || design.stages[i].routes.isEmpty {
            reaches[i] = true
            work.append(i)
        }
        while let v = work.popLast() {
            for u in incoming[v] where !reaches[u] {
                reaches[u] = true
                work.append(u)
            }
        }
        reachesOutcome = reaches
    }

    /// The shortest path from an entry to a reachable stage: entry name, then stage ids; nil
    /// for a stage no entry reaches.
    public func witnessPath(to stage: Int) -> [String]? {
        guard stage >= 0, stage < stageCount, reachable[stage] else { return nil }
        var chain: [String] = []
        var cursor: Int? = stage
        var entry: Int?
        var steps = 0
        while let c = cursor, steps <= stageCount {
            chain.append(stageIds[c])
            entry = viaEntry[c] ?? entry
            cursor = parent[c]
            steps += 1
        }
        if let entry { chain.append(entryNames[entry]) }
        return chain.reversed()
    }

    /// The unrolled acyclic graph's nodes in topological order, as node indices
    /// (`layer * stageCount + stage`): pass by pass, and within a pass in `order`. Computed once;
    /// every later analysis walks it.
    public let unrolledOrder: [Int]

    /// Unrolled nodes where every customer who arrives has already visited the stage
    /// `max_visits` times: they are dropped on arrival.
    public let visitLimitDrops: Set<Int>

    /// Where an edge taken from a node on `layer` ends.
    public enum Arrival: Hashable, Sendable {
        case node(UnrolledNode)
        /// A loop-back past `customer.max_loops`.
        case loopLimit
        /// The stage's `max_visits` is used up on every path there.
        case visitLimit(UnrolledNode)
    }

    public func arrival(of edge: Edge, fromLayer layer: Int) -> Arrival {
        let node: UnrolledNode
        if !edge.isBack {
            node = UnrolledNode(stage: edge.to, layer: layer)
        } else {
            guard layer < maxLoops else { return .loopLimit }
            node = UnrolledNode(stage: edge.to, layer: layer + 1)
        }
        return visitLimitDrops.contains(node.layer * stageCount + node.stage) ? .visitLimit(node) : .node(node)
    }

    /// Where an edge leads in the unrolling from a node on `layer`: the same pass for a forward
    /// edge, the next pass for a loop-back, or nil when the loop limit or the target's
    /// `max_visits` drops the customer.
    public func target(of edge: Edge, fromLayer layer: Int) -> UnrolledNode? {
        if case .node(let node) = arrival(of: edge, fromLayer: layer) { return node }
        return nil
    }

    /// For each stage with a `max_visits` that the loop limit does not already imply: the
    /// fewest earlier visits to it on any path from an entry to each of its unrolled nodes. Where
    /// even the fewest reach the limit, every customer arriving there is dropped. Where only
    /// some paths reach it, the node stays: the analyses then keep both possibilities, an
    /// over-approximation that never hides a customer who can get through.
    static func visitLimitDrops(design: Design, edges: [[Edge]], entryTargets: [Int?], order: [Int], maxLoops: Int) -> Set<Int> {
        let n = design.stages.count
        guard n > 0 else { return [] }
        var drops = Set<Int>()
        let unreached = Int.max
        for (s, stage) in design.stages.enumerated() {
            guard let limit = stage.maxVisits, limit <= maxLoops else { continue }
            var fewest = [Int](repeating: unreached, count: n * (maxLoops + 1))
            for target in entryTargets { if let t = target { fewest[t] = 0 } }
            for node in order where fewest[node] != unreached {
                let u = node % n, layer = node / n
                if u == s && fewest[node] >= limit { continue }
                let after = fewest[node] + (u == s ? 1 : 0)
                for edge in edges[u] {
                    let next: Int
                    if !edge.isBack { next = layer * n + edge.to } else if layer < maxLoops { next = (layer + 1) * n + edge.to } else { continue }
                    fewest[next] = min(fewest[next], after)
                }
            }
            for layer in 0...maxLoops where fewest[layer * n + s] != unreached && fewest[layer * n + s] >= limit { drops.insert(layer * n + s) }
        }
        return drops
    }
}

/// Facts computed once per design, which rules read.
public struct Analyses: Sendable {
    public let graph: JourneyGraph
    public let criteria: CriteriaAnalysis
    public let time: TimeAnalysis
    public let dataflow: JourneyDataflow
    /// Load at the declared rates; nil when nothing was sampled.
    public let flow: FlowAnalysis?

    public init(design: Design, samples: Int = 20_000, seed: UInt64 = 1) {
        graph = JourneyGraph(design: design)
        criteria = CriteriaAnalysis(design: design, graph: graph)
        dataflow = JourneyDataflow(design: design, graph: graph, criteria: criteria)
        let time = TimeAnalysis(design: design, graph: graph, criteria: criteria, samples: samples, seed: seed)
        self.time = time
        flow = FlowAnalysis(design: design, monteCarlo: time.monteCarlo, model: time.model)
    }
}
