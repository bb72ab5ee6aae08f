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
public struct MonteCarlo: Sendable {
    /// How a sampled journey ended.
    public enum Ending: Hashable, Sendable {
        case outcome(Int)
        /// Rejected with no `rejects_to`, matched no route, or passed the loop limit.
        case dropped
    }

    /// One stage visit of a sampled customer.
    public struct Visit: Sendable {
        public var stage: Int
        public var arrive: Double
        public var done: Double
    }

    /// A sampled customer's journey.
    public struct Journey: Sendable {
        public var entry: Int
        public var start: Double
        public var visits: [Visit]
        public var ending: Ending
    }

    /// An attribute that cannot be sampled: unbounded, and some entry gives it no mix.
    public struct Unsampleable: Sendable {
        public var attribute: Int
        public var entry: Int
    }

    public let samples: Int
    public let seed: UInt64
    public private(set) var journeys: [Journey] = []
    /// Customer-stage steps simulated, for throughput figures.
    public private(set) var steps = 0

    /// The first attribute that cannot be sampled, if any; the simulation needs every one.
    public static func unsampleable(design: Design, domain: RegionDomain) -> Unsampleable? {
        for (e, entry) in design.entries.enumerated() {
            for (d, attribute) in domain.attributes.enumerated() where entry.mix[attribute.name] == nil {
                if case .number(let lo, let hi) = attribute.kind, lo == nil || hi == nil { return Unsampleable(attribute: d, entry: e) }
            }
        }
        return nil
    }

    public init(design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis, model: TimeModel, samples: Int, seed: UInt64) {
        self.samples = samples
        self.seed = seed
        let n = design.stages.count
        guard n > 0, !design.entries.isEmpty, MonteCarlo.unsampleable(design: design, domain: criteria.domain) == nil else { return }
        var rng = Xoshiro256StarStar(seed: seed)
        let rates = design.entries.map { $0.rate.perWeek ?? 0 }
        let totalRate = rates.reduce(0, +)
        let samplers = design.entries.map { AttributeSampler(entry: $0, domain: criteria.domain) }
        let hasAccepts = design.stages.map { $0.accepts != nil }
        let isOutcome = design.stages.map(\.isOutcome)
        let otherwise = design.stages.map { stage in stage.routes.map { $0.when == nil && !$0.whenIsInvalid } }
        let routeStep: [[Int?]] = (0..<n).map { s in
            design.stages[s].routes.indices.map { r in model.steps[s].firstIndex { $0.edge.kind == .route(r) } }
        }
        let rejectStep: [Int?] = (0..<n).map { s in model.steps[s].firstIndex { $0.edge.kind == .reject } }
        let maxSteps = n * (graph.maxLoops + 1) + 1
        journeys.reserveCapacity(samples)
        var point = [Double](repeating: 0, count: criteria.domain.attributes.count)
        for _ in 0..<samples {
            // Entry by rate.
            var pick = rng.uniform() * totalRate
            var entry = 0
            while entry < rates.count - 1 && pick >= rates[entry] { pick -= rates[entry]; entry += 1 }
            samplers[entry].draw(into: &point, &rng)
            // Arrivals fall on whole minutes, as the worst-case scan's starts do, so that
            // sums of whole-minute times stay exact.
            let start = design.entries[entry].arrivesInBusinessHours
                ? model.clock.workingMinute(Int(rng.uniform() * model.clock.weekLength))
                : (rng.uniform() * BusinessClock.week).rounded(.down)
            var visits: [Visit] = []
            var ending = Ending.dropped
            guard var stage = graph.entryTargets[entry] else {
                journeys.append(Journey(entry: entry, start: start, visits: [], ending: .dropped))
                continue
            }
            var layer = 0
            var time = start
            var count = 0
            while count < maxSteps {
                count += 1
                steps += 1
                if isOutcome[stage] {
                    visits.append(Visit(stage: stage, arrive: time, done: time))
                    ending = .outcome(stage)
                    break
                }
                var stepIndex: Int?
                var done = time
                if hasAccepts[stage] && !criteria.acceptsRegions[stage].contains(point) {
                    visits.append(Visit(stage: stage, arrive: time, done: time))
                    stepIndex = rejectStep[stage]
                } else {
                    done = model.stageTime[stage].sampleDuration(&rng).added(to: time, on: model.clock)
                    visits.append(Visit(stage: stage, arrive: time, done: done))
                    for r in routeStep[stage].indices where otherwise[stage][r] || criteria.whenRegions[stage][r].contains(point) {
                        stepIndex = routeStep[stage][r]
                        break
                    }
                }
                guard let k = stepIndex else { break }
                let step = model.steps[stage][k]
                guard let target = graph.target(of: step.edge, fromLayer: layer) else { break }
                time = step.edge.kind == .reject ? time : step.delay.sampleDuration(&rng).added(to: done, on: model.clock)
                stage = target.stage
                layer = target.layer
            }
            journeys.append(Journey(entry: entry, start: start, visits: visits, ending: ending))
        }
    }
}

/// Draws one customer's attributes from an entry's mix; attributes without a mix are uniform
/// over their declared range or values.
struct AttributeSampler: Sendable {
    enum Draw: Sendable {
        case uniform(Double, Double)
        case lognormal(mu: Double, sigma: Double)
        case fixed(Double)
        /// Cumulative weights over value coordinates.
        case discrete([(coordinate: Double, cumulative: Double)])
    }

    let draws: [Draw]
    /// Declared bounds: a mix's draw (a lognormal's tail, say) is clamped into them, so that
    /// every sampled customer lies in the domain the regions cover.
    let bounds: [(Double, Double)]

    init(entry: Entry, domain: RegionDomain) {
        bounds = domain.attributes.map { a in
            if case .number(let lo, let hi) = a.kind { return (lo ?? -.infinity, hi ?? .infinity) }
            return (-.infinity, .infinity)
        }
        draws = domain.attributes.enumerated().map { d, attribute in
            if let mix = entry.mix[attribute.name]?.value {
                switch mix {
                case .uniform(let a, let b): return .uniform(a, b)
                case .lognormal(let p50, let p90): return .lognormal(mu: log(p50), sigma: (log(p90) - log(p50)) / StandardNormal.z90)
                case .fixed(let x): return .fixed(x)
                case .weights(let weights):
                    var cumulative = 0.0
                    return .discrete(weights.map { w in
                        cumulative += w.weight
                        return (domain.point([attribute.name: w.value])[d], cumulative)
                    })
                }
            }
            switch attribute.kind {
            case .number(let lo, let hi): return .uniform(lo ?? 0, hi ?? 0)
            case .enumeration(let values):
                return .discrete(values.indices.map { (Double($0), Double($0 + 1) / Double(values.count)) })
            case .boolean: return .discrete([(0, 0.5), (1, 1)])
            }
        }
    }

    func draw(into point: inout [Double], _ rng: inout Xoshiro256StarStar) {
        for d in draws.indices {
            switch draws[d] {
            case .uniform(let a, let b): point[d] = a + rng.uniform() * (b - a)
            case .lognormal(let mu, let sigma): point[d] = exp(mu + sigma * rng.normal())
            case .fixed(let x): point[d] = x
            case .discrete(let table):
                let u = rng.uniform() * (table.last?.cumulative ?? 1)
                point[d] = (table.first { u < $0.cumulative } ?? table.last)?.coordinate ?? .nan
            }
            point[d] = min(max(point[d], bounds[d].0), bounds[d].1)
        }
    }
}
