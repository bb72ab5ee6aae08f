import Foundation

/// How `calibrate` measures: the cut-off, the activity map, the zone the design's calendar is
/// read in, and the seed of the design's own sampling (the shares it implies).
public struct CalibrationOptions: Sendable {
    /// Unix seconds; nil: the latest time in the logs.
    public var asOf: Double?
    /// Activity → stage id, for activities not named as their stage.
    public var map: [String: String]
    /// The zone the calendar's working hours are in, for business time.
    public var zone: LogZone
    public var seed: UInt64
    /// Customers simulated for the shares the design implies where its routes are not plain shares.
    public var samples: Int

    public init(asOf: Double? = nil, map: [String: String] = [:], zone: LogZone = .utc, seed: UInt64 = 1, samples: Int = 20_000) {
        self.asOf = asOf
        self.map = map
        self.zone = zone
        self.seed = seed
        self.samples = samples
    }
}

/// The design held against a log: every stage, route, entry and promise measured, and every
/// journey the design does not allow. Facts only; the calibration rules judge them.
public struct Calibration: Sendable {
    public enum Verdict: String, Sendable {
        case ok, drift, faster
        case noSLA = "no sla"
        case noData = "no data"
    }

    /// A percentile of time in stage, in hours, or the bound it lies above.
    public enum Hours: Sendable, Equatable {
        case value(Double, low: Double, high: Double?)
        case above(Double)
    }

    /// How a measured percentile compares with the declared one.
    package enum Comparison: Sendable, Equatable {
        /// The whole 95% interval lies above the declared value.
        case slower
        /// The whole interval lies below it.
        case faster
        case consistent
    }

    public struct StageFigures: Sendable {
        public var id: String
        public var visits: Int
        public var censored: Int
        public var business: Bool
        public var p50: Hours?
        public var p90: Hours?
        /// The share of visits done within the SLA's bound (its p90, else `max`, `within`, `fixed`).
        public var withinSLA: Double?
        /// The SLA as written, such as `p50 2h, p90 8h`.
        public var declared: String?
        public var verdict: Verdict
        /// Every time at this stage was a date without a time of day.
        public var datesOnly: Bool
        /// Declared percentile (`p50`, `p90`) → how the measurement compares.
        package var comparisons: [(key: String, declaredHours: Double, comparison: Comparison)] = []
        /// A declared bound (`max`, `within`, `fixed`) that more than 1% of visits exceed.
        package var exceeded: (key: String, hours: Double, share: Double)?
    }

    public struct RouteFigures: Sendable {
        public var from: String
        public var to: String
        /// Moves from `from` to `to`.
        public var moves: Int
        public var share: Estimate
        /// The share among moves out of `from` the design implies; nil when it has none for `to`.
        public var designShare: Double?
        /// True when `designShare` was sampled rather than read from the routes' shares.
        public var designShareSampled: Bool
    }

    public struct EntryFigures: Sendable {
        public var name: String
        public var stage: String
        /// Cases whose first stage is the entry's, over the window.
        public var cases: Int
        public var perWeek: Estimate
        /// Declared arrivals per week at that stage: the entry's `rate`, summed with any other
        /// entry to the same stage (the log cannot tell them apart); nil when unlimited.
        public var declaredPerWeek: Double?
        /// Other entries sharing the stage.
        public var sharedWith: [String]
        /// The last of those arrivals, by the cut-off.
        public var lastArrival: Double?
    }

    public struct PromiseFigures: Sendable {
        public var name: String
        public var business: Bool
        /// Cases that started the promise: reached its end, still on the way, or ended without.
        public var cases: Int
        public var censored: Int
        /// Cases whose journey ended without reaching the promise's end.
        public var unreached: Int
        public var p50: Hours?
        public var p90: Hours?
        /// The share of cases within the p90 budget (else the largest given).
        public var kept: Double?
        public var keptBudget: String?
        public var notes: [String]
    }

    public struct UndeclaredMove: Sendable {
        public var from: String
        public var to: String
        public var cases: Int
        public var moves: Int
        /// Share of the log's cases that made this move.
        public var shareOfCases: Double
        public var examples: [String]
    }

    public struct Conformance: Sendable {
        public var fitness: Double
        public var undeclared: [UndeclaredMove]
        public var unvisitedStages: [String]
        public var unknownActivities: [String: Int]
    }

