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
        /// Keep every visit of every customer, warm-up included, as `Result.log`.
        public var recordsVisits: Bool

        public init(customers: Int = 100_000, warmup: Int? = nil, seed: UInt64 = 1, recordsVisits: Bool = false) {
            self.customers = customers
            self.warmup = warmup ?? customers / 20
            self.seed = seed
            self.recordsVisits = recordsVisits
        }
    }

    /// One visit of one simulated customer: when they arrived at the stage and when they left
    /// it (nil for an outcome, which ends the journey), in minutes from the start.
    public struct Visit: Sendable, Hashable {
        /// The customer's number, in order of entry, from 0.
        public var customer: Int
        public var stage: Int
        public var entered: Double
        public var left: Double?
    }

    /// What one run gathered. Customers before `warmup` are simulated but not counted.
    public struct Result: Sendable {
        public struct PromiseFigures: Sendable {
            public var name: String
            /// Journey times in minutes of the counted customers who reached the end, in no
            /// particular order.
            public var times: [Double]
            /// Minutes within which 50%, 90% and 99% of them arrived (nil when none did), as
            /// `TimeAnalysis.quantile` gives them on the sorted times.
            public var p50: Double?
            public var p90: Double?
            public var p99: Double?
            /// Per budget: its key, the budget in minutes of the promise's measure, and the
            /// share of those customers within it.
            public var kept: [(key: String, budget: Double, share: Double)]
            /// Calendar time, or working time: the figures are then working minutes.
            public var measure: TimeMeasure = .calendar
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
            /// Utilisation at the declared rates (`over-capacity`'s figure), when it has capacity.
            var declaredUtilization: Double? = nil
            /// Loaded at or above capacity at the declared rates: the queue grows without end,
            /// so its waits grow with the length of the run and are no figure of the stage.
            /// (The measured utilisation cannot show it: busy people are at most 100% busy.)
            public var isUnstable: Bool { (declaredUtilization ?? 0) >= 1 }
        }

        /// Why customers were dropped.
        public enum DropReason: String, CaseIterable, Sendable {
            case noRoute = "no_route"
            case rejected = "rejected"
            case loopLimit = "loop_limit"
            case maxVisits = "max_visits"

            /// As a sales leader reads it.
            public var label: String {
                switch self {
                case .noRoute: return "no route matched"
                case .rejected: return "rejected without `rejects_to`"
                case .loopLimit: return "loop limit"
                case .maxVisits: return "`max_visits`"
                }
            }
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
        /// The dropped, by reason → share of counted customers.
        public var dropped: [(reason: DropReason, share: Double)] = []
        public var stages: [StageFigures]
        /// Handoffs per counted customer → share.
        public var handoffs: [(count: Int, share: Double)]
        /// Every visit, in the order they began, when `Options.recordsVisits` asked for them.
        public var log: [Visit] = []
    }

    /// Simulates a design that loaded: the routing regions and time model come from its
    /// analyses (computed here; the promise statistics are not needed, so one sample).
    public static func run(design: Design, options: Options, progress: (Double) -> Bool = { _ in true }) -> Result {
        run(design: design, analyses: Analyses(design: design, samples: 1, seed: options.seed), options: options, progress: progress)
    }

    /// Runs the simulation. `progress` is called now and then with the share done; returning
    /// false stops the run, which is then marked incomplete.
    package static func run(design: Design, analyses: Analyses, options: Options,
                           progress: (Double) -> Bool = { _ in true }) -> Result {
        var engine = Engine(design: design, analyses: analyses, options: options)
        defer { engine.release() }
        engine.simulate(progress: progress)
        return engine.result(design: design, options: options)
    }
}

/// One event: when, its kind, and the customer and stage (or entry) it concerns.
private struct Event {
    enum Kind: UInt8 { case entryArrival, arrive, serviceDone, leave }
    var time: Double
    var kind: Kind
    var customer: Int
    var stage: Int
}

