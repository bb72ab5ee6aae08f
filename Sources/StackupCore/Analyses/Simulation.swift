#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// A discrete-event simulation of the whole line at the declared rates: Poisson (or gamma
/// renewal, with an entry's `cv`) arrivals, `people` servers and a FIFO queue per stage with
/// capacity, efforts in calendar time, each stage's own time on its clock, routing by the
/// compiled regions, and the loop limit. Seeded, so runs repeat exactly.
public struct Simulation: Sendable {
    public struct Options: Sendable {
        public var customers: Int
        public var warmup: Int
        public var seed: UInt64

        public init(customers: Int = 100_000, warmup: Int? = nil, seed: UInt64 = 1) {
            self.customers = customers
            self.warmup = warmup ?? customers / 20
            self.seed = seed
        }
    }

    /// What one run gathered. Customers before `warmup` are simulated but not counted.
    public struct Result: Sendable {
        public struct PromiseFigures: Sendable {
            public var name: String
            /// Journey times in minutes of the counted customers who reached the end, sorted.
            public var times: [Double]
            /// Budget key → share of those customers within it.
            public var kept: [(key: String, share: Double)]
        }

        public struct StageFigures: Sendable {
            public var stage: String
            public var arrivalsPerWeek: Double
            public var utilization: Double?
            public var meanWaitHours: Double
            public var p90WaitHours: Double
            public var meanQueueLength: Double
            public var maxQueueLength: Int
            /// Queue length when half the customers had entered, and when the last one entered:
            /// a queue that keeps growing has about twice the length at the second.
            public var queueAtHalf: Int
            public var queueAtLastArrival: Int
        }

        public var customers: Int
        public var counted: Int
        public var seed: UInt64
        public var events: Int
        /// False when the run was interrupted before all customers finished.
        public var complete: Bool
        /// Weeks from the start to the last arrival: the span rates are measured over.
        public var simulatedWeeks: Double
        public var promises: [PromiseFigures]
        /// `won`, `lost`, `dropped` → share of counted customers.
        public var outcomes: [(key: String, share: Double)]
        public var stages: [StageFigures]
        /// Handoffs per counted customer → share.
        public var handoffs: [(count: Int, share: Double)]
    }

    private struct Event: Comparable {
        enum Kind: UInt8 { case entryArrival, arrive, serviceDone, leave }
        var time: Double
        var sequence: Int
        var kind: Kind
        var customer: Int
        var stage: Int

        static func < (a: Event, b: Event) -> Bool { a.time != b.time ? a.time < b.time : a.sequence < b.sequence }
    }

    /// A binary min-heap of events, sifting with a hole rather than swaps.
    private struct Heap {
        var items: [Event] = []

        @inline(__always)
        mutating func push(_ e: Event) {
            items.append(e)
            var i = items.count - 1
            while i > 0 {
                let parent = (i - 1) >> 1
                guard e < items[parent] else { break }
                items[i] = items[parent]
                i = parent
            }
            items[i] = e
        }

        @inline(__always)
        mutating func pop() -> Event? {
            guard let last = items.popLast() else { return nil }
            guard !items.isEmpty else { return last }
            let top = items[0]
            let n = items.count
            var i = 0
            while true {
                var child = 2 * i + 1
                guard child < n else { break }
                if child + 1 < n && items[child + 1] < items[child] { child += 1 }
                guard items[child] < last else { break }
                items[i] = items[child]
                i = child
            }
            items[i] = last
            return top
        }
    }

