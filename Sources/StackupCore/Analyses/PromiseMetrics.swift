/// One segment's part of a promise: a stage's work, or the delay of the handoff into a stage.
public struct Contribution: Hashable, Sendable {
    /// `stage`, or `→ stage` for the delay before it.
    public var segment: String
    var stage: Int
    var isDelay: Bool
    /// The time to first touch (`responds`) at the stage a `to: first-contact` promise ends at.
    var isResponse: Bool = false
    /// The time spec as written.
    public var spec: String
    /// Minutes on the worst path in the promise's measure, and the share of the worst case.
    public var worstCaseMinutes: Double
    public var worstCaseShare: Double
    /// Share of the time spent by the slowest 10% of sampled customers, when sampled.
    public var tailShare: Double?
    /// False when the segment's time has no upper bound (no `max`, `within` or `fixed`): its
    /// part of the worst case is then its highest percentile.
    public var isBounded: Bool = true
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
    /// Calendar time, or working time: the figures are then working minutes.
    public var measure: TimeMeasure = .calendar
    /// Segments of the worst path with no upper bound: the worst case is then not a bound.
    public var unboundedSegments: [String] = []
    /// The customers a promise with `for` is made to, in words; nil for everyone.
    public var population: String? = nil
}

/// The load figures of one stage, as reported in `metrics.stages`.
public struct StageMetrics: Sendable {
    public var stage: String
    package var load: FlowAnalysis.StageLoad
}

/// Metrics of one design.
public struct DesignMetrics: Sendable {
    public var promises: [PromiseMetrics] = []
    /// Stages some customer visits, in design order.
    public var stages: [StageMetrics] = []

    public init() {}

    package init(design: Design, analyses: Analyses) {
        if let flow = analyses.flow {
            stages = design.stages.indices.filter { flow.stages[$0].arrivalsPerWeek > 0 && !design.stages[$0].isOutcome }
                .map { StageMetrics(stage: design.stages[$0].id, load: flow.stages[$0]) }
        }
        promises = analyses.time.promises.map { facts in
            let promise = design.customer.promises[facts.index]
            return PromiseMetrics(name: promise.name, worstCaseMinutes: facts.worst?.minutes, statistics: facts.statistics,
                                  budgets: facts.budgets, contributions: facts.contributions,
                                  samples: analyses.time.monteCarlo?.samples ?? 0,
                                  assumedShapes: facts.assumedShapes(design: design, model: analyses.time.model),
                                  measure: facts.ends.measure,
                                  unboundedSegments: facts.unboundedSegments, population: facts.populationText)
        }
    }
}

extension PromiseFacts {
    /// Each segment of the worst path: its share of the worst case and of the slow tail.
    func computeContributions(design: Design, model: TimeModel) -> [Contribution] {
        guard let worst, worst.minutes > 0 else { return [] }
        let span = { (a: Double, b: Double) in model.clock.elapsed(from: a, to: b, in: ends.measure) }
        var out: [Contribution] = []
        for (i, step) in worst.path.enumerated() {
            let stage = design.stages[step.stage]
            let last = i == worst.path.count - 1
            if i > 0, step.delayBefore > 0, let via = step.via, case .route(let r) = via.kind {
                let from = worst.path[i - 1].stage
                let name = "→ " + stage.id
                let minutes = span(worst.path[i - 1].done, step.arrive)
                let bounded = model.steps[from].first { $0.edge == via }?.delay.isBounded ?? true
                out.append(Contribution(segment: name, stage: step.stage, isDelay: true, spec: design.stages[from].routes[r].delay?.text ?? "",
                                        worstCaseMinutes: minutes, worstCaseShare: minutes / worst.minutes,
                                        tailShare: statistics?.tailShares[name] ?? (statistics == nil ? nil : 0), isBounded: bounded))
            }
            // The promise's last stage counts its work only with `until: done`, and its time to
            // first touch with `to: first-contact`.
            var end = step.done
            var bounded = model.stageTime[step.stage].isBounded
            if last && !ends.untilDone {
                guard ends.atFirstTouch, let responds = model.respondsTime[step.stage] else { continue }
                end = WorstCaseAnalysis.latestTouch(step.stage, step.arrive, model)
                bounded = responds.isBounded
            } else if let responds = model.respondsTime[step.stage], !responds.isBounded,
                      WorstCaseAnalysis.latestTouch(step.stage, step.arrive, model) >= step.done {
                bounded = false
            }
            let work = span(step.arrive, end)
            let isResponse = last && !ends.untilDone
            let spec = isResponse ? "responds " + (stage.responds?.text ?? "") : stage.sla?.text ?? (stage.capacity.isUnlimited ? "" : "effort (no sla)")
            if work > 0 || stage.sla != nil {
                out.append(Contribution(segment: stage.id, stage: step.stage, isDelay: false, isResponse: isResponse, spec: spec,
                                        worstCaseMinutes: work, worstCaseShare: work / worst.minutes,
                                        tailShare: statistics?.tailShares[stage.id] ?? (statistics == nil ? nil : 0), isBounded: bounded))
            }
        }
        return out
    }

