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

    static func compute(_ ends: PromiseEnds, design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis,
                               model: TimeModel) -> Result? {
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
        guard let best else { return nil }
        return Result(minutes: best.minutes, startMinute: best.start,
                      path: path(ends, seeds: seeds, start: best.start, end: best.end, order: order, active: active,
                                 model: model, graph: graph))
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
