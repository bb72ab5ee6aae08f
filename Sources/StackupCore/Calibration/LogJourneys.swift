/// A log's events as journeys through the design: activities mapped to stages (by the same
/// name, or by an explicit map), each case's events in time order, consecutive events at one
/// stage one visit (whatever unmapped events lie between them; the visit starts at the first),
/// and each visit's time in the stage, right-censored at the cut-off when the case is still
/// there.
package struct LogJourneys: Sendable {
    package struct Visit: Sendable, Equatable {
        package var stage: Int
        package var entered: Double
        /// When the case left: the next visit's arrival, or the log's own leaving time.
        package var left: Double?
        /// True when the arrival or the leaving time was a date without a time of day.
        package var dateOnly: Bool = false
    }

    /// Per case id, in the order cases first appear: its visits in time order.
    package private(set) var cases: [(id: String, visits: [Visit])] = []
    /// Activities that map to no stage, with their event counts.
    package private(set) var unknownActivities: [String: Int] = [:]
    /// Events read, mapped or not.
    package private(set) var events = 0

    /// `map`: activity → stage id, for activities not named as their stage.
    package init(events log: [LongCSVLog.Event], design: Design, map: [String: String] = [:]) {
        self.init(store: EventStore(log), design: design, map: map)
    }

    package init(store: EventStore, design: Design, map: [String: String] = [:]) {
        events = store.count
        // Each activity's stage, once; -1 for none.
        let stageOf: [Int] = store.activities.map { activity in design.stageIndex[map[activity] ?? activity] ?? -1 }
        // The events of each case, in file order, by a counting sort on the case number: no
        // hashing and no per-case arrays (grouping by id into a dictionary of event arrays
        // took half the time of a 625,000-event log).
        let caseCount = store.caseIds.count
        var starts = [Int](repeating: 0, count: caseCount + 1)
        var unknown = [Int](repeating: 0, count: store.activities.count)
        for r in store.records {
            if stageOf[Int(r.activity)] >= 0 { starts[Int(r.caseNumber) + 1] += 1 } else { unknown[Int(r.activity)] += 1 }
        }
        for (a, n) in unknown.enumerated() where n > 0 { unknownActivities[store.activities[a], default: 0] += n }
        for c in 0..<caseCount { starts[c + 1] += starts[c] }
        var order = [Int32](repeating: 0, count: starts[caseCount])
        var fill = starts
        for (i, r) in store.records.enumerated() where stageOf[Int(r.activity)] >= 0 {
            order[fill[Int(r.caseNumber)]] = Int32(truncatingIfNeeded: i)
            fill[Int(r.caseNumber)] += 1
        }
        cases.reserveCapacity(caseCount)
        for c in 0..<caseCount where starts[c + 1] > starts[c] {
            var indices = Array(order[starts[c]..<starts[c + 1]])
            // Time order; rows at one time keep the file's order (indices grow with it).
            if zip(indices, indices.dropFirst()).contains(where: { store.records[Int($0)].time > store.records[Int($1)].time }) {
                indices.sort { (store.records[Int($0)].time, $0) < (store.records[Int($1)].time, $1) }
            }
            var visits: [Visit] = []
            for i in indices {
                let event = store.records[Int(i)]
                let s = stageOf[Int(event.activity)]
                if let last = visits.last, last.stage == s {
                    // Salesforce writes a row on every edit: the same stage again is the same visit.
                    if let left = event.left { visits[visits.count - 1].left = left }
                    continue
                }
                if !visits.isEmpty, visits[visits.count - 1].left == nil {
                    visits[visits.count - 1].left = event.time
                    if event.dateOnly { visits[visits.count - 1].dateOnly = true }
                }
                visits.append(Visit(stage: s, entered: event.time, left: event.left, dateOnly: event.dateOnly))
            }
            cases.append((store.caseIds[c], visits))
        }
    }

    /// Each visit's time in its stage, for every stage that is not an outcome: left minus
    /// entered, or, for a case still there, the time to `asOf`, censored. A visit whose case
    /// ends there without a leaving time is still there.
    package func stageTimes(design: Design, asOf: Double) -> [[(time: Double, left: Bool)]] {
        var out = [[(time: Double, left: Bool)]](repeating: [], count: design.stages.count)
        for (_, visits) in cases {
            for visit in visits where !design.stages[visit.stage].isOutcome {
                if let left = visit.left, left <= asOf {
                    out[visit.stage].append((max(0, left - visit.entered), true))
                } else if visit.entered <= asOf {
                    out[visit.stage].append((asOf - visit.entered, false))
                }
            }
        }
        return out
    }

    /// Moves from stage to stage by the cut-off, by (from, to), with the cases that made each.
    package func moves(asOf: Double = .infinity) -> [StagePair: (moves: Int, cases: [String])] {
        var out: [StagePair: (moves: Int, cases: [String])] = [:]
        for (id, visits) in cases {
            for (a, b) in zip(visits, visits.dropFirst()) where b.entered <= asOf {
                // In place: a copy of the entry out of the dictionary and back copies its case
                // list each time (a 50,000-event log took 2.5 s, nearly all of it here).
                let key = StagePair(from: a.stage, to: b.stage)
                out[key, default: (0, [])].moves += 1
                if out[key]?.cases.last != id { out[key, default: (0, [])].cases.append(id) }
            }
        }
        return out
    }

    /// For each stage, among its visits that moved on to a next stage by the cut-off, the share
    /// that went to each, with its 95% Wilson interval; visits still in the stage, or whose case
    /// ends there, are not counted.
    package func shares(asOf: Double = .infinity) -> [Int: [(to: Int, moves: Int, share: Estimate)]] {
        var counts: [StagePair: Int] = [:]
        for (_, visits) in cases {
            for (a, b) in zip(visits, visits.dropFirst()) where b.entered <= asOf { counts[StagePair(from: a.stage, to: b.stage), default: 0] += 1 }
        }
        var byStage: [Int: [(to: Int, moves: Int)]] = [:]
        for (pair, n) in counts { byStage[pair.from, default: []].append((pair.to, n)) }
        return byStage.mapValues { targets in
            let total = targets.reduce(0) { $0 + $1.moves }
            return targets.sorted { $0.to < $1.to }.map { ($0.to, $0.moves, TimeAnalysis.wilson($0.moves, total)) }
        }
    }

    /// Cases per week arriving by the cut-off at each stage as their first, over `weeks`.
    package func arrivals(weeks: Double, asOf: Double = .infinity) -> [Int: (cases: Int, perWeek: Estimate)] {
        var counts: [Int: Int] = [:]
        for (_, visits) in cases { if let first = visits.first, first.entered <= asOf { counts[first.stage, default: 0] += 1 } }
        guard weeks > 0 else { return [:] }
        return counts.mapValues { n in (n, Self.arrivalInterval(n, weeks: weeks)) }
    }

    /// `n` arrivals over `weeks` as a rate with a 95% interval on the count by the square-root
    /// transform (Anscombe): (√N ± 1.96/2)², good to a few percent from a dozen cases.
    package static func arrivalInterval(_ n: Int, weeks: Double) -> Estimate {
        let root = Double(n).squareRoot(), half = StandardNormal.z975 / 2
        let low = max(0, root - half), high = root + half
        return Estimate(value: Double(n) / weeks, low: low * low / weeks, high: high * high / weeks)
    }

    package struct StagePair: Hashable, Sendable {
        package var from: Int
        package var to: Int
    }
}
