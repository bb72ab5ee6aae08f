#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Load on each stage at the declared entry rates: arrivals from the Monte Carlo's visits per
/// customer (loops count every visit), utilisation, and the mean queue wait by Sakasegawa's
/// G/G/c approximation, with arrival variability carried downstream by the linking equation
/// of Hopp & Spearman's *Factory Physics*.
package struct FlowAnalysis: Sendable {
    /// One stage's load.
    package struct StageLoad: Sendable {
        package var arrivalsPerWeek: Double
        /// Customers per week the stage can handle; nil when unlimited.
        package var capacityPerWeek: Double?
        /// Arrivals ÷ capacity; nil when unlimited.
        package var utilization: Double?
        /// Squared coefficients of variation of arrivals and of the effort.
        package var arrivalSCV: Double
        var effortSCV: Double
        /// Predicted mean wait for a server, in calendar hours; nil when unlimited, infinite
        /// when overloaded.
        package var waitHours: Double?
        /// The stage's own median time, in hours on its clock.
        var medianOwnHours: Double
        /// Wait plus the mean of the stage's own time, in hours.
        package var timeInStageHours: Double
    }

    let totalRatePerWeek: Double
    let stages: [StageLoad]
    /// Outcome stage → expected customers per week ending there.
    let outcomesPerWeek: [Int: Double]
    let droppedPerWeek: Double
    let samples: Int

    init?(design: Design, monteCarlo: MonteCarlo?, model: TimeModel) {
        guard let mc = monteCarlo, mc.samples > 0 else { return nil }
        let n = design.stages.count
        let total = design.entries.reduce(0) { $0 + ($1.rate.perWeek ?? 0) }
        totalRatePerWeek = total
        samples = mc.samples
        let perCustomer = total / Double(mc.samples)
        var visits = [Double](repeating: 0, count: n)
        // Moves from each stage to the next, by target: a few per stage (its routes and its
        // rejection), so a short list to scan rather than a dictionary to hash per visit.
        var transitions = [[(target: Int, count: Double)]](repeating: [], count: n)
        var fromEntry = [Double](repeating: 0, count: n)
        var entryCV2 = [Double](repeating: 0, count: n)
        var outcomeSums = [Double](repeating: 0, count: n)
        var outcomeSeen = [Bool](repeating: false, count: n)
        var dropped = 0.0
        let entryCV2s = design.entries.map { $0.cv * $0.cv }
        for journey in mc.journeys {
            var previous: Int?
            for v in mc.visits(of: journey) {
                visits[v.stage] += 1
                if let p = previous {
                    if let k = transitions[p].firstIndex(where: { $0.target == v.stage }) {
                        transitions[p][k].count += 1
                    } else {
                        transitions[p].append((v.stage, 1))
                    }
                } else {
                    fromEntry[v.stage] += 1
                    entryCV2[v.stage] += entryCV2s[journey.entry]
                }
                previous = v.stage
            }
            switch journey.ending {
            case .outcome(let s):
                outcomeSums[s] += perCustomer
                outcomeSeen[s] = true
            case .dropped: dropped += perCustomer
            }
        }
        var outcomes: [Int: Double] = [:]
        for s in 0..<n where outcomeSeen[s] { outcomes[s] = outcomeSums[s] }
        // Per stage, the moves into it, from the lowest source up: sums in a fixed order.
        var incoming = [[(source: Int, count: Double)]](repeating: [], count: n)
        for u in 0..<n { for t in transitions[u] { incoming[t.target].append((u, t.count)) } }
        outcomesPerWeek = outcomes
        droppedPerWeek = dropped
        let lambda = visits.map { $0 * perCustomer }
        let capacity = design.stages.map { $0.capacity.perWeek }
        let servers = design.stages.map { Double($0.capacity.people) }
        let effortSCV = design.stages.map { $0.capacity.cv * $0.capacity.cv }
        let utilization = (0..<n).map { s in capacity[s].map { lambda[s] / $0 } }
        // Arrival variability: merged flows weighted by rate; a split with probability p
        // leaves c² = p·cd² + (1 − p); departures follow the linking equation. Loops make the
        // equations circular, so they are iterated to a fixed point.
        var ca2 = [Double](repeating: 1, count: n)
        for _ in 0..<50 {
            let cd2 = (0..<n).map { s -> Double in
                guard let u = utilization[s] else { return ca2[s] }
                let v = min(u, 0.999)
                return 1 + (1 - v * v) * (ca2[s] - 1) + v * v * (effortSCV[s] - 1) / servers[s].squareRoot()
            }
            var next = [Double](repeating: 0, count: n)
            for s in 0..<n where visits[s] > 0 {
                var weighted = entryCV2[s]
                for (u, count) in incoming[s] where visits[u] > 0 {
                    let p = min(count / visits[u], 1)
                    weighted += count * (p * cd2[u] + (1 - p))
                }
                next[s] = weighted / visits[s]
            }
            for s in 0..<n where visits[s] == 0 { next[s] = 1 }
            ca2 = next
        }
        stages = (0..<n).map { s in
            var own = FlowAnalysis.ownTimes(model.stageTime[s])
            // Without an `sla`, a stage with capacity keeps the customer for the effort.
            if design.stages[s].sla == nil, let each = design.stages[s].capacity.each.perWeek, each > 0 {
                let mean = 168 / each
                own = (design.stages[s].capacity.cv == 1 ? mean * log(2.0) : mean, mean)
            }
            var wait: Double?
            if let c = capacity[s], let u = utilization[s], let each = design.stages[s].capacity.each.perWeek, each > 0 {
                _ = c
                wait = FlowAnalysis.sakasegawa(utilization: u, servers: servers[s], arrivalSCV: ca2[s], effortSCV: effortSCV[s], effortTime: 168 / each)
            }
            return StageLoad(arrivalsPerWeek: lambda[s], capacityPerWeek: capacity[s], utilization: utilization[s],
                             arrivalSCV: ca2[s], effortSCV: effortSCV[s], waitHours: wait, medianOwnHours: own.median,
                             timeInStageHours: (wait ?? 0) + own.mean)
        }
    }

    /// Median and mean of a stage's own time, in hours on its own clock.
    static func ownTimes(_ d: TimeDistribution) -> (median: Double, mean: Double) {
        switch d.shape {
        case .constant(let c): return (c / 60, c / 60)
        case .uniform(let x): return (x / 120, x / 120)
        case .lognormal(let mu, let sigma, let cap, let keep):
            let median = min(exp(mu + sigma * StandardNormal.quantile(0.5 * keep)), cap ?? .infinity)
            // Mean of a lognormal truncated above at the cap.
            var mean = exp(mu + sigma * sigma / 2)
            if let cap {
                mean *= StandardNormal.cdf((log(cap) - mu - sigma * sigma) / sigma) / max(keep, 1e-12)
            }
            return (median / 60, mean / 60)
        case .gamma(let mean, let scv):
            return (Gamma.quantile(0.5, mean: mean, scv: scv) / 60, mean / 60)
        }
    }

    /// Sakasegawa's approximation of the mean wait in queue, in the unit of `effortTime`.
    static func sakasegawa(utilization u: Double, servers c: Double, arrivalSCV ca2: Double, effortSCV ce2: Double, effortTime te: Double) -> Double {
        guard u < 1 else { return .infinity }
        guard u > 0 else { return 0 }
        return (ca2 + ce2) / 2 * pow(u, (2 * (c + 1)).squareRoot() - 1) / (c * (1 - u)) * te
    }
}
