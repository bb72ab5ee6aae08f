#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The Kaplan–Meier estimate of a survival function from right-censored durations: how long
/// cases stay in a stage when some are still in it at the cut-off. S(t) is the product over
/// event times tᵢ ≤ t of (1 − dᵢ/nᵢ), dᵢ cases leaving at tᵢ out of nᵢ still there; a case
/// censored at tᵢ counts among those at risk at tᵢ (events before censorings at one time).
/// Percentiles are the times by which that share of cases has left; their 95% intervals are
/// where the confidence band of S, by Greenwood's variance on the log(−log) scale (as lifelines
/// computes it), crosses the same level.
package struct KaplanMeier: Sendable {
    /// One distinct time at which some case left.
    package struct Step: Sendable, Equatable {
        package var time: Double
        package var survival: Double
        /// The 95% band of `survival`.
        package var low: Double
        package var high: Double
    }

    /// A percentile, or the bound it lies above when too few cases have left to reach it.
    package enum Percentile: Sendable, Equatable {
        /// The estimate, and its 95% interval; `high` is nil when the band never gets there.
        case value(Double, low: Double, high: Double?)
        /// Fewer cases have left than the percentile needs: it lies above this time, the
        /// longest observed.
        case above(Double)
    }

    package let steps: [Step]
    package let cases: Int
    package let censored: Int
    /// The longest time observed, left or censored.
    package let longest: Double

    /// `durations`: each case's time, and whether it left (true) or was still there (false).
    package init(_ durations: [(time: Double, left: Bool)]) {
        let sorted = durations.filter { $0.time.isFinite && $0.time >= 0 }
            .sorted { $0.time != $1.time ? $0.time < $1.time : ($0.left && !$1.left) }
        cases = sorted.count
        censored = sorted.filter { !$0.left }.count
        longest = sorted.last?.time ?? 0
        var steps: [Step] = []
        var atRisk = sorted.count
        var survival = 1.0
        var greenwood = 0.0
        var i = 0
        while i < sorted.count {
            let t = sorted[i].time
            var left = 0, gone = 0
            while i < sorted.count && sorted[i].time == t {
                if sorted[i].left { left += 1 }
                gone += 1
                i += 1
            }
            if left > 0 {
                let d = Double(left), n = Double(atRisk)
                survival *= 1 - d / n
                if n > d { greenwood += d / (n * (n - d)) }
                let (low, high) = KaplanMeier.band(survival, greenwood: greenwood)
                steps.append(Step(time: t, survival: survival, low: low, high: high))
            }
            atRisk -= gone
        }
        self.steps = steps
    }

    /// The 95% band around `s` on the log(−log) scale: s^exp(±1.96·σ), with
    /// σ² = Greenwood's sum / (ln s)². At s = 0 or 1 the band is the point itself.
    static func band(_ s: Double, greenwood: Double) -> (Double, Double) {
        guard s > 0, s < 1 else { return (s, s) }
        let l = log(s)
        let sigma = (greenwood / (l * l)).squareRoot()
        let z = StandardNormal.z975
        return (pow(s, exp(z * sigma)), pow(s, exp(-z * sigma)))
    }

    /// S(t): the share of cases still in the stage after `t`.
    package func survival(at t: Double) -> Double {
        var s = 1.0
        for step in steps where step.time <= t { s = step.survival }
        return s
    }

    /// The 95% band of S at `t`: the point (1, 1) before anyone has left.
    package func band(at t: Double) -> (low: Double, high: Double) {
        var band = (low: 1.0, high: 1.0)
        for step in steps where step.time <= t { band = (step.low, step.high) }
        return band
    }

    /// The time by which the share `p` of cases has left: the first time S falls to 1 − p or
    /// below (as lifelines' `percentile(1 − p)` gives it).
    package func percentile(_ p: Double) -> Percentile {
        let level = 1 - p
        // Guard against rounding in the product: 0.1 computed as 0.09999999999999998.
        let tolerance = 1e-12
        guard let estimate = steps.first(where: { $0.survival <= level + tolerance }) else { return .above(longest) }
        let low = steps.first { $0.low <= level + tolerance }?.time ?? estimate.time
        let high = steps.first { $0.high <= level + tolerance }?.time
        return .value(estimate.time, low: low, high: high)
    }
}