/// A binary min-heap of events ordered by time, then by the order they were scheduled.
/// Each event's key is one 128-bit integer, the time's bits (times are never negative, and
/// the bits of non-negative doubles order as the doubles do) above the sequence number, so
/// picking the lesser child is one compare feeding a select rather than a branch, since which
/// child is less is a coin toss no predictor can learn. The keys are aligned so that two
/// children share a cache line. Manual storage: an `Array` re-checks uniqueness on every
/// write. (These choices are by reasoning; no branching or `Array` heap was timed beside it.)
private struct EventHeap {
    private(set) var count = 0
    private var capacity = 0
    private var keyStorage: UnsafeMutableRawPointer
    /// Time bits << 64 | sequence number << 8 | kind. Unique: the sequence number is.
    private var key: UnsafeMutablePointer<UInt128>
    /// The customer << 32 | the stage.
    private var who: UnsafeMutablePointer<UInt64>
    private var sequence: UInt64 = 0
    private var taken = false

    init() {
        (keyStorage, key, who) = EventHeap.allocate(1024)
        capacity = 1024
    }

    /// Keys start one slot into a 64-byte aligned block, so that the children of node i, at
    /// 2i+1 and 2i+2, share a cache line. Two slots of slack past the end hold sentinels for
    /// the last node's children.
    private static func allocate(_ capacity: Int) -> (UnsafeMutableRawPointer, UnsafeMutablePointer<UInt128>, UnsafeMutablePointer<UInt64>) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (capacity + 3) * MemoryLayout<UInt128>.stride, alignment: 64)
        let keys = raw.bindMemory(to: UInt128.self, capacity: capacity + 3) + 1
        keys.initialize(repeating: .max, count: capacity + 2)
        let whos = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity + 2)
        whos.initialize(repeating: 0, count: capacity + 2)
        return (raw, keys, whos)
    }

    mutating func release() {
        keyStorage.deallocate()
        who.deallocate()
    }

    private mutating func grow() {
        let (raw, keys, whos) = EventHeap.allocate(capacity * 2)
        keys.update(from: key, count: count)
        whos.update(from: who, count: count)
        release()
        (keyStorage, key, who) = (raw, keys, whos)
        capacity *= 2
    }

    @inline(__always)
    private func event(_ i: Int) -> Event {
        let k = key[i]
        return Event(time: Double(bitPattern: UInt64(truncatingIfNeeded: k >> 64)),
                     kind: Event.Kind(rawValue: UInt8(truncatingIfNeeded: k)) ?? .arrive,
                     customer: Int(Int32(truncatingIfNeeded: who[i] >> 32)), stage: Int(Int32(truncatingIfNeeded: who[i])))
    }

    /// The least event, left in place while it is handled: the first event scheduled then
    /// takes its slot with one sift down, instead of a pop and a push (`settle` removes it
    /// when nothing was scheduled). Keys are unique, so the order of events is the same.
    @inline(__always)
    mutating func take() -> Event? {
        guard count > 0 else { return nil }
        taken = true
        return event(0)
    }

    /// Removes the taken event if no new event took its slot.
    @inline(__always)
    mutating func settle() {
        guard taken else { return }
        taken = false
        count -= 1
        let n = count
        let lk = key[n], lw = who[n]
        // The slot left empty becomes a sentinel that no real event sorts after.
        key[n] = .max
        if n > 0 { siftDown(lk, lw) }
    }

    @inline(__always)
    mutating func push(_ e: Event) {
        sequence += 1
        // `+ 0.0` turns a negative zero, whose bits would sort last, into zero.
        let k = UInt128((e.time + 0.0).bitPattern) << 64 | UInt128(sequence << 8 | UInt64(e.kind.rawValue))
        let w = UInt64(UInt32(truncatingIfNeeded: e.customer)) << 32 | UInt64(UInt32(truncatingIfNeeded: e.stage))
        if taken {
            taken = false
            siftDown(k, w)
            return
        }
        if count == capacity { grow() }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            let pk = key[parent]
            guard k < pk else { break }
            key[i] = pk
            who[i] = who[parent]
            i = parent
        }
        key[i] = k
        who[i] = w
    }

    /// Puts an event in the root's slot and sifts it down to its place.
    @inline(__always)
    private mutating func siftDown(_ lk: UInt128, _ lw: UInt64) {
        let n = count
        var i = 0
        while true {
            let first = 2 * i + 1
            guard first < n else { break }
            // The lesser child: a slot past the end is a sentinel.
            let k0 = key[first], k1 = key[first + 1]
            let best = k1 < k0 ? first + 1 : first
            let bk = k1 < k0 ? k1 : k0
            guard bk < lk else { break }
            key[i] = bk
            who[i] = who[best]
            i = best
        }
        key[i] = lk
        who[i] = lw
    }
}

