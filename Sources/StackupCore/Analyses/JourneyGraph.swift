/// A stage on one pass of the loop-bounded unrolling: `pass` loop-backs have been taken to get
/// here. Only `JourneyGraph` makes nodes, and only it knows how they are laid out in
/// `NodeTable`s; everything else reads `stage` and `pass`.
package struct JourneyNode: Hashable, Sendable, CustomStringConvertible {
    let stage: Int
    let pass: Int
    /// The node's slot in a `NodeTable`.
    let slot: Int

    package var description: String { "stage \(stage), pass \(pass)" }
}

/// One fact per node of the unrolling, read and written by node.
package struct NodeTable<Value: Sendable>: Sendable {
    /// Every node's value, for sums over the whole unrolling.
    package private(set) var values: [Value]

    init(repeating value: Value, count: Int) { values = Array(repeating: value, count: count) }

    init(_ values: [Value]) { self.values = values }

    subscript(node: JourneyNode) -> Value {
        get { values[node.slot] }
        // In place, so that `table[node][k] = x` does not copy the node's value.
        _modify { yield &values[node.slot] }
    }

    func map<T>(_ transform: (Value) -> T) -> NodeTable<T> { NodeTable<T>(values.map(transform)) }
}

/// The journey as a graph of stages, with its back edges found in the order the format
/// defines (entries, then routes in order), and its loop-bounded acyclic unrolling.
package struct JourneyGraph: Sendable {
    /// How an edge leaves its stage.
    enum EdgeKind: Hashable, Sendable {
        /// The route at this index in the stage's `routes`.
        case route(Int)
        /// Customers that fail `accepts`, sent on by `rejects_to`.
        case reject
    }

    /// A possible handoff between two stages.
    package struct Edge: Hashable, Sendable {
        var from: Int
        package var to: Int
        var kind: EdgeKind
        /// True when the edge is a loop-back: its target can already have been visited on the
        /// way to its source.
        var isBack: Bool
    }

    let stageCount: Int
    /// Passes of the unrolling: `customer.max_loops + 1`.
    package let passes: Int
    /// Nodes of the unrolling: one per stage and pass.
    var nodeCount: Int { stageCount * passes }
    /// Outgoing edges of each stage, routes in order, then the reject edge.
    let edges: [[Edge]]
    /// Entry index → stage index (nil when the entry names no stage).
    let entryTargets: [Int?]
    /// Stages some entry can reach (over every edge, loop-backs included).
    let reachable: [Bool]
    /// Stages from which an outcome can be reached. A route to an undefined stage, and a stage
    /// with no exits at all, count as ending the walk: each is reported on its own, and the
    /// stages upstream of them are not dead ends in their own right.
    let reachesOutcome: [Bool]
    /// Stages in a topological order of the graph without its back edges.
    package let order: [Int]
    /// `customer.max_loops`: how many loop-backs a customer may take.
    let maxLoops: Int
    /// Breadth-first parents from the entries: the previous stage, or the entry for a stage an
    /// entry leads to directly. Witness paths are read off these on demand.
    private let parent: [Int?]
    private let viaEntry: [Int?]
    private let stageSteps: [JourneyStep]
    private let entrySteps: [JourneyStep]

    package init(design: Design) {
        let n = design.stages.count
        stageCount = n
        maxLoops = design.customer.maxLoops
        passes = design.customer.maxLoops + 1
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
        unrolledOrder = (0...design.customer.maxLoops).flatMap { pass in topological.map { JourneyNode(stage: $0, pass: pass, slot: pass * n + $0) } }
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
        stageSteps = design.stages.map(JourneyStep.init)
        entrySteps = design.entries.map(JourneyStep.init)

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

    /// The shortest path from an entry to a reachable stage, entry first; nil for a stage no
    /// entry reaches.
    func witnessPath(to stage: Int) -> [JourneyStep]? {
        guard stage >= 0, stage < stageCount, reachable[stage] else { return nil }
        var chain: [JourneyStep] = []
        var cursor: Int? = stage
        var entry: Int?
        var steps = 0
        while let c = cursor, steps <= stageCount {
            chain.append(stageSteps[c])
            entry = viaEntry[c] ?? entry
            cursor = parent[c]
            steps += 1
        }
        if let entry { chain.append(entrySteps[entry]) }
        return chain.reversed()
    }

    /// The journey a chain of nodes makes, `entry` (when there is one) first.
    package func steps(_ chain: [JourneyNode], entry: Int?) -> [JourneyStep] {
        (entry.map { [entrySteps[$0]] } ?? []) + chain.map { stageSteps[$0.stage] }
    }

    /// The step a stage is.
    package func step(stage: Int) -> JourneyStep { stageSteps[stage] }

    /// The unrolled acyclic graph's nodes in topological order: pass by pass, and within a
    /// pass in `order`. Computed once; every later analysis walks it.
    let unrolledOrder: [JourneyNode]

    /// The node for a stage on a pass.
    package func node(stage: Int, pass: Int) -> JourneyNode {
        JourneyNode(stage: stage, pass: pass, slot: pass * stageCount + stage)
    }

    /// A stage's nodes, first pass first.
    package func nodes(of stage: Int) -> [JourneyNode] { (0..<passes).map { node(stage: stage, pass: $0) } }

    /// Every node, in slot order: what a `NodeTable` is built from.
    var nodesBySlot: [JourneyNode] { (0..<passes).flatMap { pass in (0..<stageCount).map { node(stage: $0, pass: pass) } } }

    /// A table of one value for every node.
    package func table<Value>(repeating value: Value) -> NodeTable<Value> { NodeTable(repeating: value, count: nodeCount) }

    /// A table of `value(node)` for every node.
    package func table<Value>(_ value: (JourneyNode) -> Value) -> NodeTable<Value> { NodeTable(nodesBySlot.map(value)) }

    /// Unrolled nodes where every customer who arrives has already visited the stage
    /// `max_visits` times: they are dropped on arrival.
    let visitLimitDrops: Set<JourneyNode>

    /// Where an edge taken from a node ends.
    package enum Arrival: Hashable, Sendable {
        case node(JourneyNode)
        /// A loop-back past `customer.max_loops`.
        case loopLimit
        /// The stage's `max_visits` is used up on every path there.
        case visitLimit(JourneyNode)
    }

    package func arrival(of edge: Edge, from source: JourneyNode) -> Arrival {
        guard let next = JourneyGraph.pass(after: edge, from: source.pass, maxLoops: maxLoops) else { return .loopLimit }
        let node = self.node(stage: edge.to, pass: next)
        return visitLimitDrops.contains(node) ? .visitLimit(node) : .node(node)
    }

    /// The pass an edge taken on `pass` arrives on: the same for a forward edge, the next for
    /// a loop-back, nil past the loop limit.
    private static func pass(after edge: Edge, from pass: Int, maxLoops: Int) -> Int? {
        if !edge.isBack { return pass }
        return pass < maxLoops ? pass + 1 : nil
    }

    /// Where an edge leads in the unrolling from a node: the same pass for a forward edge, the
    /// next pass for a loop-back, or nil when the loop limit or the target's `max_visits` drops
    /// the customer.
    package func target(of edge: Edge, from source: JourneyNode) -> JourneyNode? {
        if case .node(let node) = arrival(of: edge, from: source) { return node }
        return nil
    }

    /// For each stage with a `max_visits` that the loop limit does not already imply: the
    /// fewest earlier visits to it on any path from an entry to each of its unrolled nodes. Where
    /// even the fewest reach the limit, every customer arriving there is dropped. Where only
    /// some paths reach it, the node stays: the analyses then keep both possibilities, an
    /// over-approximation that never hides a customer who can get through.
    static func visitLimitDrops(design: Design, edges: [[Edge]], entryTargets: [Int?], order: [JourneyNode], maxLoops: Int) -> Set<JourneyNode> {
        let n = design.stages.count
        guard n > 0 else { return [] }
        func node(_ stage: Int, _ pass: Int) -> JourneyNode { JourneyNode(stage: stage, pass: pass, slot: pass * n + stage) }
        var drops = Set<JourneyNode>()
        let unreached = Int.max
        for (s, stage) in design.stages.enumerated() {
            guard let limit = stage.maxVisits, limit <= maxLoops else { continue }
            var fewest = NodeTable(repeating: unreached, count: n * (maxLoops + 1))
            for target in entryTargets { if let t = target { fewest[node(t, 0)] = 0 } }
            for u in order where fewest[u] != unreached {
                if u.stage == s && fewest[u] >= limit { continue }
                let after = fewest[u] + (u.stage == s ? 1 : 0)
                for edge in edges[u.stage] {
                    guard let pass = pass(after: edge, from: u.pass, maxLoops: maxLoops) else { continue }
                    let next = node(edge.to, pass)
                    fewest[next] = min(fewest[next], after)
                }
            }
            for pass in 0...maxLoops where fewest[node(s, pass)] != unreached && fewest[node(s, pass)] >= limit { drops.insert(node(s, pass)) }
        }
        return drops
    }
}

/// Facts computed once per design, which rules read.
package struct Analyses: Sendable {
    package let graph: JourneyGraph
    package let criteria: CriteriaAnalysis
    package let time: TimeAnalysis
    package let dataflow: JourneyDataflow
    /// Load at the declared rates; nil when nothing was sampled.
    package let flow: FlowAnalysis?

    /// `alwaysSample` runs the Monte Carlo even when no promise, target or capacity asks for it
    /// (for the graph's expected route shares).
    package init(design: Design, samples: Int = 20_000, seed: UInt64 = 1, alwaysSample: Bool = false) {
        graph = JourneyGraph(design: design)
        criteria = CriteriaAnalysis(design: design, graph: graph)
        dataflow = JourneyDataflow(design: design, graph: graph, criteria: criteria)
        let time = TimeAnalysis(design: design, graph: graph, criteria: criteria, samples: samples, seed: seed, alwaysSample: alwaysSample)
        self.time = time
        flow = FlowAnalysis(design: design, monteCarlo: time.monteCarlo, model: time.model)
    }
}