    public var asOf: Double
    public var cases: Int
    public var events: Int
    public var skippedRows: Int
    public var skipped: [String: Int]
    /// Reason → where it first happened, `file:line`.
    public var skippedFirst: [String: String] = [:]
    public var stages: [StageFigures]
    public var routes: [RouteFigures]
    public var entries: [EntryFigures]
    public var promises: [PromiseFigures]
    public var conformance: Conformance
    /// Weeks from the log's first event to the cut-off.
    public var weeks: Double
    /// Events after the cut-off, which take no part.
    public var eventsAfterCutOff: Int

    /// Measures `design` against `log`.
    public static func measure(design: Design, log: EventLog, options: CalibrationOptions) -> Calibration {
        let journeys = LogJourneys(store: log.store, design: design, map: options.map)
        let records = log.store.records
        let latest = records.lazy.map { max($0.time, $0.left ?? $0.time) }.max() ?? 0
        let asOf = options.asOf ?? latest
        let first = records.lazy.map(\.time).min() ?? asOf
        let weeks = max(0, asOf - first) / (7 * 86_400)
        let clock = LocalClock(calendar: design.calendar, zone: options.zone.zone)
        var out = Calibration(asOf: asOf, cases: journeys.cases.count, events: log.rows, skippedRows: log.skippedRows,
                              skipped: log.skipped.mapValues(\.count), stages: [], routes: [], entries: [], promises: [],
                              conformance: Conformance(fitness: 1, undeclared: [], unvisitedStages: [], unknownActivities: journeys.unknownActivities),
                              weeks: weeks, eventsAfterCutOff: records.lazy.filter { $0.time > asOf }.count)
        out.skippedFirst = log.skipped.mapValues { "\($0.file):\($0.firstLine)" }
        out.stages = stageFigures(design: design, journeys: journeys, asOf: asOf, clock: clock)
        out.routes = routeFigures(design: design, journeys: journeys, asOf: asOf, options: options)
        out.entries = entryFigures(design: design, journeys: journeys, asOf: asOf, weeks: weeks)
        out.promises = promiseFigures(design: design, journeys: journeys, asOf: asOf, clock: clock)
        out.conformance = conformance(design: design, journeys: journeys, asOf: asOf, unknown: journeys.unknownActivities)
        return out
    }

    // MARK: Time in stage

    static func stageFigures(design: Design, journeys: LogJourneys, asOf: Double, clock: LocalClock) -> [StageFigures] {
        var times = [[(time: Double, left: Bool)]](repeating: [], count: design.stages.count)
        var datesOnly = [Bool](repeating: true, count: design.stages.count)
        for (_, visits) in journeys.cases {
            for visit in visits where visit.entered <= asOf && !design.stages[visit.stage].isOutcome {
                let stage = design.stages[visit.stage]
                let business = stage.sla?.durations.contains { $0.unit.isBusiness } ?? false
                let end = visit.left.map { min($0, asOf) } ?? asOf
                let leftBefore = visit.left.map { $0 <= asOf } ?? false
                let minutes = business ? clock.workingMinutes(from: visit.entered, to: end) : max(0, end - visit.entered) / 60
                times[visit.stage].append((minutes, leftBefore))
                if !visit.dateOnly { datesOnly[visit.stage] = false }
            }
        }
        var out: [StageFigures] = []
        for (s, stage) in design.stages.enumerated() where !stage.isOutcome {
            let business = stage.sla?.durations.contains { $0.unit.isBusiness } ?? false
            let km = KaplanMeier(times[s])
            var figures = StageFigures(id: stage.id, visits: km.cases, censored: km.censored, business: business,
                                       p50: km.cases > 0 ? hours(km.percentile(0.5)) : nil, p90: km.cases > 0 ? hours(km.percentile(0.9)) : nil, withinSLA: nil,
                                       declared: stage.sla.map(Self.text), verdict: .ok, datesOnly: km.cases > 0 && datesOnly[s])
            guard let sla = stage.sla else {
                figures.verdict = km.cases == 0 ? .noData : .noSLA
                out.append(figures)
                continue
            }
            guard km.cases > 0 else {
                figures.verdict = .noData
                out.append(figures)
                continue
            }
            let workday = design.calendar.workdayMinutes
            func minutes(_ d: Duration) -> Double { d.minutes(workdayMinutes: workday) }
            // Times in a log are to the second, or to the day: a bound is exceeded by more.
            let tolerance = figures.datesOnly ? 1_440.0 : 1.0
            figures.withinSLA = 1 - km.survival(at: minutes(sla.slaBound) + tolerance - 1e-9)
            if case .percentiles(let p50, let p90, _, _) = sla {
                for (key, declared, p) in [("p50", p50, 0.5), ("p90", p90, 0.9)] {
                    guard let declared else { continue }
                    let band = km.band(at: minutes(declared))
                    let level = 1 - p
                    // The interval of the percentile lies wholly above the declared value when
                    // even the band's low edge has not fallen to the level there, and wholly below
                    // when its high edge already has.
                    let comparison: Comparison = band.low > level + 1e-12 ? .slower : band.high <= level + 1e-12 ? .faster : .consistent
                    figures.comparisons.append((key, minutes(declared) / 60, comparison))
                }
            }
            let bound: (String, Duration)? = {
                switch sla {
                case .fixed(let d): return ("fixed", d)
                case .within(let d): return ("within", d)
                case .percentiles(_, _, _, let max): return max.map { ("max", $0) }
                }
            }()
            if let (key, d) = bound {
                let over = km.survival(at: minutes(d) + tolerance - 1e-9)
                if over > 0.01 { figures.exceeded = (key, minutes(d) / 60, over) }
            }
            if figures.exceeded != nil || figures.comparisons.contains(where: { $0.comparison == .slower }) {
                figures.verdict = .drift
            } else if !figures.comparisons.isEmpty, figures.comparisons.allSatisfy({ $0.comparison == .faster }) {
                figures.verdict = .faster
            } else if figures.comparisons.contains(where: { $0.comparison == .faster }) {
                figures.verdict = .faster
            }
            out.append(figures)
        }
        return out
    }

