import Testing
@testable import StackupCore

@Suite struct FlowAnalysisTests {
    /// With one server and Poisson arrivals and efforts, Sakasegawa's formula is exact:
    /// the M/M/1 mean wait ρ/(μ − λ).
    @Test func sakasegawaIsExactForMM1() {
        for (lambda, mu) in [(9.0, 10.0), (1.0, 4.0), (45.0, 50.0)] {
            let rho = lambda / mu
            let wait = FlowAnalysis.sakasegawa(utilization: rho, servers: 1, arrivalSCV: 1, effortSCV: 1, effortTime: 1 / mu)
            #expect(abs(wait - rho / (mu - lambda)) < 1e-12)
        }
        #expect(FlowAnalysis.sakasegawa(utilization: 1.05, servers: 1, arrivalSCV: 1, effortSCV: 1, effortTime: 1) == .infinity)
    }

    /// Against Erlang C for M/M/c the approximation is close, not exact (within 10% here).
    @Test func sakasegawaIsCloseToErlangC() {
        func erlangC(_ c: Int, _ a: Double) -> Double {
            var term = 1.0, sum = 1.0
            for k in 1..<c { term *= a / Double(k); sum += term }
            let last = term * a / Double(c) * Double(c) / (Double(c) - a)
            return last / (sum + last)
        }
        for (c, rho) in [(3, 0.8), (5, 0.9), (2, 0.7)] {
            let mu = 1.0, a = rho * Double(c)
            let exact = erlangC(c, a) / (Double(c) * mu - a * mu)
            let approx = FlowAnalysis.sakasegawa(utilization: rho, servers: Double(c), arrivalSCV: 1, effortSCV: 1, effortTime: 1 / mu)
            #expect(abs(approx / exact - 1) < 0.1, "c=\(c) rho=\(rho): \(approx) vs \(exact)")
        }
    }

    func design(rate: String, people: Int = 1, each: String = "10/week", cv: String = "") -> String {
        """
        stackup: 1
        entries:
          web: {to: a, rate: \(rate)\(cv)}
        stages:
          a:
            owns_relationship: true
            sla: {within: 1d}
            capacity: {people: \(people), each: \(each)}
            routes:
              - to: b
          b:
            capacity: {people: 1, each: 20/week}
            routes:
              - to: won
          won: {outcome: won}
        """
    }

    @Test func arrivalsUtilisationAndWaitAtTheDeclaredRate() throws {
        let report = Checker.check(text: design(rate: "9/week"), options: CheckOptions(samples: 2_000))
        let design = try #require(report.design)
        let flow = try #require(Analyses(design: design, samples: 2_000).flow)
        let a = flow.stages[try #require(design.stageIndex["a"])]
        #expect(a.arrivalsPerWeek == 9)
        #expect(a.utilization == 0.9)
        // M/M/1: ρ/(μ − λ) weeks = 0.9 weeks = 151.2 hours.
        #expect(abs((a.waitHours ?? 0) - 151.2) < 1e-9)
        // Downstream, departures of an M/M/1 queue are Poisson again: c² stays 1.
        let b = flow.stages[try #require(design.stageIndex["b"])]
        #expect(abs(b.arrivalSCV - 1) < 1e-9)
        #expect(report.findings.map(\.rule).contains("queue-breaks-sla"))
    }

    /// Bursty arrivals lengthen the wait and carry downstream, damped by a busy server.
    @Test func variabilityPropagatesDownstream() throws {
        let text = design(rate: "9/week", cv: ", cv: 2")
        let report = Checker.check(text: text, options: CheckOptions(samples: 2_000))
        let d = try #require(report.design)
        let flow = try #require(Analyses(design: d, samples: 2_000).flow)
        let a = flow.stages[d.stageIndex["a"]!], b = flow.stages[d.stageIndex["b"]!]
        #expect(abs(a.arrivalSCV - 4) < 1e-9)
        // Linking equation, one server: cd² = ρ²·ce² + (1 − ρ²)·ca² = 0.81 + 0.19·4.
        #expect(abs(b.arrivalSCV - (0.81 + 0.19 * 4)) < 1e-9)
        #expect(abs((a.waitHours ?? 0) - 151.2 * 2.5) < 1e-6)
    }

    @Test func overCapacityAtRhoOnePointOhFive() throws {
        let report = Checker.check(text: design(rate: "10.5/week"), options: CheckOptions(samples: 2_000))
        let over = try #require(report.findings.first { $0.rule == "over-capacity" })
        #expect(over.message == "`a` receives 10.5/week and can handle 10/week (utilisation 105%): its backlog grows without end")
        #expect(!report.findings.contains { $0.rule == "queue-breaks-sla" })
    }
}
