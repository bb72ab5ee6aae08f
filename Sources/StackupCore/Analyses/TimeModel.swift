/// The journey as the time analyses see it: each stage's time and each edge's delay as
/// distributions, and which edges the criteria say customers can take.
package struct TimeModel: Sendable {
    /// An edge customers can take, with its delay.
    package struct Step: Sendable {
        var edge: JourneyGraph.Edge
        var delay: TimeDistribution
    }

    package let clock: BusinessClock
    /// Per stage: its `sla` as a distribution; without one, the effort of a stage with
    /// capacity, else nothing.
    let stageTime: [TimeDistribution]
    /// Per stage: its `responds` (time to first touch) as a distribution, when declared.
    let respondsTime: [TimeDistribution?]
    /// Per stage: its outgoing edges with their delays (reject edges have none).
    package let steps: [[Step]]
    /// True when some stage or delay runs on business time.
    let usesBusinessTime: Bool

    package init(design: Design, graph: JourneyGraph) {
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
package struct PromiseEnds: Sendable {
    /// nil: the customer's arrival at the entry.
    let from: Set<Int>?
    package let to: Set<Int>
    let untilDone: Bool
    /// `to: first-contact`: the promise ends at the first touch of the first contact stage.
    let atFirstTouch: Bool
    /// Calendar time, or the calendar's working time (budgets in `bh`/`bd`).
    let measure: TimeMeasure
    var isBusinessTime: Bool { measure != .calendar }

    init(_ promise: Promise, design: Design) {
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