    static func hours(_ p: KaplanMeier.Percentile) -> Hours {
        switch p {
        case .value(let v, let low, let high): return .value(v / 60, low: low / 60, high: high.map { $0 / 60 })
        case .above(let v): return .above(v / 60)
        }
    }

    /// An SLA as the design writes it: `p50 2h, p90 8h`, `within 1bd`, `fixed 30m`.
    package static func text(_ spec: TimeSpec) -> String {
        switch spec {
        case .fixed(let d): return "fixed \(d)"
        case .within(let d): return "within \(d)"
        case .percentiles(let p50, let p90, let p99, let max):
            return [("p50", p50), ("p90", p90), ("p99", p99), ("max", max)].compactMap { k, d in d.map { "\(k) \($0)" } }.joined(separator: ", ")
        }
    }

    // MARK: Shares

    static func routeFigures(design: Design, journeys: LogJourneys, asOf: Double, options: CalibrationOptions) -> [RouteFigures] {
        let measured = journeys.shares(asOf: asOf)
        var sampled: [Int: [Int: Double]]?
        var out: [RouteFigures] = []
        for (s, stage) in design.stages.enumerated() {
            let implied: [Int: Double]?
            var wasSampled = false
            if let exact = exactShares(stage, design: design) {
                implied = exact
            } else if stage.routes.isEmpty && stage.rejectsTo == nil {
                implied = nil
            } else {
                if sampled == nil { sampled = sampledShares(design: design, options: options) }
                implied = sampled?[s] ?? [:]
                wasSampled = true
            }
            // Targets the design routes to; a move elsewhere has no design share (it is undeclared).
            let declared = Set(stage.routes.compactMap { design.stageIndex[$0.to.value] } + (stage.rejectsTo.flatMap { design.stageIndex[$0.value] }.map { [$0] } ?? []))
            let targets = Set((measured[s] ?? []).map(\.to)).union(implied.map { Set($0.keys) } ?? [])
            for t in targets.sorted() {
                let m = measured[s]?.first { $0.to == t }
                let total = (measured[s] ?? []).reduce(0) { $0 + $1.moves }
                guard total > 0 else { continue }
                out.append(RouteFigures(from: stage.id, to: design.stages[t].id, moves: m?.moves ?? 0,
                                        share: m?.share ?? TimeAnalysis.wilson(0, total),
                                        designShare: declared.contains(t) ? implied.map { $0[t] ?? 0 } : nil, designShareSampled: wasSampled))
            }
        }
        return out
    }

    /// The shares among moves out of `stage` its routes give without sampling: when no route has
    /// a `when` and the stage accepts everyone, route i takes share_i of what the routes before
    /// it left. Nil when conditions decide.
    static func exactShares(_ stage: Stage, design: Design) -> [Int: Double]? {
        guard stage.accepts == nil, !stage.routes.isEmpty, stage.routes.allSatisfy({ $0.when == nil && !$0.whenIsInvalid }) else { return nil }
        var left = 1.0
        var out: [Int: Double] = [:]
        for route in stage.routes {
            guard let t = design.stageIndex[route.to.value] else { continue }
            out[t, default: 0] += left * route.share
            left *= 1 - route.share
        }
        let total = out.values.reduce(0, +)
        guard total > 0 else { return nil }
        return out.mapValues { $0 / total }
    }