/// The state of one run. Tables that only the setup writes are arrays; what the event loop
/// writes lives in buffers it owns, freed by `release`, so that no write pays for
/// copy-on-write checks. Indices into them are stage and customer numbers the engine made
/// itself, never input.
private struct Engine {
    typealias Hop = RoutingTables.Hop

    // Fixed for the run.
    let n: Int
    let dims: Int
    let total: Int
    let warmup: Int
    let promiseCount: Int
    let maxLoops: Int
    let clock: BusinessClock
    let routing: RoutingTables
    let sampler: EntrySampler
    let outcomeIndex: [Int]
    let isContact: [Bool]
    let servers: [Int]
    let effortMean: [Double]
    let effortSCV: [Double]
    /// A stage with capacity but no `sla` keeps the customer for the effort itself: they
    /// leave when the person is done (so a line of such stages is a Jackson network).
    let leavesWithEffort: [Bool]
    /// Per stage: utilisation at the declared rates, from the flow analysis.
    let declaredUtilization: [Double?]
    /// Per promise p and stage s at `p * n + s`: does the clock start or stop there?
    let startsAt: [Bool]
    let stopsAt: [Bool]
    let untilDone: [Bool]
    let startsAtEntry: [Bool]
    /// Per promise: its measure, and whether it ends at the first touch (`to: first-contact`).
    let measures: [TimeMeasure]
    let atFirstTouch: [Bool]
    /// Per stage: its index among the stages that set `max_visits` (-1 for the others).
    let limitIndex: [Int]
    /// Per stage: does any promise's clock start or stop on arriving there, or stop on
    /// leaving? Most stages are neither, and skip the promise loop.
    let promiseOnArrival: [Bool]
    let promiseOnLeaving: [Bool]

    /// The customers in the line, in recycled slots.
    var slots: CustomerSlots

    // Per stage.
    let busy: UnsafeMutableBufferPointer<Int>
    let queueFirst: UnsafeMutableBufferPointer<Int32>
    let queueLast: UnsafeMutableBufferPointer<Int32>
    let queueLength: UnsafeMutableBufferPointer<Int>
    let busyArea: UnsafeMutableBufferPointer<Double>
    let queueArea: UnsafeMutableBufferPointer<Double>
    let lastChange: UnsafeMutableBufferPointer<Double>
    let maxQueue: UnsafeMutableBufferPointer<Int>
    let arrivals: UnsafeMutableBufferPointer<Int>
    let queueAtHalf: UnsafeMutableBufferPointer<Int>
    let queueAtLast: UnsafeMutableBufferPointer<Int>
    // Rates and busy shares are measured while customers arrive; after the last arrival the
    // line only drains, which would dilute them.
    let busyAtLast: UnsafeMutableBufferPointer<Double>
    let queueAreaAtLast: UnsafeMutableBufferPointer<Double>
    let arrivalsAtLast: UnsafeMutableBufferPointer<Int>