    /// Runs the simulation. `progress` is called now and then with the share done; returning
    /// false stops the run, which is then marked incomplete.
    public static func run(design: Design, analyses: Analyses, options: Options,
                           progress: (Double) -> Bool = { _ in true }) -> Result {
        let n = design.stages.count
        let criteria = analyses.criteria
        let graph = analyses.graph
        let model = analyses.time.model
        let clock = model.clock
        let dims = criteria.domain.attributes.count
        var rng = Xoshiro256StarStar(seed: options.seed)
        let total = max(options.customers, 0)
        let sampler = EntrySampler(design: design, domain: criteria.domain)

        // Everything the event loop reads per stage, precomputed into flat tables so that no
        // event copies a `Stage` or searches its edges.
        var pool = RegionPool(dimensions: dims)
        let acceptHandle = (0..<n).map { design.stages[$0].accepts == nil ? -1 : pool.add(criteria.acceptsRegions[$0]) }
        let outcomeIndex: [Int] = design.stages.map { st in st.outcome.map { $0 == .won ? 0 : 1 } ?? -1 }
        let isContact = design.stages.map(\.contact)
        let rejectEdge: [JourneyGraph.Edge?] = (0..<n).map { s in graph.edges[s].first { $0.kind == .reject } }
        struct Choice { var region: Int; var edge: JourneyGraph.Edge?; var delay: TimeDistribution }
        let choices: [[Choice]] = (0..<n).map { s in
            design.stages[s].routes.enumerated().map { r, route in
                let edgeIndex = graph.edges[s].firstIndex { $0.kind == .route(r) }
                return Choice(region: route.when == nil && !route.whenIsInvalid ? -1 : pool.add(criteria.whenRegions[s][r]),
                              edge: edgeIndex.map { graph.edges[s][$0] },
                              delay: edgeIndex.map { model.steps[s][$0].delay } ?? .zero)
            }
        }
        let regions = pool

        // Per customer.
        var point = [Double](repeating: 0, count: total * max(dims, 1))
        var layer = [Int](repeating: 0, count: total)
        var contacts = [Int](repeating: 0, count: total)
        var queuedAt = [Double](repeating: 0, count: total)
        let promiseEnds = design.customer.promises.map { PromiseEnds($0, design: design) }
        // Per promise and stage: does the clock start or stop there? Tables, not set lookups.
        let startsAt = promiseEnds.map { ends in (0..<n).map { ends.from?.contains($0) ?? false } }
        let stopsAt = promiseEnds.map { ends in (0..<n).map { ends.to.contains($0) } }
        let untilDone = promiseEnds.map(\.untilDone)
        var promiseStart = [[Double]](repeating: [Double](repeating: -1, count: total), count: promiseEnds.count)
        var promiseTimes = [[Double]](repeating: [], count: promiseEnds.count)
        var outcomeCounts = [0, 0, 0]  // won, lost, dropped
        var handoffCounts = [Int](repeating: 0, count: n + 2)

        // Per stage.
        let servers = design.stages.map { $0.capacity.isUnlimited ? 0 : $0.capacity.people }
        let effortMean = design.stages.map { st in st.capacity.each.perWeek.map { BusinessClock.week / $0 } ?? 0 }
        let effortSCV = design.stages.map { $0.capacity.cv * $0.capacity.cv }
        var busy = [Int](repeating: 0, count: n)
        var queues = [[Int]](repeating: [], count: n)
        var queueHead = [Int](repeating: 0, count: n)
        var busyArea = [Double](repeating: 0, count: n)
        var queueArea = [Double](repeating: 0, count: n)
        var lastChange = [Double](repeating: 0, count: n)
        var maxQueue = [Int](repeating: 0, count: n)
        var waits = [[Double]](repeating: [], count: n)
        var arrivals = [Int](repeating: 0, count: n)
        var queueAtHalf = [Int](repeating: 0, count: n)
        var queueAtLast = [Int](repeating: 0, count: n)
        // Rates and busy shares are measured while customers arrive; after the last arrival
        // the line only drains, which would dilute them.
        var busyAtLast = [Double](repeating: 0, count: n)
        var queueAreaAtLast = [Double](repeating: 0, count: n)
        var arrivalsAtLast = [Int](repeating: 0, count: n)
        var lastArrival = 0.0

        var heap = Heap()
        var sequence = 0
        var events = 0
        var finished = 0
        var started = 0
        var now = 0.0
        var complete = true
        func schedule(_ kind: Event.Kind, at time: Double, customer: Int, stage: Int) {
            sequence += 1
            heap.push(Event(time: time, sequence: sequence, kind: kind, customer: customer, stage: stage))
        }
        func account(_ s: Int) {
            let dt = now - lastChange[s]
            if dt > 0 {
                busyArea[s] += Double(busy[s]) * dt
                queueArea[s] += Double(queues[s].count - queueHead[s]) * dt
            }
            lastChange[s] = now
        }
        func counted(_ c: Int) -> Bool { c >= options.warmup }

        // One arrival stream per entry, by rate.
        for (e, entry) in design.entries.enumerated() {
            guard let perWeek = entry.rate.perWeek, perWeek > 0, graph.entryTargets[e] != nil else { continue }
            schedule(.entryArrival, at: sampler.gap(e, &rng, clock: clock, from: 0), customer: -1, stage: e)
        }

        func finish(_ c: Int, _ outcome: Int) {
            finished += 1
            guard counted(c) else { return }
            outcomeCounts[outcome] += 1
            handoffCounts[min(max(contacts[c] - 1, 0), n + 1)] += 1
        }

        func holds(_ handle: Int, _ c: Int) -> Bool {
            handle < 0 || point.withUnsafeBufferPointer { regions.contains(handle, UnsafeBufferPointer(rebasing: $0[(c * dims)..<(c * dims + dims)])) }
        }

        func arrive(_ c: Int, at s: Int) {
            arrivals[s] += 1
            for p in 0..<promiseEnds.count {
                if promiseStart[p][c] < 0 && startsAt[p][s] { promiseStart[p][c] = now }
                if promiseStart[p][c] >= 0 && stopsAt[p][s] && !untilDone[p] {
                    if counted(c) { promiseTimes[p].append(now - promiseStart[p][c]) }
                    promiseStart[p][c] = -2
                }
            }
            if outcomeIndex[s] >= 0 {
                finish(c, outcomeIndex[s])
                return
            }
            if !holds(acceptHandle[s], c) {
                guard let edge = rejectEdge[s] else { finish(c, 2); return }
                move(c, along: edge, delay: nil, at: now)
                return
            }
            if servers[s] == 0 {
                startWork(c, at: s)
                return
            }
            account(s)
            if busy[s] < servers[s] {
                busy[s] += 1
                if counted(c) { waits[s].append(0) }
                schedule(.serviceDone, at: now + effort(s), customer: c, stage: s)
                startWork(c, at: s)
            } else {
                queuedAt[c] = now
                queues[s].append(c)
                maxQueue[s] = max(maxQueue[s], queues[s].count - queueHead[s])
            }
        }

        func effort(_ s: Int) -> Double {
            let mean = effortMean[s]
            let scv = effortSCV[s]
            if scv == 0 { return mean }
            if scv == 1 { return -log(rng.openUniform()) * mean }
            return Gamma.sample(shape: 1 / scv, scale: mean * scv, &rng)
        }

        // A stage with capacity but no `sla` keeps the customer for the effort itself: they
        // leave when the person is done (so a line of such stages is a Jackson network).
        let leavesWithEffort = design.stages.map { $0.sla == nil && !$0.capacity.isUnlimited }

        func startWork(_ c: Int, at s: Int) {
            if isContact[s] { contacts[c] += 1 }
            guard !leavesWithEffort[s] else { return }
            let done = model.stageTime[s].sampleDuration(&rng).added(to: now, on: clock)
            schedule(.leave, at: done, customer: c, stage: s)
        }

        func move(_ c: Int, along edge: JourneyGraph.Edge, delay: TimeDistribution?, at time: Double) {
            if edge.isBack {
                guard layer[c] < graph.maxLoops else { finish(c, 2); return }
                layer[c] += 1
            }
            let t = delay.map { $0.sampleDuration(&rng).added(to: time, on: clock) } ?? time
            schedule(.arrive, at: t, customer: c, stage: edge.to)
        }

        func leave(_ c: Int, from s: Int) {
            for p in 0..<promiseEnds.count where untilDone[p] && promiseStart[p][c] >= 0 && stopsAt[p][s] {
                if counted(c) { promiseTimes[p].append(now - promiseStart[p][c]) }
                promiseStart[p][c] = -2
            }
            for choice in choices[s] where holds(choice.region, c) {
                guard let edge = choice.edge else { finish(c, 2); return }
                move(c, along: edge, delay: choice.delay, at: now)
                return
            }
            finish(c, 2)
        }

        let progressEvery = max(total / 100, 1)
        while let event = heap.pop() {
            now = event.time
            events += 1
            switch event.kind {
            case .entryArrival:
                let e = event.stage
                if started < total {
                    let c = started
                    started += 1
                    sampler.draw(entry: e, into: &point, at: c * dims, &rng)
                    for (p, ends) in promiseEnds.enumerated() where ends.from == nil { promiseStart[p][c] = now }
                    if let target = graph.entryTargets[e] { arrive(c, at: target) }
                    if started < total { schedule(.entryArrival, at: sampler.gap(e, &rng, clock: clock, from: now), customer: -1, stage: e) }
                    if started == total / 2 { for s in 0..<n { queueAtHalf[s] = queues[s].count - queueHead[s] } }
                    if started == total {
                        lastArrival = now
                        for s in 0..<n {
                            account(s)
                            queueAtLast[s] = queues[s].count - queueHead[s]
                            busyAtLast[s] = busyArea[s]
                            queueAreaAtLast[s] = queueArea[s]
                            arrivalsAtLast[s] = arrivals[s]
                        }
                    }
                    if started % progressEvery == 0 && !progress(Double(started) / Double(max(total, 1))) {
                        complete = false
                        break
                    }
                }
            case .arrive:
                arrive(event.customer, at: event.stage)
            case .leave:
                leave(event.customer, from: event.stage)
            case .serviceDone:
                let s = event.stage
                account(s)
                if leavesWithEffort[s] { leave(event.customer, from: s) }
                if queueHead[s] < queues[s].count {
                    let next = queues[s][queueHead[s]]
                    queueHead[s] += 1
                    // Compact the queue now and then, so that it does not grow without end.
                    if queueHead[s] > 4096 && queueHead[s] * 2 > queues[s].count {
                        queues[s].removeFirst(queueHead[s])
                        queueHead[s] = 0
                    }
                    if counted(next) { waits[s].append(now - queuedAt[next]) }
                    schedule(.serviceDone, at: now + effort(s), customer: next, stage: s)
                    startWork(next, at: s)
                } else {
                    busy[s] -= 1
                }
            }
            if !complete { break }
            // Once every customer has entered, the queues of an overloaded line would take
            // forever to drain; stop when all who can finish have.
            if started == total && finished == total { break }
        }
        for s in 0..<n { account(s) }

        // Customers who entered after the warm-up: fewer than asked when interrupted.
        let countedCustomers = max(started - options.warmup, 0)
        if started < total {
            // Interrupted: measure up to now.
            lastArrival = now
            for s in 0..<n { busyAtLast[s] = busyArea[s]; queueAreaAtLast[s] = queueArea[s]; arrivalsAtLast[s] = arrivals[s] }
        }
        let weeks = lastArrival / BusinessClock.week
        let promises = design.customer.promises.enumerated().map { p, promise -> Result.PromiseFigures in
            let times = promiseTimes[p].sorted()
            var kept: [(String, Double)] = []
            for (key, d) in [("p50", promise.p50), ("p90", promise.p90), ("p99", promise.p99), ("max", promise.max)] {
                guard let d else { continue }
                let budget = d.nominalHours * 60
                kept.append((key, times.isEmpty ? 0 : Double(TimeAnalysis.countAtMost(times, budget)) / Double(times.count)))
            }
            return Result.PromiseFigures(name: promise.name, times: times, kept: kept)
        }
        let stages = (0..<n).filter { !design.stages[$0].isOutcome && arrivals[$0] > 0 }.map { s -> Result.StageFigures in
            let w = waits[s].sorted()
            let span = max(lastArrival, 1e-9)
            return Result.StageFigures(
                stage: design.stages[s].id, arrivalsPerWeek: weeks > 0 ? Double(arrivalsAtLast[s]) / weeks : 0,
                utilization: servers[s] > 0 ? busyAtLast[s] / (Double(servers[s]) * span) : nil,
                meanWaitHours: w.isEmpty ? 0 : w.reduce(0, +) / Double(w.count) / 60,
                p90WaitHours: w.isEmpty ? 0 : TimeAnalysis.quantile(w, 0.9).value / 60,
                meanQueueLength: queueAreaAtLast[s] / span, maxQueueLength: maxQueue[s],
                queueAtHalf: queueAtHalf[s], queueAtLastArrival: queueAtLast[s])
        }
        let finishedCounted = outcomeCounts.reduce(0, +)
        let outcomes = ["won", "lost", "dropped"].enumerated().map { ($1, finishedCounted > 0 ? Double(outcomeCounts[$0]) / Double(finishedCounted) : 0) }
        let handoffTotal = handoffCounts.reduce(0, +)
        let handoffs = handoffCounts.indices.filter { handoffCounts[$0] > 0 }.map { ($0, Double(handoffCounts[$0]) / Double(max(handoffTotal, 1))) }
        return Result(customers: total, counted: countedCustomers, seed: options.seed, events: events, complete: complete,
                      simulatedWeeks: weeks, promises: promises, outcomes: outcomes, stages: stages, handoffs: handoffs)
    }
}