    /// Shares among moves out of each stage in the design's own simulated journeys.
    static func sampledShares(design: Design, options: CalibrationOptions) -> [Int: [Int: Double]] {
        let run = Simulation.run(design: design, options: .init(customers: max(1, options.samples), warmup: 0, seed: options.seed, recordsVisits: true))
        var counts: [Int: [Int: Int]] = [:]
        var previous: (customer: Int, stage: Int)?
        // The log holds visits in the order they began; a customer's visits are in order.
        var byCustomer: [Int: [Simulation.Visit]] = [:]
        for visit in run.log { byCustomer[visit.customer, default: []].append(visit) }
        for (_, visits) in byCustomer.sorted(by: { $0.key < $1.key }) {
            previous = nil
            for visit in visits.sorted(by: { $0.entered < $1.entered }) {
                if let p = previous, p.stage != visit.stage { counts[p.stage, default: [:]][visit.stage, default: 0] += 1 }
                previous = (visit.customer, visit.stage)
            }
        }
        return counts.mapValues { targets in
            let total = Double(targets.values.reduce(0, +))
            return targets.mapValues { Double($0) / total }
        }
    }

    // MARK: Arrivals

    static func entryFigures(design: Design, journeys: LogJourneys, asOf: Double, weeks: Double) -> [EntryFigures] {
        let arrivals = journeys.arrivals(weeks: weeks, asOf: asOf)
        var byStage: [String: [Entry]] = [:]
        for entry in design.entries { byStage[entry.to.value, default: []].append(entry) }
        var out: [EntryFigures] = []
        for entry in design.entries {
            guard let s = design.stageIndex[entry.to.value], weeks > 0 else { continue }
            let group = byStage[entry.to.value] ?? [entry]
            let declared: Double? = group.contains { $0.rate.perWeek == nil } ? nil : group.reduce(0) { $0 + ($1.rate.perWeek ?? 0) }
            let measured = arrivals[s] ?? (0, LogJourneys.arrivalInterval(0, weeks: weeks))
            let last = journeys.cases.compactMap { $0.visits.first }.filter { $0.stage == s && $0.entered <= asOf }.map(\.entered).max()
            out.append(EntryFigures(name: entry.name, stage: entry.to.value, cases: measured.cases, perWeek: measured.perWeek,
                                    declaredPerWeek: declared, sharedWith: group.map(\.name).filter { $0 != entry.name }, lastArrival: last))
        }
        return out
    }

    // MARK: Promises

    static func promiseFigures(design: Design, journeys: LogJourneys, asOf: Double, clock: LocalClock) -> [PromiseFigures] {
        var out: [PromiseFigures] = []
        for promise in design.customer.promises {
            let ends = PromiseEnds(promise, design: design)
            var notes: [String] = []
            if promise.population != nil {
                out.append(PromiseFigures(name: promise.name, business: ends.isBusinessTime, cases: 0, censored: 0, unreached: 0, p50: nil, p90: nil,
                                          kept: nil, keptBudget: nil,
                                          notes: ["not measured: the promise is made `for` some customers, and the log carries no customer attributes"]))
                continue
            }
            if ends.atFirstTouch { notes.append("measured to the arrival at the first contact stage (a log records arrivals, not first responses)") }
            var durations: [(time: Double, left: Bool)] = []
            var unreached = 0
            for (_, visits) in journeys.cases {
                let seen = visits.filter { $0.entered <= asOf }
                guard let startIndex = ends.from.map({ from in seen.firstIndex { from.contains($0.stage) } }) ?? (seen.isEmpty ? nil : 0) else { continue }
                let start = seen[startIndex].entered
                var end: Double?
                if let k = seen[startIndex...].firstIndex(where: { ends.to.contains($0.stage) }) {
                    end = ends.untilDone ? seen[k].left.flatMap { $0 <= asOf ? $0 : nil } : seen[k].entered
                    if ends.untilDone, end == nil {
                        durations.append((elapsed(start, asOf, business: ends.isBusinessTime, clock: clock), false))
                        continue
                    }
                }
                if let end {
                    durations.append((elapsed(start, end, business: ends.isBusinessTime, clock: clock), true))
                } else if let last = seen.last, design.stages[last.stage].isOutcome || (last.left.map { $0 <= asOf } ?? false) {
                    // The journey ended (an outcome, or it left its last stage) without the end.
                    unreached += 1
                } else {
                    durations.append((elapsed(start, asOf, business: ends.isBusinessTime, clock: clock), false))
                }
            }
            let km = KaplanMeier(durations)
            let workday = design.calendar.workdayMinutes
            let budget = promise.p90.map { ("p90", $0) } ?? promise.budgets.last.map { ($0.key, $0.duration) }
            let kept = budget.flatMap { km.cases > 0 ? 1 - km.survival(at: $0.1.minutes(workdayMinutes: workday) + 1 - 1e-9) : nil }
            out.append(PromiseFigures(name: promise.name, business: ends.isBusinessTime, cases: km.cases + unreached, censored: km.censored,
                                      unreached: unreached, p50: km.cases > 0 ? hours(km.percentile(0.5)) : nil,
                                      p90: km.cases > 0 ? hours(km.percentile(0.9)) : nil, kept: kept,
                                      keptBudget: budget.map { "\($0.0) \($0.1)" }, notes: notes))
        }
        return out
    }

