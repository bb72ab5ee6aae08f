import Foundation
import StackupCore

/// `stackup simulate` output: JSON as format.md gives it (version 1, with additions), and a
/// short text summary. Pure functions of the result.
public enum SimulationReporter {
    struct Report: Encodable {
        let version = 1
        let customers: Int
        let seed: UInt64
        let partial: Bool
        let warmup: Int
        let counted: Int
        let events: Int
        let simulated_weeks: Double
        let promises: [String: PromiseFigures]
        let outcomes: [String: Double]
        /// The dropped share of `outcomes`, by reason.
        let dropped_by_reason: [String: Double]
        let stages: [String: StageFigures]
        let handoffs: [String: Double]
    }

    struct PromiseFigures: Encodable {
        let p50_hours: Double?
        let p90_hours: Double?
        let p99_hours: Double?
        /// Share within `max`, else within the highest percentile budget.
        let kept: Double?
        let kept_by_budget: [String: Double]
        /// The budgets that break: a pN budget when fewer than N% are within it, `max` when
        /// anyone is over it.
        let broken_budgets: [String]
        /// `calendar`, or `business`: the hours are then working hours.
        let time: String
        let reached: Int
    }

    struct StageFigures: Encodable {
        let arrivals_per_week: Double
        let utilization: Double?
        let mean_wait_hours: Double
        let p90_wait_hours: Double
        let mean_queue_length: Double
        let max_queue_length: Int
        let queue_length_at_half: Int
        let queue_length_at_last_arrival: Int
        /// Utilisation at or above 1: the queue grows without end, so the waits grow with the
        /// length of the run and are no figure of the stage.
        let unstable: Bool
    }

    static func r(_ x: Double, _ digits: Double = 1000) -> Double { x.isFinite ? (x * digits).rounded() / digits : 0 }

    static func hours(_ minutes: Double?) -> Double? { minutes.map { r($0 / 60) } }

    static func kept(_ p: Simulation.Result.PromiseFigures) -> Double? {
        let order = ["max", "p99", "p90", "p50"]
        return order.lazy.compactMap { key in p.kept.first { $0.key == key }?.share }.first.map { r($0, 10000) }
    }

    /// The budgets a promise breaks in the simulation: pN when fewer than N% of the customers
    /// are within it, `max` when anyone is over it.
    static func broken(_ p: Simulation.Result.PromiseFigures) -> [String] {
        let needed: [String: Double] = ["p50": 0.5, "p90": 0.9, "p99": 0.99, "max": 1.0]
        return p.kept.filter { entry in !p.times.isEmpty && entry.share < (needed[entry.key] ?? 1) - 1e-12 }.map(\.key)
    }

    public static func json(_ result: Simulation.Result, warmup: Int) -> String {
        var promises: [String: PromiseFigures] = [:]
        for p in result.promises {
            promises[p.name] = PromiseFigures(p50_hours: hours(p.p50), p90_hours: hours(p.p90), p99_hours: hours(p.p99),
                                              kept: kept(p), kept_by_budget: Dictionary(uniqueKeysWithValues: p.kept.map { ($0.key, r($0.share, 10000)) }),
                                              broken_budgets: broken(p), time: p.measure == .calendar ? "calendar" : "business",
                                              reached: p.times.count)
        }
        var stages: [String: StageFigures] = [:]
        for s in result.stages {
            stages[s.stage] = StageFigures(arrivals_per_week: r(s.arrivalsPerWeek), utilization: s.utilization.map { r($0, 10000) },
                                           mean_wait_hours: r(s.meanWaitHours), p90_wait_hours: r(s.p90WaitHours),
                                           mean_queue_length: r(s.meanQueueLength), max_queue_length: s.maxQueueLength,
                                           queue_length_at_half: s.queueAtHalf, queue_length_at_last_arrival: s.queueAtLastArrival,
                                           unstable: s.isUnstable)
        }
        let report = Report(customers: result.customers, seed: result.seed, partial: !result.complete, warmup: warmup,
                            counted: result.counted, events: result.events, simulated_weeks: r(result.simulatedWeeks), promises: promises,
                            outcomes: Dictionary(uniqueKeysWithValues: result.outcomes.map { ($0.key, r($0.share, 10000)) }),
                            dropped_by_reason: Dictionary(uniqueKeysWithValues: result.dropped.map { ($0.reason.rawValue, r($0.share, 10000)) }),
                            stages: stages,
                            handoffs: Dictionary(uniqueKeysWithValues: result.handoffs.map { (String($0.count), r($0.share, 10000)) }))
        return JSONOutput.encode(report)
    }