/// Gamma draws by Marsaglia and Tsang's method, for arrivals and efforts with a given cv.
enum Gamma {
    static func sample(shape k: Double, scale: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        if k < 1 {
            // Boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
            return sample(shape: k + 1, scale: scale, &rng) * pow(rng.openUniform(), 1 / k)
        }
        let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = rng.normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.openUniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v * scale }
        }
    }
}

/// Arrival gaps and attributes for the simulation's entries.
struct EntrySampler: Sendable {
    let attributes: AttributeSampler
    /// Mean gap in minutes (calendar, or working for business-hours entries), and the cv².
    let meanGap: [Double]
    let scv: [Double]
    let business: [Bool]
    let dims: Int

    init(design: Design, domain: RegionDomain) {
        attributes = AttributeSampler(entries: design.entries, domain: domain)
        let clock = BusinessClock(design.calendar)
        business = design.entries.map(\.arrivesInBusinessHours)
        meanGap = design.entries.map { e in
            let perWeek = e.rate.perWeek ?? 0
            guard perWeek > 0 else { return .infinity }
            return (e.arrivesInBusinessHours ? clock.weekLength : BusinessClock.week) / perWeek
        }
        scv = design.entries.map { $0.cv * $0.cv }
        dims = domain.attributes.count
    }

    func gap(_ e: Int, _ rng: inout Xoshiro256StarStar, clock: BusinessClock, from t: Double) -> Double {
        let mean = meanGap[e]
        let g = scv[e] == 1 ? -log(rng.openUniform()) * mean : Gamma.sample(shape: 1 / scv[e], scale: mean * scv[e], &rng)
        return business[e] ? clock.addBusiness(t, g) : t + g
    }

    func draw(entry: Int, into point: inout [Double], at base: Int, _ rng: inout Xoshiro256StarStar) {
        var scratch = [Double](repeating: 0, count: max(dims, 1))
        scratch.withUnsafeMutableBufferPointer { buffer in
            var b = buffer
            attributes.draw(entry: entry, into: &b, &rng)
        }
        for d in 0..<dims { point[base + d] = scratch[d] }
    }
}
