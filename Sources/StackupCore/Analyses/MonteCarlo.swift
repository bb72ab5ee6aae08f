#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Seeded Monte Carlo over customers: drawn from the entry mixes (entries weighted by rate),
/// routed by the same compiled regions as the criteria analysis, each stage's time and each
/// delay drawn from its spec on a simulated business clock. No queueing: stages are idle.
package struct MonteCarlo: Sendable {
    /// How a sampled journey ended.
    enum Ending: Hashable, Sendable {
        case outcome(Int)
        /// Rejected with no `rejects_to`, matched no route, passed the loop limit or a stage's
        /// `max_visits`.
        case dropped
    }

    /// One stage visit of a sampled customer.
    struct Visit: Sendable {
        var stage: Int
        var arrive: Double
        var done: Double
    }

    /// A sampled customer's journey; its visits are `visits(of:)`.
    struct Journey: Sendable {
        /// When the customer arrived at their first stage (0 for a journey without visits).
        var start: Double
        var firstVisit: Int
        var visitCount: Int
        var entry: Int
        var ending: Ending
    }

    /// What the Monte Carlo stores per journey, in 16 bytes: the start and the visit count
    /// follow from the visits. It writes one per customer into fresh memory, and the page
    /// faults that costs were a measurable share of its time.
    struct JourneyRecord: Sendable {
        var firstVisit: Int
        var entry: Int32
        /// The outcome stage, or -1 when dropped.
        var outcome: Int32
    }

    /// Every journey, in sampling order.
    struct Journeys: RandomAccessCollection, Sendable {
        let records: [JourneyRecord]
        let visits: [Visit]

        var startIndex: Int { 0 }
        var endIndex: Int { records.count }

        subscript(i: Int) -> Journey {
            let record = records[i]
            let end = i + 1 < records.count ? records[i + 1].firstVisit : visits.count
            let count = end - record.firstVisit
            return Journey(start: count > 0 ? visits[record.firstVisit].arrive : 0, firstVisit: record.firstVisit, visitCount: count,
                           entry: Int(record.entry), ending: record.outcome < 0 ? .dropped : .outcome(Int(record.outcome)))
        }
    }

    /// An attribute that cannot be sampled: unbounded, and some entry gives it no mix.
    struct Unsampleable: Sendable {
        var attribute: Int
        var entry: Int
    }

    package let samples: Int
    package let seed: UInt64
    private(set) var journeys = Journeys(records: [], visits: [])
    /// Every visit of every journey, journey by journey.
    private(set) var visits: [Visit] = []
    /// Per visit, when some stage declares `responds`: the first touch (`arrive` plus the
    /// stage's `responds`; `arrive` at a stage without one, and for a customer it rejects).
    /// Empty otherwise, so that designs without `responds` write nothing more per visit.
    private var touches: [Double] = []

    /// Per journey and promise, when some promise has a `for`: whether the customer is one the
    /// promise is made to. Empty otherwise.
    private var inPopulation: [Bool] = []
    private var promiseCount = 0

    /// Per route (in `RoutingTables.routes` order): how many sampled customers took it.
    private(set) var routeTakes: [Int] = []

    /// Whether the customer of journey `index` is one promise `p` is made to.
    func isInPopulation(journey index: Int, promise p: Int) -> Bool {
        inPopulation.isEmpty ? true : inPopulation[index * promiseCount + p]
    }

    /// The first touch of the visit at `index` in `visits`.
    func touch(ofVisit index: Int) -> Double { touches.isEmpty ? visits[index].arrive : touches[index] }
    /// Customer-stage steps simulated, for throughput figures: each step records one visit.
    package var steps: Int { visits.count }

    /// The first attribute that cannot be sampled, if any; the simulation needs every one.
    static func unsampleable(design: Design, domain: RegionDomain) -> Unsampleable? {
        for (e, entry) in design.entries.enumerated() {
            for (d, attribute) in domain.attributes.enumerated() where entry.mix[attribute.name] == nil {
                if case .number(let lo, let hi) = attribute.kind, lo == nil || hi == nil { return Unsampleable(attribute: d, entry: e) }
            }
        }
        return nil
    }

    /// The visits of one journey.
    func visits(of journey: Journey) -> ArraySlice<Visit> {
        visits[journey.firstVisit..<(journey.firstVisit + journey.visitCount)]
    }

    package init(design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis, model: TimeModel, samples: Int, seed: UInt64) {
        self.samples = samples
        self.seed = seed
        let n = design.stages.count
        guard n > 0, !design.entries.isEmpty, MonteCarlo.unsampleable(design: design, domain: criteria.domain) == nil else { return }
        var customer = LazyCustomer(sampler: AttributeSampler(entries: design.entries, domain: criteria.domain), seed: seed)
        defer { customer.deallocate() }
        let routing = RoutingTables(design: design, criteria: criteria, model: model)
        // Locals, assigned to the properties at the end: the loop then works on plain arrays.
        var journeys: [JourneyRecord] = []
        var visits: [Visit] = []
        var inPopulation: [Bool] = []
        var takes = [Int](repeating: 0, count: routing.routes.count)
        if routing.hasPopulations { inPopulation.reserveCapacity(samples * routing.populations.count) }
        journeys.reserveCapacity(samples)
        visits.reserveCapacity(samples * 4)
        // One loop, specialised twice: designs without `max_visits` and `responds` (most) get
        // it with those steps compiled away. Read at run time instead, the checks cost the
        // assembly line, which uses neither, 8% more instructions (callgrind, 20,000 customers).
        if routing.limitsVisits || routing.hasResponds {
            var features = OptionalStageFeatures(routing: routing)
            MonteCarlo.walk(samples: samples, routing: routing, clock: model.clock, maxLoops: graph.maxLoops, customer: &customer,
                            features: &features, journeys: &journeys, visits: &visits, inPopulation: &inPopulation, takes: &takes)
            touches = features.touches
        } else {
            var features = NoOptionalStageFeatures()
            MonteCarlo.walk(samples: samples, routing: routing, clock: model.clock, maxLoops: graph.maxLoops, customer: &customer,
                            features: &features, journeys: &journeys, visits: &visits, inPopulation: &inPopulation, takes: &takes)
        }
        routeTakes = takes
        self.inPopulation = inPopulation
        promiseCount = routing.populations.count
        self.journeys = Journeys(records: journeys, visits: visits)
        self.visits = visits
    }

    /// Samples `samples` customers' journeys into `journeys` and `visits`.
    static func walk<Features: StageFeatures>(samples: Int, routing: RoutingTables, clock: BusinessClock, maxLoops: Int,
                                              customer: inout LazyCustomer, features: inout Features,
                                              journeys: inout [JourneyRecord], visits: inout [Visit], inPopulation: inout [Bool],
                                              takes: inout [Int]) {
        let totalRate = routing.entries.reduce(0) { $0 + $1.rate }
        let lastEntry = routing.entries.count - 1
        let regions = routing.regions
        let stages = routing.stages
        let routes = routing.routes
        let maxSteps = stages.count * (maxLoops + 1) + 1
        // The tables are read unchecked: `RoutingTables` builds every stage and route index.
        // The loop stays inside these closures: the same loop directly in the initializer, with
        // the tables copied out, ran at 2.8x the floor rather than 2.5x. (Why was not measured;
        // the closure is a smaller function of its own.)
        stages.withUnsafeBufferPointer { stages in routes.withUnsafeBufferPointer { routes in routing.entries.withUnsafeBufferPointer { entries in
            for sample in 0..<samples {
                // Entry by rate.
                var pick = customer.rng.uniform() * totalRate
                var entry = 0
                while entry < lastEntry && pick >= entries[entry].rate { pick -= entries[entry].rate; entry &+= 1 }
                customer.next(entry: entry)
                // Whom each promise is made to, as they enter (drawn only for designs with `for`).
                if routing.hasPopulations {
                    for handle in routing.populations { inPopulation.append(handle < 0 || regions.contains(handle, &customer)) }
                }
                // Arrivals fall on whole minutes, as the worst-case scan's starts do, so that
                // sums of whole-minute times stay exact. (Truncation is the floor here, and cheaper.)
                let start = entries[entry].inBusinessHours
                    ? clock.workingMinute(Int(customer.rng.uniform() * clock.weekLength))
                    : Double(Int(customer.rng.uniform() * BusinessClock.week))
                let firstVisit = visits.count
                var outcome = -1
                var stage = entries[entry].target
                guard stage >= 0 else {
                    journeys.append(JourneyRecord(firstVisit: firstVisit, entry: Int32(truncatingIfNeeded: entry), outcome: -1))
                    continue
                }
                var layer = 0
                var time = start
                var count = 0
                walk: do {
                    while count < maxSteps {
                        count &+= 1
                        // The (N+1)-th arrival at a stage with `max_visits: N` is dropped there.
                        if !features.admits(stage, customer: sample) { break walk }
                        if stages[stage].isOutcome {
                            visits.append(Visit(stage: stage, arrive: time, done: time))
                            features.touched(at: time)
                            outcome = stage
                            break walk
                        }
                        // Fields are read where they are used rather than copied out as records.
                        let hop: RoutingTables.Hop
                        var route = -1
                        var done = time
                        let accept = stages[stage].accept
                        if accept >= 0 && !regions.contains(accept, &customer) {
                            visits.append(Visit(stage: stage, arrive: time, done: time))
                            features.touched(at: time)
                            guard let reject = stages[stage].reject else { break walk }
                            hop = reject
                        } else {
                            done = stages[stage].time.advance(time, on: clock, &customer.rng)
                            features.respond(stage, arrived: time, done: &done, on: clock, &customer.rng)
                            visits.append(Visit(stage: stage, arrive: time, done: done))
                            var r = stages[stage].routes.lowerBound
                            let end = stages[stage].routes.upperBound
                            while r < end {
                                let region = routes[r].region
                                // A share below 1 is drawn only then, so that designs without
                                // shares keep their stream.
                                if region < 0 || regions.contains(region, &customer) {
                                    let share = routes[r].share
                                    if share >= 1 || customer.rng.uniform() < share { break }
                                }
                                r &+= 1
                            }
                            guard r < end else { break walk }
                            takes[r] &+= 1
                            guard let next = routes[r].hop else { break walk }
                            hop = next
                            route = r
                        }
                        if hop.isBack {
                            guard layer < maxLoops else { break walk }
                            layer &+= 1
                        }
                        if route >= 0, let delay = routes[route].delay {
                            time = delay.advance(done, on: clock, &customer.rng)
                        } else {
                            time = done
                        }
                        stage = hop.to
                    }
                }
                journeys.append(JourneyRecord(firstVisit: firstVisit, entry: Int32(truncatingIfNeeded: entry), outcome: Int32(truncatingIfNeeded: outcome)))
            }
        } } }
    }
}