    /// `Options.recordsVisits`: every visit, and per slot the visit it is in.
    let recordsVisits: Bool
    var log: [Simulation.Visit] = []
    var openVisits: [Int] = []
    var rng: Xoshiro256StarStar
    var heap = EventHeap()
    /// An arrival due now (a route without delay): handled before the next event, without a
    /// trip through the heap. Each event moves one customer, so one slot is enough.
    var readyCustomer = -1
    var readyStage = 0
    /// Counted customers' queue waits, grouped by stage at the end.
    var waits: [(stage: Int32, minutes: Double)] = []
    var promiseTimes: [[Double]]
    var outcomeCounts = [0, 0, 0]  // won, lost, dropped
    var dropCounts = [Int](repeating: 0, count: Simulation.Result.DropReason.allCases.count)
    var handoffCounts: [Int]
    var events = 0
    var finished = 0
    var started = 0
    var now = 0.0
    var lastArrival = 0.0
    var complete = true

    init(design: Design, analyses: Analyses, options: Simulation.Options) {
        let n = design.stages.count
        let criteria = analyses.criteria
        let graph = analyses.graph
        let model = analyses.time.model
        self.n = n
        dims = criteria.domain.attributes.count
        total = max(options.customers, 0)
        warmup = options.warmup
        maxLoops = graph.maxLoops
        clock = model.clock
        rng = Xoshiro256StarStar(seed: options.seed)
        recordsVisits = options.recordsVisits
        sampler = EntrySampler(design: design, domain: criteria.domain, clock: model.clock)

        routing = RoutingTables(design: design, criteria: criteria, model: model)
        outcomeIndex = design.stages.map { st in st.outcome.map { $0 == .won ? 0 : 1 } ?? -1 }
        isContact = design.stages.map(\.contact)
        servers = design.stages.map { $0.capacity.isUnlimited ? 0 : $0.capacity.people }
        effortMean = design.stages.map { st in st.capacity.each.perWeek.map { BusinessClock.week / $0 } ?? 0 }
        effortSCV = design.stages.map { $0.capacity.cv * $0.capacity.cv }
        leavesWithEffort = design.stages.map { $0.sla == nil && !$0.capacity.isUnlimited }
        declaredUtilization = (0..<n).map { analyses.flow?.stages[$0].utilization }

        let ends = design.customer.promises.map { PromiseEnds($0, design: design) }
        promiseCount = ends.count
        startsAt = ends.flatMap { e in (0..<n).map { e.from?.contains($0) ?? false } }
        stopsAt = ends.flatMap { e in (0..<n).map { e.to.contains($0) } }
        untilDone = ends.map(\.untilDone)
        startsAtEntry = ends.map { $0.from == nil }
        measures = ends.map(\.measure)
        atFirstTouch = ends.map(\.atFirstTouch)
        var limited = 0
        limitIndex = design.stages.map { st in
            guard st.maxVisits != nil else { return -1 }
            limited += 1
            return limited - 1
        }
        promiseOnArrival = (0..<n).map { s in ends.contains { e in (e.from?.contains(s) ?? false) || (e.to.contains(s) && !e.untilDone) } }
        promiseOnLeaving = (0..<n).map { s in ends.contains { e in e.to.contains(s) && e.untilDone } }
        promiseTimes = [[Double]](repeating: [], count: ends.count)
        for p in promiseTimes.indices { promiseTimes[p].reserveCapacity(total) }
        handoffCounts = [Int](repeating: 0, count: n + 2)

        slots = CustomerSlots(dimensions: dims, promises: ends.count, limitedStages: limited)
        busy = UnsafeMutableBufferPointer.filled(n, 0)
        queueFirst = UnsafeMutableBufferPointer.filled(n, -1)
        queueLast = UnsafeMutableBufferPointer.filled(n, -1)
        queueLength = UnsafeMutableBufferPointer.filled(n, 0)
        busyArea = UnsafeMutableBufferPointer.filled(n, 0)
        queueArea = UnsafeMutableBufferPointer.filled(n, 0)
        lastChange = UnsafeMutableBufferPointer.filled(n, 0)
        maxQueue = UnsafeMutableBufferPointer.filled(n, 0)
        arrivals = UnsafeMutableBufferPointer.filled(n, 0)
        queueAtHalf = UnsafeMutableBufferPointer.filled(n, 0)
        queueAtLast = UnsafeMutableBufferPointer.filled(n, 0)
        busyAtLast = UnsafeMutableBufferPointer.filled(n, 0)
        queueAreaAtLast = UnsafeMutableBufferPointer.filled(n, 0)
        arrivalsAtLast = UnsafeMutableBufferPointer.filled(n, 0)
        waits.reserveCapacity(total)
    }

