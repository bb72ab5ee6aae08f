/// The latest a customer can reach a promise's end: dynamic programming over the criteria-
/// active, loop-bounded unrolling, each stage and delay at its worst-case bound. Business
/// time is composed exactly along the path; with business time in play, every starting minute
/// of the week is tried (10,080 starts), otherwise one start is enough.
public struct WorstCaseAnalysis: Sendable {
    /// One stage on the worst path: when the customer arrived and when the stage handed them on.
    public struct PathStep: Sendable, Hashable {
        public var node: Int
        public var stage: Int
        public var arrive: Double
        public var done: Double
        /// The edge taken into this step, if any (none for the first).
        public var via: JourneyGraph.Edge?
        /// Calendar minutes of delay before arriving here.
        public var delayBefore: Double
    }

    public struct Result: Sendable {
        /// Minutes from start to end in the promise's measure: calendar minutes, or working
        /// minutes for a business-time promise.
        public var minutes: Double
        /// The starting minute of the week that gives the worst case.
        public var startMinute: Double
        public var path: [PathStep]
    }

    public static func compute(_ ends: PromiseEnds, design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis,
                               model: TimeModel) -> Result? {
        let n = design.stages.count
        let nodeCount = n * (graph.maxLoops + 1)
        guard n > 0, !ends.to.isEmpty else { return nil }
        let order = graph.unrolledOrder
        let active = criteria.active
        // Seeds: (node, entry, arrives only in business hours).
        var seeds: [(node: Int, entry: Int?, businessOnly: Bool)] = []
        if let from = ends.from {
            for s in from { for layer in 0...graph.maxLoops where !criteria.arrivals[layer * n + s].isEmpty { seeds.append((layer * n + s, nil, false)) } }
        } else {
            for (e, target) in graph.entryTargets.enumerated() {
                if let t = target, !criteria.entryRegions[e].isEmpty { seeds.append((t, e, design.entries[e].arrivesInBusinessHours)) }
            }
        }
        guard !seeds.isEmpty else { return nil }
        let starts: [Double] = model.usesBusinessTime ? (0..<10_080).map(Double.init) : [0]
        var arrive = [Double](repeating: -.infinity, count: nodeCount)
        var best: (minutes: Double, start: Double, end: Int)?
        for t0 in starts {
            let working = model.clock.isWorking(minuteOfWeek: t0)
            for i in 0..<nodeCount { arrive[i] = -.infinity }
            var seeded = false
            for seed in seeds where !seed.businessOnly || working {
                arrive[seed.node] = t0
                seeded = true
            }
            guard seeded else { continue }
            for node in order {
                let a = arrive[node]
                guard a > -.infinity else { continue }
                let s = node % n
                let done = latestDone(s, a, model)
                if ends.to.contains(s) {
                    // Working time elapsed is monotone in the end, so the latest end from each
                    // start is also the longest in business time.
                    let end = model.clock.elapsed(from: t0, to: ends.untilDone ? done : ends.atFirstTouch ? latestTouch(s, a, model) : a, in: ends.measure)
                    if end > best?.minutes ?? -.infinity { best = (end, t0, node) }
                    continue
                }
                relax(node, a, done, active: active, model: model, graph: graph, n: n) { target, time, _ in
                    if time > arrive[target] { arrive[target] = time }
                }
            }
        }
        guard let best else { return nil }
        return Result(minutes: best.minutes, startMinute: best.start,
                      path: path(ends, seeds: seeds, start: best.start, end: best.end, order: order, active: active,
                                 model: model, graph: graph, n: n, nodeCount: nodeCount))
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
    static func relax(_ node: Int, _ arrived: Double, _ done: Double, active: [[Bool]], model: TimeModel, graph: JourneyGraph, n: Int,
                      _ visit: (Int, Double, TimeModel.Step) -> Void) {
        let s = node % n
        let layer = node / n
        for (k, step) in model.steps[s].enumerated() where active[node][k] {
            guard let target = graph.target(of: step.edge, fromLayer: layer) else { continue }
            // Rejected customers move on at once; routed ones after the work and the delay.
            let time = step.edge.kind == .reject ? arrived : step.delay.worstCase.added(to: done, on: model.clock)
            visit(target.layer * n + target.stage, time, step)
        }
    }

    /// Re-runs the worst start with predecessors kept, and reads the path back.
    static func path(_ ends: PromiseEnds, seeds: [(node: Int, entry: Int?, businessOnly: Bool)], start t0: Double, end: Int, order: [Int],
                     active: [[Bool]], model: TimeModel, graph: JourneyGraph, n: Int, nodeCount: Int) -> [PathStep] {
        var arrive = [Double](repeating: -.infinity, count: nodeCount)
        var previous = [(node: Int, edge: JourneyGraph.Edge, delay: Double)?](repeating: nil, count: nodeCount)
        let working = model.clock.isWorking(minuteOfWeek: t0)
        for seed in seeds where !seed.businessOnly || working { arrive[seed.node] = t0 }
        var doneAt = [Double](repeating: 0, count: nodeCount)
        for node in order {
            let a = arrive[node]
            guard a > -.infinity else { continue }
            let done = latestDone(node % n, a, model)
            doneAt[node] = done
            if ends.to.contains(node % n) { continue }
            relax(node, a, done, active: active, model: model, graph: graph, n: n) { target, time, step in
                if time > arrive[target] {
                    arrive[target] = time
                    previous[target] = (node, step.edge, step.edge.kind == .reject ? 0 : time - done)
                }
            }
        }
        var steps: [PathStep] = []
        var cursor: Int? = end
        var guardSteps = 0
        while let node = cursor, guardSteps <= nodeCount {
            guardSteps += 1
            let p = previous[node]
            steps.append(PathStep(node: node, stage: node % n, arrive: arrive[node], done: doneAt[node], via: p?.edge, delayBefore: p?.delay ?? 0))
            cursor = p?.node
        }
        return steps.reversed()
    }
}