    /// True when the worst case is an upper bound: every segment on the worst path has one.
    var worstCaseIsBounded: Bool { contributions.allSatisfy(\.isBounded) }

    /// The segments on the worst path without an upper bound, by name.
    var unboundedSegments: [String] { contributions.filter { !$0.isBounded }.map(\.segment) }

    /// Stages on the worst path whose shape was assumed (one percentile given).
    func assumedShapes(design: Design, model: TimeModel) -> [String] {
        (worst?.path ?? []).filter { model.stageTime[$0.stage].assumedShape }.map { design.stages[$0.stage].id }
    }

    /// The journey of the worst path, entry first, and one customer who takes it.
    func witness(design: Design, analyses: Analyses) -> (journey: [JourneyStep], example: ExampleCustomer?) {
        guard let worst, let first = worst.path.first else { return ([], nil) }
        // The customer must be one the promise is made to.
        let criteria = population ?? analyses.criteria
        let graph = analyses.graph
        var entry: Int?
        var prefix: [JourneyStep] = []
        if ends.from == nil {
            entry = graph.entryTargets.indices.first { graph.entryTargets[$0] == first.stage && !criteria.entryRegions[$0].isEmpty }
            prefix = graph.steps([], entry: entry)
        } else {
            prefix = Array((graph.witnessPath(to: first.stage) ?? [graph.step(stage: first.stage)]).dropLast())
        }
        let rejects = Set(worst.path.compactMap { $0.via?.kind == .reject ? $0.node : nil })
        let region = criteria.region(along: worst.path.map(\.node), entry: entry, rejects: { rejects.contains($1) })
        let example = region.example(criteria.domain).map { criteria.domain.customer($0) }
        return (prefix + graph.steps(worst.path.map(\.node), entry: nil), example)
    }
}

extension TimeSpec {
    /// The spec as a user would write it.
    var text: String {
        switch self {
        case .fixed(let d): return "fixed \(d)"
        case .within(let d): return "within \(d)"
        case .percentiles(let p50, let p90, let p99, let max):
            return [("p50", p50), ("p90", p90), ("p99", p99), ("max", max)].compactMap { k, d in d.map { "\(k) \($0)" } }.joined(separator: ", ")
        }
    }
}

extension NumberFormatting {
    /// The unit a length reads in: hours up to two days, days beyond; in business time,
    /// working hours (`bh`) up to two working days, working days (`bd`) beyond.
    static func unit(for minutes: Double, in measure: TimeMeasure) -> (minutes: Double, label: String) {
        switch measure {
        case .calendar: return abs(minutes) < 2 * 1440 ? (60, "h") : (1440, "d")
        case .business(let workday):
            let day = Double(max(workday, 1))
            return abs(minutes) < 2 * day ? (60, "bh") : (day, "bd")
        }
    }

    /// Minutes as a length people read, to one decimal.
    public static func span(_ minutes: Double, in measure: TimeMeasure = .calendar) -> String {
        let unit = unit(for: minutes, in: measure)
        return "\(rounded(minutes / unit.minutes, digits: 1)) \(unit.label)"
    }

    /// Minutes in the unit `reference` would be shown in, so that an interval reads in the unit
    /// of the figure beside it ("86.1 bh (95% CI 85.6 bh–86.4 bh)", not "… 10.7 bd–10.8 bd").
    static func span(_ minutes: Double, unitOf reference: Double, in measure: TimeMeasure = .calendar) -> String {
        let unit = unit(for: reference, in: measure)
        return "\(rounded(minutes / unit.minutes, digits: 1)) \(unit.label)"
    }

    /// A figure and the budget it is compared with, in the budget's unit, with enough digits
    /// that two different values never read the same ("3.82 d against 3.75 d", not "3.8 d
    /// against 3.8 d").
    static func spans(_ value: Double, against budget: Double, in measure: TimeMeasure = .calendar) -> (value: String, budget: String) {
        let unit = unit(for: budget, in: measure)
        let (v, b) = distinct(value / unit.minutes, budget / unit.minutes)
        return ("\(v) \(unit.label)", "\(b) \(unit.label)")
    }

    /// Two numbers rounded alike, with as many decimals (one to six) as it takes for
    /// different values to read differently.
    static func distinct(_ a: Double, _ b: Double) -> (String, String) {
        var digits = 1
        while digits < 6, a != b, rounded(a, digits: digits) == rounded(b, digits: digits) { digits += 1 }
        return (rounded(a, digits: digits), rounded(b, digits: digits))
    }

    /// A share as a whole percentage.
    public static func percent(_ share: Double) -> String {
        if share > 0 && share < 0.005 { return "<1%" }
        if share < 1 && share > 0.995 { return ">99%" }
        return "\(Int((share * 100).rounded()))%"
    }
}
