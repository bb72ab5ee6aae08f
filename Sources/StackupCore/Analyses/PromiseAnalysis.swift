#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// A sampled figure with its 95% confidence interval.
public struct Estimate: Hashable, Sendable {
    public var value: Double
    public var low: Double
    public var high: Double
}

/// Statistics of one promise over the sampled customers.
public struct PromiseStatistics: Sendable {
    /// Customers whose journey reached the promise's end: the sample behind the figures.
    public var reached: Int
    /// Customers in the promise's population (all, or those who reached `from`).
    var population: Int
    /// Of the population: dropped before the end (no route, rejected, loop limit).
    public var dropped: Int
    /// Of the population: finished in an outcome without reaching the end.
    public var unreached: Int
    /// Quantiles of journey time, in minutes: p50, p90, p99.
    public var quantiles: [String: Estimate]
    /// Per budget key (`p50`, `p90`, `p99`, `max`): the share of customers within it, with a
    /// Wilson interval.
    public var pMeet: [String: Estimate]
    /// Share of the time spent by the slowest 10% of customers, per segment (`stage` for a
    /// stage's work, `→ stage` for the delay before it).
    var tailShares: [String: Double]
}

/// Everything known about one promise.
struct PromiseFacts: Sendable {
    var index: Int
    var ends: PromiseEnds
    /// The customers a promise with `for` is made to, in words; nil for everyone.
    var populationText: String?
    /// The criteria regions of those customers alone, for a promise with `for`.
    var population: CriteriaAnalysis?
    var worst: WorstCaseAnalysis.Result?
    var statistics: PromiseStatistics?
    /// Budgets in the promise's measure (calendar or working minutes), by key.
    var budgets: [(key: String, minutes: Double)]
    /// On the worst path: business-time segments at nominal length and as composed, in minutes.
    var nominalBusinessMinutes: Double
    var calendarBusinessMinutes: Double
    /// Each segment's part of the worst case and of the slow tail; computed once, read by the
    /// rules and the metrics.
    var contributions: [Contribution] = []
}