    public static func text(_ result: Simulation.Result, design: String) -> String {
        var out = "Simulated \(result.customers) customers of \(design) (seed \(result.seed)): \(result.events) events over \(NumberFormatting.rounded(result.simulatedWeeks)) weeks"
        out += result.complete ? ".\n" : ". PARTIAL: interrupted before the end; figures cover what was gathered.\n"
        out += "Figures count the \(result.counted) customers who entered after the warm-up.\n\nOutcomes: "
        out += result.outcomes.map { outcome -> String in
            var text = "\(outcome.key) \(NumberFormatting.percent(outcome.share))"
            if outcome.key == "dropped", !result.dropped.isEmpty {
                text += " (" + result.dropped.map { "\($0.reason.label) \(NumberFormatting.percent($0.share))" }.joined(separator: ", ") + ")"
            }
            return text
        }.joined(separator: ", ") + "\n"
        if !result.promises.isEmpty {
            out += "\nPromises (journey time of customers who reached the end; within each budget, and ✗ where it breaks):\n"
            let rows = result.promises.map { p -> [String] in
                // From the JSON's rounded hours, so that the two outputs agree.
                let span = { (minutes: Double?) -> String in hours(minutes).map { NumberFormatting.span($0 * 60, in: p.measure) } ?? "-" }
                let broken = Set(broken(p))
                let within = p.kept.map { key, budget, share in
                    "\(key) \(NumberFormatting.span(budget, in: p.measure)): \(NumberFormatting.percent(share))\(broken.contains(key) ? " ✗" : "")"
                }.joined(separator: ", ")
                return [p.name, span(p.p50), span(p.p90), span(p.p99), within.isEmpty ? "-" : within, String(p.times.count)]
            }
            out += TextReporter.render(FindingTable(header: ["promise", "p50", "p90", "p99", "within budget", "reached"], rows: rows), indent: "  ")
        }
        if !result.stages.isEmpty {
            out += "\nStages:\n"
            let rows = result.stages.map { s -> [String] in
                let busy: String = s.utilization.map(NumberFormatting.percent) ?? "-"
                let arrivals = "\(NumberFormatting.rounded(s.arrivalsPerWeek))/week"
                // An unstable queue's waits grow with the run: they are no figure of the stage.
                let mean = s.isUnstable ? "unstable" : NumberFormatting.span(s.meanWaitHours * 60)
                let p90 = s.isUnstable ? "unstable" : NumberFormatting.span(s.p90WaitHours * 60)
                return [s.stage, arrivals, busy, mean, p90, NumberFormatting.rounded(s.meanQueueLength), String(s.maxQueueLength)]
            }
            out += TextReporter.render(FindingTable(header: ["stage", "arrivals", "busy", "mean wait", "p90 wait", "mean queue", "max queue"], rows: rows), indent: "  ")
            let unstable = result.stages.filter(\.isUnstable).map { "`\($0.stage)`" }
            if !unstable.isEmpty {
                out += "  unstable: \(unstable.joined(separator: ", ")) \(unstable.count == 1 ? "is" : "are") loaded at or above capacity, so the queue grows without end and its waits grow with the length of the run\n"
            }
        }
        out += "\nHandoffs per customer: " + result.handoffs.map { "\($0.count): \(NumberFormatting.percent($0.share))" }.joined(separator: ", ") + "\n"
        return out
    }
}