    mutating func release() {
        heap.release()
        slots.deallocate()
        for b in [busyArea, queueArea, lastChange, busyAtLast, queueAreaAtLast] { b.deallocate() }
        for b in [queueFirst, queueLast] { b.deallocate() }
        for b in [busy, queueLength, maxQueue, arrivals, queueAtHalf, queueAtLast, arrivalsAtLast] { b.deallocate() }
    }

    @inline(__always)
    mutating func schedule(_ kind: Event.Kind, at time: Double, customer: Int, stage: Int) {
        heap.push(Event(time: time, kind: kind, customer: customer, stage: stage))
    }

    @inline(__always)
    func account(_ s: Int) {
        let dt = now - lastChange[s]
        if dt > 0 {
            busyArea[s] += Double(busy[s]) * dt
            queueArea[s] += Double(queueLength[s]) * dt
        }
        lastChange[s] = now
    }

    @inline(__always)
    func counted(_ c: Int) -> Bool { slots.number[c] >= warmup }

    @inline(__always)
    func holds(_ handle: Int, _ c: Int) -> Bool {
        guard handle >= 0 else { return true }
        var point = UnsafeBufferPointer(rebasing: slots.point[(c * dims)..<(c * dims + dims)])
        return routing.regions.contains(handle, &point)
    }

    /// The customer's journey ends. No event of theirs is left in the heap but possibly the
    /// end of an effort at a stage with an SLA, which does not read the customer; so the slot
    /// can take the next customer at once.
    mutating func finish(_ c: Int, _ outcome: Int, dropped reason: Simulation.Result.DropReason? = nil) {
        finished += 1
        if recordsVisits { closeVisit(c, outcome: outcome < 2 && reason == nil) }
        if counted(c) {
            outcomeCounts[outcome] += 1
            if let reason, let k = Simulation.Result.DropReason.allCases.firstIndex(of: reason) { dropCounts[k] += 1 }
            handoffCounts[min(max(Int(slots.contacts[c]) - 1, 0), n + 1)] += 1
        }
        slots.release(c)
    }

    mutating func effort(_ s: Int) -> Double {
        Gamma.sample(mean: effortMean[s], scv: effortSCV[s], &rng)
    }

    /// Stops promise `p` of customer `c` at `end`, if its clock runs.
    @inline(__always)
    mutating func stop(_ p: Int, of c: Int, at end: Double) {
        let k = c * promiseCount + p
        guard slots.promiseStart[k] >= 0 else { return }
        if counted(c) { promiseTimes[p].append(clock.elapsed(from: slots.promiseStart[k], to: end, in: measures[p])) }
        slots.promiseStart[k] = -2
    }

