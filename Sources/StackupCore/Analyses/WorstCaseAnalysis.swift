/// The latest a customer can reach a promise's end: dynamic programming over the criteria-
/// active, loop-bounded unrolling, each stage and delay at its worst-case bound. Business
/// time is composed exactly along the path; with business time in play, every starting minute
/// of the week is tried (10,080 starts), otherwise one start is enough.
package struct WorstCaseAnalysis: Sendable {
    /// One stage on the worst path: when the customer arrived and when the stage handed them on.
    struct PathStep: Sendable, Hashable {
        var node: JourneyNode
        var stage: Int { node.stage }
        var arrive: Double
        var done: Double
        /// The edge taken into this step, if any (none for the first).
        var via: JourneyGraph.Edge?
        /// Calendar minutes of delay before arriving here.
        var delayBefore: Double
    }

    package struct Result: Sendable {
        /// Minutes from start to end in the promise's measure: calendar minutes, or working
        /// minutes for a business-time promise.
        var minutes: Double
        /// The starting minute of the week that gives the worst case.
        var startMinute: Double
        var path: [PathStep]
    }

    /// How the starts are tried: in blocks of lanes, or one after another (the reference the
    /// blocked scan is tested against).
    enum Scan { case blocked, oneStartAtATime }

    static func compute(_ ends: PromiseEnds, design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis,
                        model: TimeModel, scan: Scan = .blocked) -> Result? {
        guard graph.stageCount > 0, !ends.to.isEmpty else { return nil }
        let order = graph.unrolledOrder
        let active = criteria.active
        // Seeds: (node, entry, arrives only in business hours).
        var seeds: [Seed] = []
        if let from = ends.from {
            for s in from { for node in graph.nodes(of: s) where !criteria.arrivals[node].isEmpty { seeds.append(Seed(node: node, entry: nil, businessOnly: false)) } }
        } else {
            for (e, target) in graph.entryTargets.enumerated() {
                if let t = target, !criteria.entryRegions[e].isEmpty {
                    seeds.append(Seed(node: graph.node(stage: t, pass: 0), entry: e, businessOnly: design.entries[e].arrivesInBusinessHours))
                }
            }
        }
        guard !seeds.isEmpty else { return nil }
        let starts: [Double] = model.usesBusinessTime ? (0..<10_080).map(Double.init) : [0]
        let best = scan == .blocked
            ? latestEnd(ends, seeds: seeds, starts: starts, order: order, active: active, model: model, graph: graph)
            : latestEndOneStartAtATime(ends, seeds: seeds, starts: starts, order: order, active: active, model: model, graph: graph)
        guard let best else { return nil }
        return Result(minutes: best.minutes, startMinute: best.start,
                      path: path(ends, seeds: seeds, start: best.start, end: best.end, order: order, active: active,
                                 model: model, graph: graph))
    }

    /// The node's part in the blocked scan: its slot, what ends there, and its ways on with the
    /// targets already looked up.
    private struct Plan {
        var slot: Int
        var stage: Int
        var isEnd: Bool
        var work: ClockDuration
        var responds: ClockDuration?
        var edges: [(target: Int, isReject: Bool, delay: ClockDuration)]
    }

    /// The worst (latest) end over every start: the value, the first start that gives it and
    /// the first end node in unrolled order, exactly as trying the starts one after another.
    ///
    /// The starts go through the unrolling in blocks of lanes, so that what a node costs
    /// beyond the arithmetic (looking up its targets, its bounds, whether it ends the promise)
    /// is paid once per block rather than once per start. Each lane does the same arithmetic
    /// in the same order as the scalar scan, so the figures are the same to the bit.
    static func latestEnd(_ ends: PromiseEnds, seeds: [Seed], starts: [Double], order: [JourneyNode], active: NodeTable<[Bool]>,
                          model: TimeModel, graph: JourneyGraph) -> (minutes: Double, start: Double, end: JourneyNode)? {
        let plans: [Plan] = order.map { node in
            let s = node.stage
            var edges: [(target: Int, isReject: Bool, delay: ClockDuration)] = []
            for (k, step) in model.steps[s].enumerated() where active[node][k] {
                guard let target = graph.target(of: step.edge, from: node) else { continue }
                edges.append((target.slot, step.edge.kind == .reject, step.delay.worstCase))
            }
            return Plan(slot: node.slot, stage: s, isEnd: ends.to.contains(s), work: model.stageTime[s].worstCase,
                        responds: model.respondsTime[s]?.worstCase, edges: edges)
        }
        // Lanes per block: up to 64, fewer on a large unrolling so the block stays near 16 MB.
        let lanes = max(1, min(64, 2_000_000 / max(graph.nodeCount, 1)))
        var arrive = [Double](repeating: -.infinity, count: graph.nodeCount * lanes)
        // The block that last wrote each node's lanes; older lanes count as unreached.
        var stamp = [Int](repeating: -1, count: graph.nodeCount)
        var done = [Double](repeating: 0, count: lanes)
        var laneBest = [(minutes: Double, node: Int)](repeating: (-.infinity, -1), count: lanes)
        let clock = model.clock
        var best: (minutes: Double, start: Double, end: JourneyNode)?
        var block = 0
        var first = 0
        while first < starts.count {
            let width = min(lanes, starts.count - first)
            for k in 0..<width {
                laneBest[k] = (-.infinity, -1)
                let t0 = starts[first + k]
                let working = clock.isWorking(minuteOfWeek: t0)
                for seed in seeds where !seed.businessOnly || working {
                    WorstCaseAnalysis.touch(seed.node.slot, block, &stamp, &arrive, lanes)
                    arrive[seed.node.slot * lanes + k] = t0
                }
            }
            for (p, plan) in plans.enumerated() where stamp[plan.slot] == block {
                let base = plan.slot * lanes
                for k in 0..<width {
                    let a = arrive[base + k]
                    guard a > -.infinity else { continue }
                    var d = plan.work.added(to: a, on: clock)
                    if let responds = plan.responds { d = max(d, responds.added(to: a, on: clock)) }
                    done[k] = d
                    if plan.isEnd {
                        let t0 = starts[first + k]
                        let at = ends.untilDone ? d : ends.atFirstTouch ? (plan.responds?.added(to: a, on: clock) ?? a) : a
                        let end = clock.elapsed(from: t0, to: at, in: ends.measure)
                        if end > laneBest[k].minutes { laneBest[k] = (end, p) }
                    }
                }
                guard !plan.isEnd else { continue }
                for edge in plan.edges {
                    WorstCaseAnalysis.touch(edge.target, block, &stamp, &arrive, lanes)
                    let targetBase = edge.target * lanes
                    for k in 0..<width {
                        let a = arrive[base + k]
                        guard a > -.infinity else { continue }
                        // Rejected customers move on at once; routed ones after the work and the delay.
                        let time = edge.isReject ? a : edge.delay.added(to: done[k], on: clock)
                        if time > arrive[targetBase + k] { arrive[targetBase + k] = time }
                    }
                }
            }
            for k in 0..<width where laneBest[k].node >= 0 && laneBest[k].minutes > best?.minutes ?? -.infinity {
                best = (laneBest[k].minutes, starts[first + k], order[laneBest[k].node])
            }
            first += width
            block += 1
        }
        return best
    }

    /// `latestEnd` the plain way: the whole unrolling for one start, then the next start.
    static func latestEndOneStartAtATime(_ ends: PromiseEnds, seeds: [Seed], starts: [Double], order: [JourneyNode], active: NodeTable<[Bool]>,
                                         model: TimeModel, graph: JourneyGraph) -> (minutes: Double, start: Double, end: JourneyNode)? {
        let unreached = graph.table(repeating: -Double.infinity)
        var arrive = unreached
        var best: (minutes: Double, start: Double, end: JourneyNode)?
        for t0 in starts {
            let working = model.clock.isWorking(minuteOfWeek: t0)
            arrive = unreached
            var seeded = false
            for seed in seeds where !seed.businessOnly || working {
                arrive[seed.node] = t0
                seeded = true
            }
            guard seeded else { continue }
            for node in order {
                let a = arrive[node]
                guard a > -.infinity else { continue }
                let s = node.stage
                let done = latestDone(s, a, model)
                if ends.to.contains(s) {
                    // Working time elapsed is monotone in the end, so the latest end from each
                    // start is also the longest in business time.
                    let end = model.clock.elapsed(from: t0, to: ends.untilDone ? done : ends.atFirstTouch ? latestTouch(s, a, model) : a, in: ends.measure)
                    if end > best?.minutes ?? -.infinity { best = (end, t0, node) }
                    continue
                }
                relax(node, a, done, active: active, model: model, graph: graph) { target, time, _ in
                    if time > arrive[target] { arrive[target] = time }
                }
            }
        }
        return best
    }

    /// Clears a node's lanes the first time a block writes them.
    @inline(__always)
    private static func touch(_ slot: Int, _ block: Int, _ stamp: inout [Int], _ arrive: inout [Double], _ lanes: Int) {
        guard stamp[slot] != block else { return }
        stamp[slot] = block
        for k in 0..<lanes { arrive[slot * lanes + k] = -.infinity }
    }

    /// The latest a stage hands on a customer who arrived at `a`: its time at its bound, and
    /// never before its first touch.
    static func latestDone(_ s: Int, _ a: Double, _ model: TimeModel) -> Double {
        let done = model.stageTime[s].worstCase.added(to: a, on: model.clock)
        guard let responds = model.respondsTime[s] else { return done }
        return max(done, responds.worstCase.added(to: a, on: model.clock))
    }

    /// The latest first touch of a customer who arrived at `a`.
    static func latestTouch(_ s: Int, _ a: Double, _ model: TimeModel) -> Double {
        model.respondsTime[s]?.worstCase.added(to: a, on: model.clock) ?? a
    }

    /// Calls `visit(target, arrival, step)` for every active edge out of `node`.
    static func relax(_ node: JourneyNode, _ arrived: Double, _ done: Double, active: NodeTable<[Bool]>, model: TimeModel, graph: JourneyGraph,
                      _ visit: (JourneyNode, Double, TimeModel.Step) -> Void) {
        for (k, step) in model.steps[node.stage].enumerated() where active[node][k] {
            guard let target = graph.target(of: step.edge, from: node) else { continue }
            // Rejected customers move on at once; routed ones after the work and the delay.
            let time = step.edge.kind == .reject ? arrived : step.delay.worstCase.added(to: done, on: model.clock)
            visit(target, time, step)
        }
    }

    /// Where the worst case starts: a node, the entry it is (if any), and whether it takes
    /// arrivals only in business hours.
    struct Seed {
        var node: JourneyNode
        var entry: Int?
        var businessOnly: Bool
    }

    /// Re-runs the worst start with predecessors kept, and reads the path back.
    static func path(_ ends: PromiseEnds, seeds: [Seed], start t0: Double, end: JourneyNode, order: [JourneyNode],
                     active: NodeTable<[Bool]>, model: TimeModel, graph: JourneyGraph) -> [PathStep] {
        var arrive = graph.table(repeating: -Double.infinity)
        var previous: NodeTable<(node: JourneyNode, edge: JourneyGraph.Edge, delay: Double)?> = graph.table(repeating: nil)
        let working = model.clock.isWorking(minuteOfWeek: t0)
        for seed in seeds where !seed.businessOnly || working { arrive[seed.node] = t0 }
        var doneAt = graph.table(repeating: 0.0)
        for node in order {
            let a = arrive[node]
            guard a > -.infinity else { continue }
            let done = latestDone(node.stage, a, model)
            doneAt[node] = done
            if ends.to.contains(node.stage) { continue }
            relax(node, a, done, active: active, model: model, graph: graph) { target, time, step in
                if time > arrive[target] {
                    arrive[target] = time
                    previous[target] = (node, step.edge, step.edge.kind == .reject ? 0 : time - done)
                }
            }
        }
        var steps: [PathStep] = []
        var cursor: JourneyNode? = end
        var guardSteps = 0
        while let node = cursor, guardSteps <= graph.nodeCount {
            guardSteps += 1
            let p = previous[node]
            steps.append(PathStep(node: node, arrive: arrive[node], done: doneAt[node], via: p?.edge, delayBefore: p?.delay ?? 0))
            cursor = p?.node
        }
        return steps.reversed()
    }
}
