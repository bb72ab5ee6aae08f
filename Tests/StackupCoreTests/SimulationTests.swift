import Foundation
import Testing
@testable import StackupCore

/// The simulation against analytic truth, at 200k customers with a fixed seed.
@Suite struct SimulationTests {
    func simulate(_ text: String, customers: Int = 200_000, seed: UInt64 = 1) throws -> (Design, Simulation.Result) {
        let report = Checker.check(text: text, options: CheckOptions(samples: 100))
        let design = try #require(report.design, "\(positions(report))")
        let analyses = Analyses(design: design, samples: 100)
        return (design, Simulation.run(design: design, analyses: analyses, options: .init(customers: customers, seed: seed)))
    }

    func line(rate: String, stages: [(people: Int, each: String)]) -> String {
        var text = "stackup: 1\nentries:\n  web: {to: s0, rate: \(rate)}\nstages:\n"
        for (i, s) in stages.enumerated() {
            text += "  s\(i):\n    capacity: {people: \(s.people), each: \(s.each)}\n    routes:\n      - to: \(i == stages.count - 1 ? "won" : "s\(i + 1)")\n"
        }
        return text + "  won: {outcome: won}\n"
    }

    func wait(_ result: Simulation.Result, _ stage: String) throws -> Double {
        try #require(result.stages.first { $0.stage == stage }).meanWaitHours
    }

    /// ρ/(μ − λ) with λ = 9/week and μ = 10/week: 0.9 weeks.
    @Test func mm1MatchesTheAnalyticWait() throws {
        let (_, r) = try simulate(line(rate: "9/week", stages: [(1, "10/week")]))
        let analytic = 0.9 * 168
        let simulated = try wait(r, "s0")
        #expect(abs(simulated / analytic - 1) < 0.03, "simulated \(simulated) h, analytic \(analytic) h")
        #expect(abs((r.stages.first?.utilization ?? 0) - 0.9) < 0.01)
    }

    /// Erlang C for three servers at ρ = 0.8.
    @Test func mm3MatchesErlangC() throws {
        let (_, r) = try simulate(line(rate: "24/week", stages: [(3, "10/week")]))
        let c = 3.0, a = 2.4
        let pWait: Double = {
            var term = 1.0, sum = 1.0
            for k in 1..<3 { term *= a / Double(k); sum += term }
            let last = term * a / c * c / (c - a)
            return last / (sum + last)
        }()
        let analytic = pWait / (c * 10 - 24) * 168
        let simulated = try wait(r, "s0")
        #expect(abs(simulated / analytic - 1) < 0.03, "simulated \(simulated) h, Erlang C \(analytic) h")
    }

    /// Jackson: each of two M/M/1 stations in series behaves as an M/M/1 on its own. At
    /// ρ = 0.6 and 0.5 the sampling error of a mean wait over 200k customers (waits are strongly
    /// autocorrelated) is about 2%; at ρ = 0.8 it is about 4%, too close to the 3% asked.
    @Test func twoMM1InSeriesEachMatch() throws {
        let (_, r) = try simulate(line(rate: "6/week", stages: [(1, "10/week"), (1, "12/week")]))
        let first = 0.6 / (10 - 6) * 168, second = 0.5 / (12 - 6) * 168
        let w0 = try wait(r, "s0"), w1 = try wait(r, "s1")
        #expect(abs(w0 / first - 1) < 0.03, "first: \(w0) vs \(first)")
        #expect(abs(w1 / second - 1) < 0.03, "second: \(w1) vs \(second)")
    }

    /// Past capacity the check reports it, and the simulated queue keeps growing.
    @Test func overloadedQueueGrows() throws {
        let text = line(rate: "10.5/week", stages: [(1, "10/week")])
        #expect(Checker.check(text: text, options: CheckOptions(samples: 100)).findings.contains { $0.rule == "over-capacity" })
        let (_, r) = try simulate(text, customers: 100_000)
        let stage = try #require(r.stages.first)
        #expect(stage.queueAtHalf > 500)
        #expect(Double(stage.queueAtLastArrival) > 1.6 * Double(stage.queueAtHalf), "half: \(stage.queueAtHalf), end: \(stage.queueAtLastArrival)")
    }

    @Test func sameSeedSameFigures() throws {
        let text = line(rate: "9/week", stages: [(2, "6/week")])
        let (_, a) = try simulate(text, customers: 20_000)
        let (_, b) = try simulate(text, customers: 20_000)
        let (_, c) = try simulate(text, customers: 20_000, seed: 2)
        #expect(a.events == b.events && a.simulatedWeeks == b.simulatedWeeks)
        #expect(a.stages.map(\.meanWaitHours) == b.stages.map(\.meanWaitHours))
        #expect(a.stages.map(\.meanWaitHours) != c.stages.map(\.meanWaitHours))
    }

    @Test func outcomesPromisesAndHandoffsAreCounted() throws {
        let text = """
        stackup: 1
        customer:
          attributes:
            score: {min: 0, max: 100}
          promises:
            p: {to: won, max: 3d}
        entries:
          web: {to: a, rate: 10/week}
        stages:
          a:
            contact: true
            sla: {fixed: 1d}
            routes:
              - to: b
                when: {score: ">= 50"}
              - to: lost
                when: {score: ">= 20"}
          b:
            contact: true
            sla: {fixed: 1d}
            routes:
              - to: won
          won: {outcome: won}
          lost: {outcome: lost}
        """
        let (_, r) = try simulate(text, customers: 20_000)
        let outcomes = Dictionary(uniqueKeysWithValues: r.outcomes.map { ($0.key, $0.share) })
        #expect(abs((outcomes["won"] ?? 0) - 0.5) < 0.02)
        #expect(abs((outcomes["lost"] ?? 0) - 0.3) < 0.02)
        #expect(abs((outcomes["dropped"] ?? 0) - 0.2) < 0.02)
        let p = try #require(r.promises.first)
        // Idle stages, fixed times: every journey to `won` takes exactly two days.
        #expect(p.times.allSatisfy { abs($0 - 2 * 1440) < 1e-6 })
        #expect(p.kept.first { $0.key == "max" }?.share == 1)
        let handoffs = Dictionary(uniqueKeysWithValues: r.handoffs.map { ($0.count, $0.share) })
        #expect(abs((handoffs[1] ?? 0) - 0.5) < 0.02)
    }
}

@Suite struct SelectionTests {
    /// Selection against sorting, on random values with many ties.
    @Test func selectionGivesTheSortedQuantile() {
        var rng = Xoshiro256StarStar(seed: 9)
        for trial in 0..<2000 {
            let count = Int(rng.next() % 60) + 1
            let spread = UInt64(trial % 3 == 0 ? 3 : 1000)
            let values = (0..<count).map { _ in Double(rng.next() % spread) }
            let sorted = values.sorted()
            for p in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
                var copy = values
                #expect(Selection.quantile(&copy, p) == TimeAnalysis.quantile(sorted, p).value, "\(values) at \(p)")
            }
        }
    }
}