    mutating func arrive(_ c: Int, at s: Int) {
        if recordsVisits { openVisit(c, at: s) }
        if limitIndex[s] >= 0 {
            // The (N+1)-th arrival at a stage with `max_visits: N` is dropped there.
            let k = c * slots.limitedStages + limitIndex[s]
            slots.visits[k] += 1
            guard Int(slots.visits[k]) <= routing.maxVisits[s] else { finish(c, 2, dropped: .maxVisits); return }
        }
        arrivals[s] += 1
        let accepted = holds(routing.stages[s].accept, c)
        for p in 0..<promiseCount where promiseOnArrival[s] {
            let k = c * promiseCount + p
            if slots.promiseStart[k] < 0 && slots.promiseStart[k] != -3 && startsAt[p * n + s] { slots.promiseStart[k] = now }
            // A first-touch promise stops when the person first touches the customer, after
            // any queue; one rejected at once is touched on arrival.
            if stopsAt[p * n + s] && !untilDone[p] && (!atFirstTouch[p] || !accepted || outcomeIndex[s] >= 0) { stop(p, of: c, at: now) }
        }
        if outcomeIndex[s] >= 0 {
            finish(c, outcomeIndex[s])
            return
        }
        if !accepted {
            guard let hop = routing.stages[s].reject else { finish(c, 2, dropped: .rejected); return }
            move(c, along: hop, delay: nil)
            return
        }
        if servers[s] == 0 {
            startWork(c, at: s)
            return
        }
        account(s)
        if busy[s] < servers[s] {
            busy[s] += 1
            if counted(c) { recordWait(s, 0) }
            schedule(.serviceDone, at: now + effort(s), customer: c, stage: s)
            startWork(c, at: s)
        } else {
            slots.queuedAt[c] = now
            let me = Int32(truncatingIfNeeded: c)
            if queueLast[s] >= 0 { slots.nextInQueue[Int(queueLast[s])] = me } else { queueFirst[s] = me }
            queueLast[s] = me
            slots.nextInQueue[c] = -1
            queueLength[s] += 1
            maxQueue[s] = max(maxQueue[s], queueLength[s])
        }
    }

    @inline(__always)
    mutating func recordWait(_ s: Int, _ minutes: Double) {
        waits.append((Int32(truncatingIfNeeded: s), minutes))
    }

    mutating func startWork(_ c: Int, at s: Int) {
        if isContact[s] { slots.contacts[c] += 1 }
        var touch = now
        if let responds = routing.responds[s] { touch = responds.advance(now, on: clock, &rng) }
        if promiseOnArrival[s] {
            for p in 0..<promiseCount where atFirstTouch[p] && stopsAt[p * n + s] { stop(p, of: c, at: touch) }
        }
        guard !leavesWithEffort[s] else { return }
        // Nobody hands a customer on before touching them.
        let done = max(routing.stages[s].time.advance(now, on: clock, &rng), touch)
        schedule(.leave, at: done, customer: c, stage: s)
    }

    /// Records the customer's arrival at `s`, when visits are kept.
    mutating func openVisit(_ c: Int, at s: Int) {
        while openVisits.count <= c { openVisits.append(-1) }
        openVisits[c] = log.count
        log.append(Simulation.Visit(customer: slots.number[c], stage: s, entered: now, left: nil))
    }

    /// The customer leaves the stage they are at now (an outcome keeps no leaving time).
    mutating func closeVisit(_ c: Int, outcome: Bool = false) {
        guard c < openVisits.count, openVisits[c] >= 0 else { return }
        if !outcome { log[openVisits[c]].left = now }
        openVisits[c] = -1
    }

    mutating func move(_ c: Int, along hop: Hop, delay: DurationSampler?) {
        if recordsVisits { closeVisit(c) }
        if hop.isBack {
            guard Int(slots.layer[c]) < maxLoops else { finish(c, 2, dropped: .loopLimit); return }
            slots.layer[c] += 1
        }
        if let delay {
            schedule(.arrive, at: delay.advance(now, on: clock, &rng), customer: c, stage: hop.to)
        } else if readyCustomer < 0 {
            readyCustomer = c
            readyStage = hop.to
        } else {
            // Each event moves one customer, so this does not happen; if it did, the heap
            // would order the arrival just the same.
            schedule(.arrive, at: now, customer: c, stage: hop.to)
        }
    }