/// The steps of the Monte Carlo loop for `max_visits` and `responds`, which most designs do
/// not use; `walk` is compiled once with each conformance.
protocol StageFeatures {
    /// Counts the customer's arrival at `stage`; false when it passes the stage's `max_visits`.
    mutating func admits(_ stage: Int, customer: Int) -> Bool
    /// A visit the stage does not work (an outcome, a rejection): touched on arrival.
    mutating func touched(at time: Double)
    /// A worked visit: draws its first touch, and holds the customer until then.
    mutating func respond(_ stage: Int, arrived time: Double, done: inout Double, on clock: BusinessClock, _ rng: inout Xoshiro256StarStar)
}

/// A design without `max_visits` or `responds`: every step is nothing.
struct NoOptionalStageFeatures: StageFeatures {
    @inline(__always) mutating func admits(_ stage: Int, customer: Int) -> Bool { true }
    @inline(__always) mutating func touched(at time: Double) {}
    @inline(__always) mutating func respond(_ stage: Int, arrived time: Double, done: inout Double, on clock: BusinessClock,
                                            _ rng: inout Xoshiro256StarStar) {}
}

/// A design with `max_visits` or `responds`.
struct OptionalStageFeatures: StageFeatures {
    let maxVisits: [Int]
    let responds: [DurationSampler?]
    /// Per stage: visits by the customer `owner` names, so nothing is reset per customer.
    var count: [Int]
    var owner: [Int]
    /// Per visit, when some stage declares `responds`: the first touch.
    var touches: [Double] = []