/// The time stack-up: worst case and statistics for every promise.
package struct TimeAnalysis: Sendable {
    let model: TimeModel
    let monteCarlo: MonteCarlo?
    /// Set when an attribute cannot be sampled; the statistics are then skipped.
    let unsampleable: MonteCarlo.Unsampleable?
    let promises: [PromiseFacts]

    init(design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis, samples: Int, seed: UInt64, alwaysSample: Bool = false) {
        let model = TimeModel(design: design, graph: graph)
        self.model = model
        // Promises need the statistics; capacities and targets need the visits per customer.
        let needsSampling = alwaysSample || !design.customer.promises.isEmpty || !design.customer.targets.isEmpty
            || design.stages.contains { !$0.capacity.isUnlimited }
        unsampleable = needsSampling ? MonteCarlo.unsampleable(design: design, domain: criteria.domain) : nil
        let monteCarlo = needsSampling && unsampleable == nil
            ? MonteCarlo(design: design, graph: graph, criteria: criteria, model: model, samples: samples, seed: seed) : nil
        self.monteCarlo = monteCarlo
        promises = design.customer.promises.enumerated().map { index, promise in
            let ends = PromiseEnds(promise, design: design)
            // The worst case runs over the paths the promise's customers can take.
            let population = promise.population.map { CriteriaAnalysis(design: design, graph: graph, population: $0) }
            let worst = WorstCaseAnalysis.compute(ends, design: design, graph: graph, criteria: population ?? criteria, model: model)
            let budgets = TimeAnalysis.budgetMinutes(promise, calendar: design.calendar)
            var nominal = 0.0, composed = 0.0
            // The weekend problem concerns promises the customer feels in calendar time.
            let path = promise.isBusinessTime ? [] : worst?.path ?? []
            for (i, step) in path.enumerated() {
                let s = step.stage
                if let sla = design.stages[s].sla, model.stageTime[s].isBusiness, !(ends.to.contains(s) && !ends.untilDone) {
                    nominal += sla.worstCase.nominalHours * 60
                    composed += step.done - step.arrive
                }
                if let via = step.via, case .route(let r) = via.kind, i > 0, case let from = path[i - 1].stage,
                   let delay = design.stages[from].routes[r].delay, model.steps[from].first(where: { $0.edge == via })?.delay.isBusiness == true {
                    nominal += delay.worstCase.nominalHours * 60
                    composed += step.delayBefore
                }
            }
            var facts = PromiseFacts(index: index, ends: ends,
                                populationText: promise.population.map { criteria.compiler.region($0).describe(criteria.domain) },
                                population: population, worst: worst,
                                statistics: monteCarlo.map { TimeAnalysis.statistics(ends, promise: promise, promiseIndex: index, monteCarlo: $0, design: design,
                                                                                     budgets: budgets, clock: model.clock) },
                                budgets: budgets, nominalBusinessMinutes: nominal, calendarBusinessMinutes: composed)
            facts.contributions = facts.computeContributions(design: design, model: model)
            return facts
        }
    }

    /// A promise's budgets in its own measure: calendar minutes, or working minutes of the
    /// design's calendar for a business-time promise.
    static func budgetMinutes(_ promise: Promise, calendar: BusinessCalendar) -> [(key: String, minutes: Double)] {
        promise.budgets.map { key, d in (key, d.minutes(workdayMinutes: calendar.workdayMinutes)) }
    }

    static func statistics(_ ends: PromiseEnds, promise: Promise, promiseIndex: Int, monteCarlo: MonteCarlo, design: Design,
                           budgets: [(key: String, minutes: Double)], clock: BusinessClock) -> PromiseStatistics {
        // Each span in the promise's measure: calendar minutes, or working minutes.
        let span = { (a: Double, b: Double) in clock.elapsed(from: a, to: b, in: ends.measure) }
        // Linear in the visits: per customer only the total and where their promise ran, with
        // stage tests by table; the segments' names and times are made only for the slowest
        // 10%, whose time is told apart. (Building every customer's segments was most of a
        // small design's check; docs/performance.md.)
        let stageCount = design.stages.count
        var isFrom = [Bool](repeating: false, count: stageCount), isTo = [Bool](repeating: false, count: stageCount)
        for s in ends.from ?? [] where s >= 0 && s < stageCount { isFrom[s] = true }
        for s in ends.to where s >= 0 && s < stageCount { isTo[s] = true }
        struct Timed { var total: Double; var first: Int; var startIndex: Int; var endIndex: Int; var startTime: Double }
        var times: [Timed] = []
        times.reserveCapacity(monteCarlo.journeys.count)
        var population = 0, dropped = 0, unreached = 0
        let allVisits = monteCarlo.visits
        for (index, journey) in monteCarlo.journeys.enumerated() {
            // A promise with `for` counts only the customers it is made to.
            guard monteCarlo.isInPopulation(journey: index, promise: promiseIndex) else { continue }
            let first = journey.firstVisit, count = journey.visitCount
            // Where the promise's clock starts.
            var startIndex = 0
            var startTime = journey.start
            if ends.from != nil {
                guard let i = (0..<count).first(where: { isFrom[allVisits[first + $0].stage] }) else { continue }
                startIndex = i
                startTime = allVisits[first + i].arrive
            }
            population += 1
            guard let j = (startIndex..<count).first(where: { isTo[allVisits[first + $0].stage] }) else {
                if case .dropped = journey.ending { dropped += 1 } else { unreached += 1 }
                continue
            }
            let end = ends.untilDone ? allVisits[first + j].done : ends.atFirstTouch ? monteCarlo.touch(ofVisit: first + j) : allVisits[first + j].arrive
            times.append(Timed(total: span(startTime, end), first: first, startIndex: startIndex, endIndex: j, startTime: startTime))
        }
        // Order statistics by selection, not by sorting every customer: the quantiles read a
        // few ranks, the budgets count, and only the slowest 10% are put in order.
        let totals = times.map(\.total)
        let n = totals.count
        var scratch = totals
        var quantiles: [String: Estimate] = [:]
        if n > 0 {
            for (key, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] {
                quantiles[key] = quantile(count: n, p) { Selection.value(at: $0, &scratch) }
            }
        }
        var pMeet: [String: Estimate] = [:]
        for (key, budget) in budgets where n > 0 {
            let within = totals.reduce(0) { meets($1, budget: budget) ? $0 + 1 : $0 }
            pMeet[key] = wilson(within, n)
        }
        // The slowest 10%: where their time went, each segment added in the customer's order.
        // They are the customers at positions `cut` and after in the order a stable sort by
        // time gives: every time above the one at `cut`, and the last of the customers tied
        // with it.
        var tail: [String: Double] = [:]
        var tailTotal = 0.0
        let slowest = n > 0 ? Selection.slowest(times, from: n - max(1, n / 10), by: \.total, scratch: &scratch) : []
        for entry in slowest {
            let (startIndex, j, first) = (entry.startIndex, entry.endIndex, entry.first)
            let touch = monteCarlo.touch(ofVisit: first + j)
            var segments: [(String, Double)] = []
            for k in startIndex...j {
                let v = allVisits[first + k]
                if k > startIndex { segments.append(("→ " + design.stages[v.stage].id, span(allVisits[first + k - 1].done, v.arrive))) }
                if k < j || ends.untilDone { segments.append((design.stages[v.stage].id, span(v.arrive, v.done))) }
                if k == j && ends.atFirstTouch && touch > v.arrive { segments.append((design.stages[v.stage].id, span(v.arrive, touch))) }
            }
            // The wait before the first stage (a journey that reached its end has a visit).
            if ends.from == nil, allVisits[first].arrive > entry.startTime {
                segments.insert(("→ " + design.stages[allVisits[first].stage].id, span(entry.startTime, allVisits[first].arrive)), at: 0)
            }
            for (name, t) in segments {
                tail[name, default: 0] += t
                tailTotal += t
            }
        }
        var tailShares: [String: Double] = [:]
        if tailTotal > 0 { for (k, v) in tail { tailShares[k] = v / tailTotal } }
        return PromiseStatistics(reached: n, population: population, dropped: dropped, unreached: unreached,
                                 quantiles: quantiles, pMeet: pMeet, tailShares: tailShares)
    }

    /// The p-quantile (inverse of the empirical CDF) with a 95% interval from the order
    /// statistics' normal approximation: ranks n·p ± 1.96·√(n·p·(1−p)), rounded outwards.
    static func quantile(_ sorted: [Double], _ p: Double) -> Estimate {
        quantile(count: sorted.count, p) { sorted[$0] }
    }

    /// `quantile` over `count` values, each order statistic read by its 0-based position.
    static func quantile(count: Int, _ p: Double, _ value: (Int) -> Double) -> Estimate {
        let n = Double(count)
        func at(_ rank: Double) -> Double { value(orderIndex(rank, count: count)) }
        let spread = StandardNormal.z975 * (n * p * (1 - p)).squareRoot()
        return Estimate(value: at((n * p).rounded(.up)), low: at((n * p - spread).rounded(.down)), high: at((n * p + spread).rounded(.up) + 1))
    }

    /// The 0-based index of the order statistic of 1-based `rank`, clamped into `count` values.
    static func orderIndex(_ rank: Double, count: Int) -> Int { min(max(Int(rank) - 1, 0), count - 1) }

    /// Whether a time meets a budget: at most it, give or take rounding.
    static func meets(_ minutes: Double, budget: Double) -> Bool { minutes <= budget + 1e-9 }

    /// Customers with a time of at most `budget`, by binary search.
    static func countAtMost(_ sorted: [Double], _ budget: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if meets(sorted[mid], budget: budget) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// A proportion with its 95% Wilson score interval.
    static func wilson(_ successes: Int, _ n: Int) -> Estimate {
        guard n > 0 else { return Estimate(value: 0, low: 0, high: 1) }
        let z = StandardNormal.z975
        let nn = Double(n)
        let p = Double(successes) / nn
        let denominator = 1 + z * z / nn
        let center = (p + z * z / (2 * nn)) / denominator
        let half = z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot() / denominator
        return Estimate(value: p, low: max(0, center - half), high: min(1, center + half))
    }
}