    mutating func leave(_ c: Int, from s: Int) {
        for p in 0..<promiseCount where promiseOnLeaving[s] && untilDone[p] && stopsAt[p * n + s] { stop(p, of: c, at: now) }
        for r in routing.stages[s].routes where holds(routing.routes[r].region, c) {
            let share = routing.routes[r].share
            if share < 1 && rng.uniform() >= share { continue }
            guard let hop = routing.routes[r].hop else { finish(c, 2, dropped: .noRoute); return }
            move(c, along: hop, delay: routing.routes[r].delay)
            return
        }
        finish(c, 2, dropped: .noRoute)
    }

    mutating func serviceDone(_ c: Int, at s: Int) {
        account(s)
        if leavesWithEffort[s] { leave(c, from: s) }
        let next = Int(queueFirst[s])
        guard next >= 0 else {
            busy[s] -= 1
            return
        }
        queueFirst[s] = slots.nextInQueue[next]
        if queueFirst[s] < 0 { queueLast[s] = -1 }
        queueLength[s] -= 1
        if counted(next) { recordWait(s, now - slots.queuedAt[next]) }
        schedule(.serviceDone, at: now + effort(s), customer: next, stage: s)
        startWork(next, at: s)
    }

    mutating func entryArrival(_ e: Int, progress: (Double) -> Bool) {
        guard started < total else { return }
        let c = slots.acquire(number: started)
        started += 1
        sampler.attributes.draw(entry: e, into: UnsafeMutableBufferPointer(rebasing: slots.point[(c * dims)..<(c * dims + dims)]), &rng)
        for p in 0..<promiseCount where startsAtEntry[p] { slots.promiseStart[c * promiseCount + p] = now }
        // A promise with `for` is not made to the others: its clock never runs for them (-3).
        if routing.hasPopulations {
            for p in 0..<promiseCount where routing.populations[p] >= 0 && !holds(routing.populations[p], c) { slots.promiseStart[c * promiseCount + p] = -3 }
        }
        let target = routing.entries[e].target
        if target >= 0 { arrive(c, at: target) }
        if started < total { schedule(.entryArrival, at: sampler.gap(e, &rng, from: now), customer: -1, stage: e) }
        if started == total / 2 { for s in 0..<n { queueAtHalf[s] = queueLength[s] } }
        if started == total {
            lastArrival = now
            for s in 0..<n {
                account(s)
                queueAtLast[s] = queueLength[s]
                busyAtLast[s] = busyArea[s]
                queueAreaAtLast[s] = queueArea[s]
                arrivalsAtLast[s] = arrivals[s]
            }
        }
        if started % max(total / 100, 1) == 0 && !progress(Double(started) / Double(max(total, 1))) {
            complete = false
        }
    }

    mutating func simulate(progress: (Double) -> Bool) {
        // One arrival stream per entry, by rate.
        for (e, entry) in routing.entries.enumerated() where entry.rate > 0 && entry.target >= 0 {
            schedule(.entryArrival, at: sampler.gap(e, &rng, from: 0), customer: -1, stage: e)
        }
        while complete {
            // An arrival due now first; it may make another (a rejection without delay).
            while readyCustomer >= 0 {
                let c = readyCustomer, s = readyStage
                readyCustomer = -1
                events += 1
                arrive(c, at: s)
            }
            // Once every customer has entered, the queues of an overloaded line would take
            // forever to drain; stop when all who can finish have.
            if started == total && finished == total { break }
            heap.settle()
            guard let event = heap.take() else { break }
            now = event.time
            events += 1
            let c = event.customer, s = event.stage
            switch event.kind {
            case .entryArrival: entryArrival(s, progress: progress)
            case .arrive: arrive(c, at: s)
            case .leave: leave(c, from: s)
            case .serviceDone: serviceDone(c, at: s)
            }
        }
        for s in 0..<n { account(s) }
        if started < total {
            // Interrupted: measure up to now.
            lastArrival = now
            for s in 0..<n { busyAtLast[s] = busyArea[s]; queueAreaAtLast[s] = queueArea[s]; arrivalsAtLast[s] = arrivals[s] }
        }
    }

