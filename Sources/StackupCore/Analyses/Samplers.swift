#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Draws one customer's attributes from an entry's mix; attributes without a mix are uniform
/// over their declared range or values. Laid out flat: one record per entry and attribute,
/// and the discrete tables in one array, read without bounds checks (`init` builds every
/// index, and callers pass an entry and an attribute of the design).
package struct AttributeSampler: Sendable {
    package enum Kind: UInt8, Sendable { case uniform, lognormal, fixed, discrete }

    struct Spec: Sendable {
        var kind: Kind
        /// discrete: the table's rows in `table`.
        var tableStart: Int32 = 0
        var tableCount: Int32 = 0
        /// uniform: a, b; lognormal: mu, sigma; fixed: x.
        var first: Double = 0
        var second: Double = 0
        /// Declared bounds: a mix's draw (a lognormal's tail, say) is clamped into them, so
        /// that every sampled customer lies in the domain the regions cover.
        var lower: Double = -.infinity
        var upper: Double = .infinity
    }

    /// A discrete table's row: a value coordinate and the cumulative weight up to it.
    struct Row: Sendable {
        var coordinate: Double
        var cumulative: Double
    }

    /// Entry `e`'s attribute `d` is at `e * dimensions + d`.
    let specs: [Spec]
    let table: [Row]
    let dimensions: Int

    init(entries: [Entry], domain: RegionDomain) {
        dimensions = domain.attributes.count
        var specs: [Spec] = [], table: [Row] = []
        func discrete(_ rows: [(Double, Double)]) -> Spec {
            var spec = Spec(kind: .discrete, tableStart: Int32(table.count), tableCount: Int32(rows.count))
            var total = 0.0
            for (c, w) in rows {
                total += w
                table.append(Row(coordinate: c, cumulative: total))
            }
            // A loaded design has no empty table (an enumeration lists a value, weights add up
            // to more than zero); one built in code draws 0 rather than reading outside it.
            if rows.isEmpty {
                table.append(Row(coordinate: 0, cumulative: 0))
                spec.tableCount = 1
            }
            return spec
        }
        for entry in entries {
            for (d, attribute) in domain.attributes.enumerated() {
                var spec: Spec
                if let mix = entry.mix[attribute.name]?.value {
                    switch mix {
                    case .uniform(let a, let b): spec = Spec(kind: .uniform, first: a, second: b)
                    case .lognormal(let p50, let p90):
                        spec = Spec(kind: .lognormal, first: log(p50), second: (log(p90) - log(p50)) / StandardNormal.z90)
                    case .fixed(let x): spec = Spec(kind: .fixed, first: x)
                    case .weights(let weights): spec = discrete(weights.map { (domain.point([attribute.name: $0.value])[d], $0.weight) })
                    }
                } else {
                    switch attribute.kind {
                    case .number(let lo, let hi): spec = Spec(kind: .uniform, first: lo ?? 0, second: hi ?? 0)
                    case .enumeration(let values): spec = discrete(values.indices.map { (Double($0), 1) })
                    case .boolean: spec = discrete([(0, 1), (1, 1)])
                    }
                }
                if case .number(let lo, let hi) = attribute.kind {
                    spec.lower = lo ?? -.infinity
                    spec.upper = hi ?? .infinity
                }
                specs.append(spec)
            }
        }
        self.specs = specs
        self.table = table
    }

    /// One attribute of a customer from entry `entry`.
    @inline(__always)
    func draw(entry: Int, attribute a: Int, _ rng: inout Xoshiro256StarStar) -> Double {
        let spec = specs.withUnsafeBufferPointer { $0[entry &* dimensions &+ a] }
        var x: Double
        switch spec.kind {
        case .uniform: x = spec.first + rng.uniform() * (spec.second - spec.first)
        case .lognormal: x = exp(spec.first + spec.second * rng.normal())
        case .fixed: x = spec.first
        case .discrete:
            x = table.withUnsafeBufferPointer { table in
                let start = Int(spec.tableStart), last = start &+ Int(spec.tableCount) &- 1
                let u = rng.uniform() * table[last].cumulative
                var i = start
                while i < last && u >= table[i].cumulative { i &+= 1 }
                return table[i].coordinate
            }
        }
        return min(max(x, spec.lower), spec.upper)
    }

    /// Every attribute of a customer, in declaration order.
    func draw(entry: Int, into point: UnsafeMutableBufferPointer<Double>, _ rng: inout Xoshiro256StarStar) {
        for a in 0..<dimensions { point[a] = draw(entry: entry, attribute: a, &rng) }
    }
}

/// Arrival gaps and attributes for the simulation's entries.
package struct EntrySampler: Sendable {
    package let attributes: AttributeSampler
    /// Mean gap in minutes (calendar, or working for business-hours entries), and the cv².
    let meanGap: [Double]
    let scv: [Double]
    let business: [Bool]
    let clock: BusinessClock

    init(design: Design, domain: RegionDomain, clock: BusinessClock) {
        attributes = AttributeSampler(entries: design.entries, domain: domain)
        self.clock = clock
        business = design.entries.map(\.arrivesInBusinessHours)
        meanGap = design.entries.map { e in
            let perWeek = e.rate.perWeek ?? 0
            guard perWeek > 0 else { return .infinity }
            return (e.arrivesInBusinessHours ? clock.weekLength : BusinessClock.week) / perWeek
        }
        scv = design.entries.map { $0.cv * $0.cv }
    }

    func gap(_ e: Int, _ rng: inout Xoshiro256StarStar, from t: Double) -> Double {
        ClockDuration(minutes: Gamma.sample(mean: meanGap[e], scv: scv[e], &rng), isBusiness: business[e]).added(to: t, on: clock)
    }
}