    static func elapsed(_ a: Double, _ b: Double, business: Bool, clock: LocalClock) -> Double {
        business ? clock.workingMinutes(from: a, to: b) : max(0, b - a) / 60
    }

    // MARK: Conformance

    static func conformance(design: Design, journeys: LogJourneys, asOf: Double, unknown: [String: Int]) -> Conformance {
        var allowed = Set<LogJourneys.StagePair>()
        for (s, stage) in design.stages.enumerated() {
            for route in stage.routes { if let t = design.stageIndex[route.to.value] { allowed.insert(.init(from: s, to: t)) } }
            if let r = stage.rejectsTo, let t = design.stageIndex[r.value] { allowed.insert(.init(from: s, to: t)) }
        }
        var visited = Set<Int>()
        var fitting = 0
        var undeclared: [LogJourneys.StagePair: (moves: Int, cases: [String])] = [:]
        for (id, visits) in journeys.cases {
            let seen = visits.filter { $0.entered <= asOf }
            for visit in seen { visited.insert(visit.stage) }
            var fits = true
            for (a, b) in zip(seen, seen.dropFirst()) {
                let pair = LogJourneys.StagePair(from: a.stage, to: b.stage)
                guard !allowed.contains(pair) else { continue }
                fits = false
                undeclared[pair, default: (0, [])].moves += 1
                if undeclared[pair]?.cases.last != id { undeclared[pair, default: (0, [])].cases.append(id) }
            }
            if fits { fitting += 1 }
        }
        let total = journeys.cases.count
        let moves = undeclared.map { pair, entry in
            UndeclaredMove(from: design.stages[pair.from].id, to: design.stages[pair.to].id, cases: entry.cases.count, moves: entry.moves,
                           shareOfCases: total > 0 ? Double(entry.cases.count) / Double(total) : 0, examples: Array(entry.cases.prefix(3)))
        }.sorted { ($0.cases, $1.from, $1.to) > ($1.cases, $0.from, $0.to) }
        return Conformance(fitness: total > 0 ? Double(fitting) / Double(total) : 1, undeclared: moves,
                           unvisitedStages: design.stages.indices.filter { !visited.contains($0) }.map { design.stages[$0].id },
                           unknownActivities: unknown)
    }
}

/// The design's calendar on real instants: Unix seconds read as local time in a zone, then as
/// minutes of the business clock's week (which starts on a Monday, as 1970-01-05 did).
struct LocalClock {
    let clock: BusinessClock
    let zone: LogTime.Zone

    init(calendar: BusinessCalendar, zone: LogTime.Zone) {
        clock = BusinessClock(calendar)
        self.zone = zone
    }

    /// Working minutes between two instants, on the wall clock of the zone.
    func workingMinutes(from a: Double, to b: Double) -> Double {
        guard b > a, a.isFinite, b.isFinite else { return 0 }
        let localA = a + Double(zone.secondsEast(atUTC: a)), localB = b + Double(zone.secondsEast(atUTC: b))
        // Minute of the week of `a`: 1970-01-01 was a Thursday, 3 days after a Monday. Only the
        // week's phase matters, so `a` is moved into week 0 and `b` keeps its distance from it.
        let week = BusinessClock.week
        let minuteA = localA / 60 + 4_320
        let phase = minuteA - (minuteA / week).rounded(.down) * week
        return clock.workingMinutes(from: phase, to: phase + max(0, localB - localA) / 60)
    }
}