    func result(design: Design, options: Simulation.Options) -> Simulation.Result {
        // Customers who entered after the warm-up: fewer than asked when interrupted.
        let countedCustomers = max(started - warmup, 0)
        let weeks = lastArrival / BusinessClock.week
        let promises = design.customer.promises.enumerated().map { p, promise -> Simulation.Result.PromiseFigures in
            // Three selections and a count per budget: no sort of every time.
            var times = promiseTimes[p]
            let quantiles = times.isEmpty ? [nil, nil, nil] : [0.99, 0.9, 0.5].map { Optional(Selection.quantile(&times, $0)) }
            let kept = TimeAnalysis.budgetMinutes(promise, calendar: design.calendar).map { key, budget in
                let within = times.reduce(0) { $0 + (TimeAnalysis.meets($1, budget: budget) ? 1 : 0) }
                return (key, budget, times.isEmpty ? 0 : Double(within) / Double(times.count))
            }
            return Simulation.Result.PromiseFigures(name: promise.name, times: times, p50: quantiles[2], p90: quantiles[1], p99: quantiles[0], kept: kept,
                                                    measure: TimeMeasure(promise, calendar: design.calendar))
        }
        // Waits by stage: a counting sort of the record.
        var byStage = [[Double]](repeating: [], count: n)
        var perStage = [Int](repeating: 0, count: n)
        for w in waits { perStage[Int(w.stage)] += 1 }
        for s in 0..<n { byStage[s].reserveCapacity(perStage[s]) }
        for w in waits { byStage[Int(w.stage)].append(w.minutes) }
        let stages = (0..<n).filter { !design.stages[$0].isOutcome && arrivals[$0] > 0 }.map { s -> Simulation.Result.StageFigures in
            var w = byStage[s]
            let span = max(lastArrival, 1e-9)
            return Simulation.Result.StageFigures(
                stage: design.stages[s].id, arrivalsPerWeek: weeks > 0 ? Double(arrivalsAtLast[s]) / weeks : 0,
                utilization: servers[s] > 0 ? busyAtLast[s] / (Double(servers[s]) * span) : nil,
                meanWaitHours: w.isEmpty ? 0 : w.reduce(0, +) / Double(w.count) / 60,
                p90WaitHours: w.isEmpty ? 0 : Selection.quantile(&w, 0.9) / 60,
                meanQueueLength: queueAreaAtLast[s] / span, maxQueueLength: maxQueue[s],
                queueAtHalf: queueAtHalf[s], queueAtLastArrival: queueAtLast[s],
                declaredUtilization: declaredUtilization[s])
        }
        let finishedCounted = outcomeCounts.reduce(0, +)
        let outcomes = ["won", "lost", "dropped"].enumerated().map { ($1, finishedCounted > 0 ? Double(outcomeCounts[$0]) / Double(finishedCounted) : 0) }
        let handoffTotal = handoffCounts.reduce(0, +)
        let handoffs = handoffCounts.indices.filter { handoffCounts[$0] > 0 }.map { ($0, Double(handoffCounts[$0]) / Double(max(handoffTotal, 1))) }
        let dropped = Simulation.Result.DropReason.allCases.enumerated().filter { dropCounts[$0.offset] > 0 }
            .map { ($0.element, Double(dropCounts[$0.offset]) / Double(max(finishedCounted, 1))) }
        return Simulation.Result(customers: total, counted: countedCustomers, seed: options.seed, events: events, complete: complete,
                                 simulatedWeeks: weeks, promises: promises, outcomes: outcomes, dropped: dropped, stages: stages, handoffs: handoffs,
                                 log: log)
    }
}
