/// One segment's part of a promise: a stage's work, or the delay of the handoff into a stage.
public struct Contribution: Hashable, Sendable {
    /// `stage`, or `→ stage` for the delay before it.
    public var segment: String
    public var stage: Int
    public var isDelay: Bool
    /// The time spec as written.
    public var spec: String
    /// Calendar minutes on the worst path, and the share of the worst case.
    public var worstCaseMinutes: Double
    public var worstCaseShare: Double
    /// Share of the time spent by the slowest 10% of sampled customers, when sampled.
    public var tailShare: Double?
}

/// The figures of one promise, as reported in `metrics.promises`.
public struct PromiseMetrics: Sendable {
    public var name: String
    public var worstCaseMinutes: Double?
    public var statistics: PromiseStatistics?
    public var budgets: [(key: String, minutes: Double)]
    public var contributions: [Contribution]
    public var samples: Int
    public var assumedShapes: [String]
}

/// The load figures of one stage, as reported in `metrics.stages`.
public struct StageMetrics: Sendable {
    public var stage: String
    public var load: FlowAnalysis.StageLoad
}

/// Metrics of one design.
public struct DesignMetrics: Sendable {
    public var promises: [PromiseMetrics] = []
    /// Stages some customer visits, in design order.
    public var stages: [StageMetrics] = []

    public init() {}

    public init(design: Design, analyses: Analyses) {
        if let flow = analyses.flow {
            stages = design.stages.indices.filter { flow.stages[$0].arrivalsPerWeek > 0 && !design.stages[$0].isOutcome }
                .map { StageMetrics(stage: design.stages[$0].id, load: flow.stages[$0]) }
        }
        promises = analyses.time.promises.map { facts in
            let promise = design.customer.promises[facts.index]
            return PromiseMetrics(name: promise.name, worstCaseMinutes: facts.worst?.minutes, statistics: facts.statistics,
                                  budgets: facts.budgets, contributions: facts.contributions,
                                  samples: analyses.time.monteCarlo?.samples ?? 0,
                                  assumedShapes: facts.assumedShapes(design: design, model: analyses.time.model))
        }
    }
}

extension PromiseFacts {
    /// Each segment of the worst path: its share of the worst case and of the slow tail.
    func computeContributions(design: Design) -> [Contribution] {
        guard let worst, worst.minutes > 0 else { return [] }
        var out: [Contribution] = []
        for (i, step) in worst.path.enumerated() {
            let stage = design.stages[step.stage]
            if i > 0, step.delayBefore > 0, let via = step.via, case .route(let r) = via.kind {
                let from = design.stages[worst.path[i - 1].stage]
                let name = "→ " + stage.id
                out.append(Contribution(segment: name, stage: step.stage, isDelay: true, spec: from.routes[r].delay?.text ?? "",
                                        worstCaseMinutes: step.delayBefore, worstCaseShare: step.delayBefore / worst.minutes,
                                        tailShare: statistics?.tailShares[name] ?? (statistics == nil ? nil : 0)))
            }
            let counts = !(ends.to.contains(step.stage) && !ends.untilDone) && i < worst.path.count
            let work = step.done - step.arrive
            if counts && (work > 0 || stage.sla != nil) && !(i == worst.path.count - 1 && !ends.untilDone) {
                out.append(Contribution(segment: stage.id, stage: step.stage, isDelay: false, spec: stage.sla?.text ?? "",
                                        worstCaseMinutes: work, worstCaseShare: work / worst.minutes,
                                        tailShare: statistics?.tailShares[stage.id] ?? (statistics == nil ? nil : 0)))
            }
        }
        return out
    }

    /// Stages on the worst path whose shape was assumed (one percentile given).
    public func assumedShapes(design: Design, model: TimeModel) -> [String] {
        (worst?.path ?? []).filter { model.stageTime[$0.stage].assumedShape }.map { design.stages[$0.stage].id }
    }

    /// The journey of the worst path, entry first, and one customer who takes it.
    public func witness(design: Design, analyses: Analyses) -> (path: [String], example: ExampleCustomer?) {
        guard let worst, let first = worst.path.first else { return ([], nil) }
        let criteria = analyses.criteria
        var entry: Int?
        var prefix: [String] = []
        if ends.from == nil {
            entry = analyses.graph.entryTargets.indices.first { analyses.graph.entryTargets[$0] == first.stage && !criteria.entryRegions[$0].isEmpty }
            prefix = entry.map { [design.entries[$0].name] } ?? []
        } else {
            prefix = Array((analyses.graph.witnessPath(to: first.stage) ?? [design.stages[first.stage].id]).dropLast())
        }
        let rejects = Set(worst.path.compactMap { $0.via?.kind == .reject ? $0.node : nil })
        let region = criteria.region(along: worst.path.map(\.node), entry: entry, rejects: { rejects.contains($1) })
        let example = region.example(criteria.domain).map { criteria.domain.customer($0) }
        return (prefix + worst.path.map { design.stages[$0.stage].id }, example)
    }
}

extension TimeSpec {
    /// The spec as a user would write it.
    public var text: String {
        switch self {
        case .fixed(let d): return "fixed \(d)"
        case .within(let d): return "within \(d)"
        case .percentiles(let p50, let p90, let p99, let max):
            return [("p50", p50), ("p90", p90), ("p99", p99), ("max", max)].compactMap { k, d in d.map { "\(k) \($0)" } }.joined(separator: ", ")
        }
    }
}

extension NumberFormatting {
    /// Minutes as a length people read: hours up to two days, days beyond.
    public static func span(_ minutes: Double) -> String {
        let hours = minutes / 60
        if abs(hours) < 48 { return "\(rounded(hours, digits: 1)) h" }
        return "\(rounded(hours / 24, digits: 1)) d"
    }

    /// A share as a whole percentage.
    public static func percent(_ share: Double) -> String {
        if share > 0 && share < 0.005 { return "<1%" }
        if share < 1 && share > 0.995 { return ">99%" }
        return "\(Int((share * 100).rounded()))%"
    }
}
