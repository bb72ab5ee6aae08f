/// The journey as the time analyses see it: each stage's time and each edge's delay as
/// distributions, and which edges the criteria say customers can take.
public struct TimeModel: Sendable {
    /// An edge customers can take, with its delay.
    public struct Step: Sendable {
        public var edge: JourneyGraph.Edge
        public var delay: TimeDistribution
    }

    public let clock: BusinessClock
    /// Per stage: its `sla` as a distribution; without one, the effort of a stage with
    /// capacity, else nothing.
    public let stageTime: [TimeDistribution]
    /// Per stage: its `responds` (time to first touch) as a distribution, when declared.
    public let respondsTime: [TimeDistribution?]
    /// Per stage: its outgoing edges with their delays (reject edges have none).
    public let steps: [[Step]]
    /// True when some stage or delay runs on business time.
    public let usesBusinessTime: Bool

    public init(design: Design, graph: JourneyGraph) {
        let calendar = design.calendar
        clock = BusinessClock(calendar)
        stageTime = design.stages.map { stage in
            if let sla = stage.sla { return TimeDistribution(sla, calendar: calendar) }
            return TimeDistribution.effort(stage.capacity) ?? .zero
        }
        respondsTime = design.stages.map { $0.responds.map { TimeDistribution($0, calendar: calendar) } }
        steps = design.stages.enumerated().map { s, stage in
            graph.edges[s].map { edge in
                var delay = TimeDistribution.zero
                if case .route(let r) = edge.kind, let spec = stage.routes[r].delay { delay = TimeDistribution(spec, calendar: calendar) }
                return Step(edge: edge, delay: delay)
            }
        }
        usesBusinessTime = stageTime.contains { $0.isBusiness } || steps.contains { $0.contains { $0.delay.isBusiness } }
            || respondsTime.contains { $0?.isBusiness == true } || design.entries.contains { $0.arrivesInBusinessHours }
            || design.customer.promises.contains { $0.isBusinessTime }
    }
}

/// Where a promise's clock starts and stops, resolved to stage indices.
public struct PromiseEnds: Sendable {
    /// nil: the customer's arrival at the entry.
    public let from: Set<Int>?
    public let to: Set<Int>
    public let untilDone: Bool
    /// `to: first-contact`: the promise ends at the first touch of the first contact stage.
    public let atFirstTouch: Bool
    /// Calendar time, or the calendar's working time (budgets in `bh`/`bd`).
    public let measure: TimeMeasure
    public var isBusinessTime: Bool { measure != .calendar }

    public init(_ promise: Promise, design: Design) {
        func ids(_ end: PromiseEnd) -> Set<Int> {
            switch end {
            case .start: return []
            case .firstContact: return Set(design.stages.indices.filter { design.stages[$0].contact })
            case .stages(let refs): return Set(refs.compactMap { design.stageIndex[$0.value] })
            }
        }
        if case .start = promise.from { from = nil } else { from = ids(promise.from) }
        to = ids(promise.to)
        untilDone = promise.untilDone
        if case .firstContact = promise.to { atFirstTouch = !promise.untilDone } else { atFirstTouch = false }
        measure = TimeMeasure(promise, calendar: design.calendar)
    }
}