    init(routing: RoutingTables) {
        maxVisits = routing.maxVisits
        responds = routing.responds
        count = [Int](repeating: 0, count: routing.limitsVisits ? maxVisits.count : 0)
        owner = [Int](repeating: -1, count: routing.limitsVisits ? maxVisits.count : 0)
    }

    mutating func admits(_ stage: Int, customer: Int) -> Bool {
        guard maxVisits[stage] > 0 else { return true }
        if owner[stage] != customer { owner[stage] = customer; count[stage] = 0 }
        count[stage] += 1
        return count[stage] <= maxVisits[stage]
    }

    mutating func touched(at time: Double) { touches.append(time) }

    mutating func respond(_ stage: Int, arrived time: Double, done: inout Double, on clock: BusinessClock, _ rng: inout Xoshiro256StarStar) {
        var touch = time
        if let r = responds[stage] {
            touch = r.advance(time, on: clock, &rng)
            // Nobody hands a customer on before touching them.
            done = max(done, touch)
        }
        touches.append(touch)
    }
}

/// The Monte Carlo's current customer, whose attributes are drawn when a condition first
/// reads them: a customer who leaves early never pays for the rest. Attributes are drawn
/// independently of one another, so the order of drawing changes which numbers the generator
/// gives each, not their distribution. The generator is the loop's own.
struct LazyCustomer: Coordinates {
    let sampler: AttributeSampler
    var rng: Xoshiro256StarStar
    private let point: UnsafeMutableBufferPointer<Double>
    /// Per attribute: the number of the customer who drew it last.
    private let drawnBy: UnsafeMutableBufferPointer<Int>
    private var number = 0
    private var entry = 0

    init(sampler: AttributeSampler, seed: UInt64) {
        self.sampler = sampler
        rng = Xoshiro256StarStar(seed: seed)
        point = .allocate(capacity: sampler.dimensions)
        point.initialize(repeating: 0)
        drawnBy = .allocate(capacity: sampler.dimensions)
        drawnBy.initialize(repeating: 0)
    }

    func deallocate() {
        point.deallocate()
        drawnBy.deallocate()
    }

    /// Moves on to a new customer from entry `entry`, with nothing drawn yet.
    @inline(__always)
    mutating func next(entry: Int) {
        number += 1
        self.entry = entry
    }

    @inline(__always)
    mutating func coordinate(_ d: Int) -> Double {
        if drawnBy[d] == number { return point[d] }
        let x = sampler.draw(entry: entry, attribute: d, &rng)
        point[d] = x
        drawnBy[d] = number
        return x
    }
}
