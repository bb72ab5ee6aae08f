#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// xoshiro256**, seeded through SplitMix64: fast, and the same sequence on every platform,
/// unlike the system generator.
package struct Xoshiro256StarStar: Sendable {
    private var s0, s1, s2, s3: UInt64
    /// The second normal of the last polar draw, if unused.
    private var spareNormal: Double?

    package init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E3779B97F4A7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    @inline(__always)
    package mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on [0, 1), 53 bits.
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on (0, 1).
    @inline(__always)
    mutating func openUniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// Standard normal by Marsaglia's polar method.
    mutating func normal() -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * log(s) / s).squareRoot()
                spareNormal = v * f
                return u * f
            }
        }
    }
}

/// The standard normal distribution's quantiles and CDF.
enum StandardNormal {
    static let z90 = 1.2815515655446004
    static let z99 = 2.3263478740408408
    static let z975 = 1.959963984540054

    static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Acklam's rational approximation, polished by one Newton step (about 1e-15).
    static func quantile(_ p: Double) -> Double {
        guard p > 0 else { return -.infinity }
        guard p < 1 else { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - 0.02425 {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = cdf(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}

/// The gamma distribution, for arrivals and efforts with a given cv: draws by Marsaglia and
/// Tsang's method, and quantiles for the worst case of an effort.
enum Gamma {
    /// A draw with this mean and squared coefficient of variation: the mean itself when it is
    /// 0, exponential when 1, gamma otherwise.
    static func sample(mean: Double, scv: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        if scv == 0 { return mean }
        if scv == 1 { return -log(rng.openUniform()) * mean }
        return sample(shape: 1 / scv, scale: mean * scv, &rng)
    }

    /// The p-quantile of the gamma with this mean and squared cv, by bisection on its CDF
    /// (the regularized lower incomplete gamma function).
    static func quantile(_ p: Double, mean: Double, scv: Double) -> Double {
        guard mean > 0, mean.isFinite else { return 0 }
        guard scv > 0 else { return mean }
        if scv == 1 { return -log(1 - p) * mean }
        let k = 1 / scv, theta = mean * scv
        var lo = 0.0, hi = mean
        while regularizedLower(k, hi / theta) < p && hi < 1e300 { hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-12 * hi {
            let mid = (lo + hi) / 2
            if regularizedLower(k, mid / theta) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// P(k, x): a series below k + 1, a continued fraction (Lentz) above it.
    static func regularizedLower(_ k: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let logPrefix = k * log(x) - x - lgamma(k)
        if x < k + 1 {
            var term = 1 / k, sum = term, a = k
            for _ in 0..<1000 {
                a += 1
                term *= x / a
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return min(1, sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - k, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...1000 {
            let an = -Double(i) * (Double(i) - k)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return max(0, 1 - exp(logPrefix) * h)
    }

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

/// A time spec as a distribution on its clock, and its worst case.
package struct TimeDistribution: Hashable, Sendable {
    enum Shape: Hashable, Sendable {
        case constant(Double)
        case uniform(Double)
        /// exp(mu + sigma·Z), truncated at `max` when given. `keep` is the probability mass
        /// below `max` (1 without one).
        case lognormal(mu: Double, sigma: Double, max: Double?, keep: Double)
        /// A person's effort: gamma with this mean and squared coefficient of variation
        /// (exponential at 1), in calendar minutes.
        case gamma(mean: Double, scv: Double)
    }

    let shape: Shape
    let isBusiness: Bool
    /// The bound the worst case uses: `max`, else p99, else `within`, else fixed.
    let worstCase: ClockDuration
    /// True when one percentile was given and sigma 1 assumed.
    let assumedShape: Bool
    /// False when nothing bounds the distribution above: its `worstCase` is then its highest
    /// percentile, which some customers exceed, not an upper bound.
    package let isBounded: Bool

    static let zero = TimeDistribution(shape: .constant(0), isBusiness: false, worstCase: .zero, assumedShape: false, isBounded: true)

    init(shape: Shape, isBusiness: Bool, worstCase: ClockDuration, assumedShape: Bool, isBounded: Bool) {
        self.shape = shape
        self.isBusiness = isBusiness
        self.worstCase = worstCase
        self.assumedShape = assumedShape
        self.isBounded = isBounded
    }

    /// A stage with capacity and no `sla` keeps each customer for the effort itself: mean
    /// `1/each` in calendar time, exponential unless `capacity.cv` says otherwise. It has no
    /// upper bound (cv 0 aside), so its worst case is its p99.
    static func effort(_ capacity: Capacity) -> TimeDistribution? {
        guard let each = capacity.each.perWeek, each > 0 else { return nil }
        let mean = BusinessClock.week / each
        let scv = capacity.cv * capacity.cv
        if scv == 0 {
            return TimeDistribution(shape: .constant(mean), isBusiness: false, worstCase: ClockDuration(minutes: mean, isBusiness: false),
                                    assumedShape: false, isBounded: true)
        }
        return TimeDistribution(shape: .gamma(mean: mean, scv: scv), isBusiness: false,
                                worstCase: ClockDuration(minutes: Gamma.quantile(0.99, mean: mean, scv: scv), isBusiness: false),
                                assumedShape: false, isBounded: false)
    }

    /// A spec is on the business clock when any of its durations is; calendar durations in
    /// such a spec count as working minutes of the same length.
    init(_ spec: TimeSpec, calendar: BusinessCalendar) {
        let business = spec.durations.contains { $0.unit.isBusiness }
        func minutes(_ d: Duration) -> Double { d.minutes(workdayMinutes: calendar.workdayMinutes) }
        isBusiness = business
        isBounded = spec.isBounded
        worstCase = ClockDuration(minutes: minutes(spec.worstCase), isBusiness: business)
        switch spec {
        case .fixed(let d):
            shape = .constant(minutes(d))
            assumedShape = false
        case .within(let d):
            shape = .uniform(minutes(d))
            assumedShape = false
        case .percentiles(let p50, let p90, let p99, let max):
            let given: [(Double, Double)] = [(0, p50), (StandardNormal.z90, p90), (StandardNormal.z99, p99)]
                .compactMap { z, d in d.map { (z, log(Swift.max(minutes($0), 1e-9))) } }
            let cap = max.map(minutes)
            if given.count >= 2, let first = given.first, let last = given.last {
                // The lowest and highest percentiles given fix the lognormal.
                // Percentiles out of order (already an `invalid-sla` finding) give a negative
                // sigma; the analyses go on with its size, the same lognormal drawn either way.
                let sigma = abs((last.1 - first.1) / (last.0 - first.0))
                shape = TimeDistribution.lognormal(mu: first.1 - first.0 * sigma, sigma: sigma, cap: cap)
                assumedShape = false
            } else if let only = given.first {
                shape = TimeDistribution.lognormal(mu: only.1 - only.0, sigma: 1, cap: cap)
                assumedShape = true
            } else {
                shape = .uniform(cap ?? 0)
                assumedShape = false
            }
        }
    }

    static func lognormal(mu: Double, sigma: Double, cap: Double?) -> Shape {
        .lognormal(mu: mu, sigma: sigma, max: cap, keep: cap.map { StandardNormal.cdf((log($0) - mu) / sigma) } ?? 1)
    }

    /// The distribution as the sampling loops read it.
    var sampler: DurationSampler { DurationSampler(self) }

    func sample(_ rng: inout Xoshiro256StarStar) -> Double { sampler.sample(&rng) }
}

/// A time distribution flattened for the sampling loops: plain fields with no enum payloads
/// or optionals, so that a loop step reads two or three numbers instead of copying and
/// switching over a `TimeDistribution`.
package struct DurationSampler: Sendable {
    package enum Kind: UInt8, Sendable {
        case constant, uniform, lognormal
        /// Truncated at `cap` by redrawing above it: most of the mass lies below.
        case cappedByRedraw
        /// Truncated at `cap` by drawing from the CDF below it.
        case cappedByQuantile
        /// Gamma (exponential at scv 1) with mean `a` and squared cv `b`.
        case gamma
    }

    let kind: Kind
    /// constant: the value; uniform: the width; lognormal: mu.
    let a: Double
    /// lognormal: sigma.
    let b: Double
    let cap: Double
    /// The probability mass below `cap`.
    let keep: Double
    let isBusiness: Bool

    init(_ distribution: TimeDistribution) {
        isBusiness = distribution.isBusiness
        switch distribution.shape {
        case .constant(let c): (kind, a, b, cap, keep) = (.constant, c, 0, 0, 1)
        case .uniform(let d): (kind, a, b, cap, keep) = (.uniform, d, 0, 0, 1)
        case .lognormal(let mu, let sigma, let max, let keep):
            // Truncation, exactly: redraw above the cap while that is cheap, else invert the CDF.
            let kind: Kind = max == nil ? .lognormal : keep >= 0.5 ? .cappedByRedraw : .cappedByQuantile
            (self.kind, a, b, cap, self.keep) = (kind, mu, sigma, max ?? .infinity, keep)
        case .gamma(let mean, let scv): (kind, a, b, cap, keep) = (.gamma, mean, scv, .infinity, 1)
        }
    }

    @inline(__always)
    func sample(_ rng: inout Xoshiro256StarStar) -> Double {
        switch kind {
        case .constant: return a
        case .uniform: return rng.uniform() * a
        case .lognormal: return exp(a + b * rng.normal())
        case .cappedByRedraw:
            // At least half the mass lies below the cap, so a few draws do; the bound keeps a
            // degenerate spec (a sigma of 0 above its cap) from spinning: the fuzzer found one.
            for _ in 0..<64 {
                let x = exp(a + b * rng.normal())
                if x <= cap { return x }
            }
            return cap
        case .cappedByQuantile:
            let x = exp(a + b * StandardNormal.quantile(rng.openUniform() * keep))
            return x.isNaN ? cap : min(x, cap)
        case .gamma:
            return DurationSampler.effort(mean: a, scv: b, &rng)
        }
    }

    /// A gamma draw, out of line: inlined into `sample`, it made the Monte Carlo loop cost 13%
    /// more instructions on designs that never draw it (callgrind, 20,000 customers).
    @inline(never)
    static func effort(mean: Double, scv: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        Gamma.sample(mean: mean, scv: scv, &rng)
    }

    /// `t` plus a drawn duration, on the clock this distribution runs on.
    @inline(__always)
    func advance(_ t: Double, on clock: BusinessClock, _ rng: inout Xoshiro256StarStar) -> Double {
        ClockDuration(minutes: sample(&rng), isBusiness: isBusiness).added(to: t, on: clock)
    }
}

extension Xoshiro256StarStar {
    /// The Monte Carlo benchmark's floor: the sum of `count` lognormal draws. Compiled in this
    /// module, as the Monte Carlo is, so that the draw is inlined in both and the ratio
    /// between them compares like with like.
    package static func sumOfLognormals(_ count: Int, seed: UInt64) -> Double {
        var rng = Xoshiro256StarStar(seed: seed)
        var sum = 0.0
        for _ in 0..<count { sum += exp(2.3 + 0.8 * rng.normal()) }
        return sum
    }
}
