import Foundation
import Testing
@testable import StackupCore

/// Kaplan–Meier against analytic truths and a textbook table.
@Suite struct KaplanMeierTests {
    /// Without censoring the estimate is the empirical distribution: S falls by 1/n at each time.
    @Test func withoutCensoringItIsTheEmpiricalDistribution() {
        let km = KaplanMeier((1...10).map { (Double($0), true) })
        #expect(km.cases == 10 && km.censored == 0)
        #expect(abs(km.survival(at: 3) - 0.7) < 1e-12)
        #expect(km.survival(at: 0.5) == 1)
        guard case .value(let p50, _, _) = km.percentile(0.5), case .value(let p90, _, _) = km.percentile(0.9) else {
            Issue.record("no percentile")
            return
        }
        #expect(p50 == 5)
        #expect(p90 == 9)
        // Ties leave together.
        let tied = KaplanMeier([(2, true), (2, true), (4, true), (4, true)])
        #expect(tied.steps.map(\.survival) == [0.5, 0])
    }

    /// Freireich's 6-MP remission times (n = 21, 12 censored), the classic worked example:
    /// S(6) = 0.857, S(7) = 0.807, S(10) = 0.753, S(13) = 0.690, S(16) = 0.627, S(22) = 0.538,
    /// S(23) = 0.448 (Kleinbaum & Klein, *Survival Analysis*, table 2.2); the median is 23.
    @Test func theSixMPTable() {
        let observed: [Double] = [6, 6, 6, 7, 10, 13, 16, 22, 23]
        let censored: [Double] = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
        let km = KaplanMeier(observed.map { ($0, true) } + censored.map { ($0, false) })
        #expect(km.cases == 21 && km.censored == 12)
        let expected: [(Double, Double)] = [(6, 0.857), (7, 0.807), (10, 0.753), (13, 0.690), (16, 0.627), (22, 0.538), (23, 0.448)]
        #expect(km.steps.map(\.time) == expected.map(\.0))
        for (step, (_, s)) in zip(km.steps, expected) { #expect(abs(step.survival - s) < 0.0005, "\(step)") }
        guard case .value(let median, let low, let high) = km.percentile(0.5) else { Issue.record("no median"); return }
        #expect(median == 23)
        #expect(low <= median && (high ?? .infinity) >= median)
        // Fewer than 90% have left by the last time: the p90 lies above it.
        #expect(km.percentile(0.9) == .above(35))
    }

    /// The band holds the estimate, narrows as cases accumulate, and is the point at S = 0.
    @Test func theBandHoldsTheEstimate() {
        var rng = Xoshiro256StarStar(seed: 7)
        func sample(_ n: Int) -> KaplanMeier {
            KaplanMeier((0..<n).map { _ in
                let t = -log(rng.openUniform()) * 10, c = -log(rng.openUniform()) * 20
                return (min(t, c), t <= c)
            })
        }
        let small = sample(100), large = sample(10_000)
        for step in small.steps + large.steps { #expect(step.low <= step.survival && step.survival <= step.high) }
        func width(_ km: KaplanMeier) -> Double {
            guard case .value(_, let low, let high?) = km.percentile(0.5) else { return .infinity }
            return high - low
        }
        #expect(width(large) < width(small) / 5)
        // Exponential with mean 10: the median is 10·ln 2 = 6.93, inside the large sample's interval.
        guard case .value(let median, let low, let high?) = large.percentile(0.5) else { Issue.record("no median"); return }
        #expect(low <= 10 * log(2.0) && 10 * log(2.0) <= high, "\(median) in \(low)–\(high)")
    }
}

/// The peer cross-check: on 16 seeded random censored samples, every p50 and p90 and both ends
/// of their 95% intervals equal lifelines' to the minute (the durations are whole minutes, so
/// to the minute is exactly). The fixture is lifelines' output: `.ci/run` regenerates it with
/// `Scripts/km-lifelines.py` and fails when it differs.
@Suite struct KaplanMeierLifelinesTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var durations: [Double]
            var observed: [Bool]
            var p50: Double?, p50_low: Double?, p50_high: Double?
            var p90: Double?, p90_low: Double?, p90_high: Double?
        }
        var cases: [Case]
    }

    @Test func percentilesEqualLifelines() throws {
        let url = repositoryRoot.appendingPathComponent("Tests/StackupCoreTests/Fixtures/km-lifelines.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 16)
        for (k, c) in fixture.cases.enumerated() {
            let km = KaplanMeier(zip(c.durations, c.observed).map { ($0, $1) })
            for (p, value, low, high) in [(0.5, c.p50, c.p50_low, c.p50_high), (0.9, c.p90, c.p90_low, c.p90_high)] {
                switch km.percentile(p) {
                case .value(let v, let l, let h):
                    #expect(v == value && l == low && h == high, "case \(k), p\(Int(p * 100)): \(v) \(l)–\(String(describing: h)) against lifelines \(String(describing: value)) \(String(describing: low))–\(String(describing: high))")
                case .above:
                    // lifelines gives no estimate either (infinite).
                    #expect(value == nil && high == nil, "case \(k), p\(Int(p * 100)): above, against lifelines \(String(describing: value))")
                }
            }
        }
    }
}
