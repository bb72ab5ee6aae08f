import Testing
@testable import StackupCore

/// The performance work (docs/performance.md) must not change a single figure: each fast path
/// is checked here against the plain computation it replaced, on random inputs, for equality
/// of every value and of the order of every box, not just of the sets.
@Suite struct FastPathEquivalenceTests {
    // MARK: Regions

    /// The per-box subtraction of the flat regions as it was written before: the whole list
    /// minus each box of `o` in turn.
    static func referenceSubtract(_ a: Region, _ o: Region) -> Region {
        if a.overflowed || o.overflowed { return .overflow(dimension: a.dimension) }
        var current = a.boxes
        for b in o.boxes {
            guard !current.isEmpty else { break }
            current = current.flatMap { $0.subtract(b) }
            if current.count > Region.maxBoxes { return .overflow(dimension: a.dimension) }
        }
        return referenceNormalized(current, a.dimension)
    }

    /// Merging by scanning pairs from the start again after every merge, then sorting.
    static func referenceNormalized(_ boxes: [Box], _ dimension: Int) -> Region {
        var list = boxes
        var merged = true
        while merged && list.count > 1 && list.count <= 256 {
            merged = false
            outer: for i in 0..<list.count {
                for j in (i + 1)..<list.count {
                    if let m = Region.merge(list[i], list[j]) {
                        list[i] = m
                        list.remove(at: j)
                        merged = true
                        break outer
                    }
                }
            }
        }
        list.sort(by: Region.lowerCorner)
        return Region(boxes: list, dimension: dimension)
    }

    @Test func flatRegionOperationsGiveTheBoxesOfThePlainOnes() {
        var rng = Random(seed: 20261202)
        var multiBox = 0
        for _ in 0..<5_000 {
            let attributes = RegionPropertyTests.attributes(&rng)
            let domain = RegionDomain(attributes: attributes)
            let compiler = RegionCompiler(domain: domain)
            let a = compiler.region(RegionPropertyTests.condition(attributes, &rng))
            let b = compiler.region(RegionPropertyTests.condition(attributes, &rng))
            let difference = a.subtract(b)
            #expect(difference.boxes == Self.referenceSubtract(a, b).boxes)
            #expect(difference.overflowed == Self.referenceSubtract(a, b).overflowed)
            // The union is this region's boxes and what the other adds, normalised.
            let union = a.union(b)
            if !a.isEmpty && !b.isEmpty {
                let extra = Self.referenceSubtract(b, a)
                #expect(union.boxes == Self.referenceNormalized(a.boxes + extra.boxes, domain.attributes.count).boxes)
            }
            // Intersections are every pair of boxes that meet, normalised.
            let pairs = a.boxes.flatMap { x in b.boxes.map { x.intersect($0) } }.filter { !$0.isEmpty }
            #expect(a.intersect(b).boxes == Self.referenceNormalized(pairs, domain.attributes.count).boxes)
            if difference.boxes.count > 2 { multiBox += 1 }
        }
        #expect(multiBox > 50, "only \(multiBox) differences had more than two boxes")
    }

    /// Boxes that merge in chains (each merge makes a box that merges with an earlier one):
    /// the looking-back scan must find the merges the restarted scan finds, in its order.
    @Test func normalisingMergesAsTheRestartedScanDoes() {
        var rng = Random(seed: 7)
        let attributes = [Attribute(name: "x", kind: .number(min: 0, max: 20), location: RegionPropertyTests.location),
                          Attribute(name: "y", kind: .number(min: 0, max: 20), location: RegionPropertyTests.location),
                          Attribute(name: "c", kind: .enumeration(["p", "q", "r"]), location: RegionPropertyTests.location)]
        for _ in 0..<3_000 {
            let boxes = (0..<(2 + rng.int(12))).map { _ -> Box in
                let x = Double(rng.int(10)), y = Double(rng.int(10))
                return Box(parts: [.interval(Interval(lo: x, loClosed: true, hi: x + Double(1 + rng.int(3)), hiClosed: rng.int(2) == 0)),
                                   .interval(Interval(lo: y, loClosed: rng.int(2) == 0, hi: y + 1, hiClosed: false)),
                                   .values(UInt64(1 + rng.int(7)))])
            }
            let region = Region(boxes: boxes, dimension: attributes.count)
            #expect(region.normalized().boxes == Self.referenceNormalized(boxes, attributes.count).boxes)
        }
    }

    // MARK: Example customers

    /// Chains' regions from the cache of beginnings equal the regions walked afresh, asked in
    /// any order and more than once.
    @Test func cachedChainRegionsEqualFreshOnes() throws {
        var rng = Random(seed: 11)
        var chains = 0
        for _ in 0..<400 {
            let (text, _, _) = ShareBruteForceTests.randomDesign(&rng)
            let report = Checker.check(text: text, options: CheckOptions(samples: 1))
            let design = try #require(report.design, "\(text)")
            let analyses = Analyses(design: design, samples: 1)
            let criteria = analyses.criteria
            let graph = analyses.graph
            var asked: [([JourneyNode], Int?, Set<[JourneyNode]>)] = []
            for node in graph.unrolledOrder where !criteria.arrivals[node].isEmpty {
                // Walk back along random flows to where the customers came in.
                for _ in 0..<3 {
                    var chain = [node]
                    var rejects: Set<[JourneyNode]> = []
                    var entry: Int?
                    var current = node
                    for _ in 0..<graph.nodeCount {
                        let flows = criteria.incoming[current]
                        guard !flows.isEmpty else { break }
                        let flow = flows[rng.int(flows.count)]
                        if case .entry(let e) = flow.source { entry = e; break }
                        guard let from = criteria.sourceNode(flow.source) else { break }
                        if case .reject = flow.source { rejects.insert([from, current]) }
                        chain.insert(from, at: 0)
                        current = from
                    }
                    asked.append((chain, rng.int(4) == 0 ? nil : entry, rejects))
                }
            }
            for _ in 0..<2 {
                // A seeded shuffle: Fisher–Yates with the project's generator.
                var order = asked
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(i + 1)) }
                for (chain, entry, rejects) in order {
                    let cached = criteria.region(along: chain, entry: entry, rejects: { rejects.contains([$0, $1]) })
                    let fresh = criteria.regionAlongUncached(chain, entry: entry, rejects: { rejects.contains([$0, $1]) })
                    #expect(cached == fresh, "\(text)")
                    chains += 1
                }
            }
        }
        #expect(chains > 5_000)
    }

    // MARK: Worst case

    static func randomTimedDesign(_ rng: inout Random) -> String {
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        var workdays = days.filter { _ in rng.int(3) > 0 }
        if workdays.isEmpty { workdays = [days[rng.int(7)]] }
        let open = rng.int(12 * 4) * 15, close = open + 60 + rng.int(10 * 4) * 15
        func clock(_ m: Int) -> String { "\(m / 60 < 10 ? "0" : "")\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60)" }
        let specs = ["{fixed: 3h}", "{within: 5bh}", "2bd", "{p50: 4h, p90: 2bd}", "{p50: 1bd, p90: 3bd, max: 6bd}",
                     "{within: 1d}", "{p90: 7bh}", "{fixed: 90m}", "{within: 1w}", "{p50: 30m, p90: 1.5bd}"]
        let count = 2 + rng.int(3)
        var text = """
        stackup: 1
        calendar: {workdays: [\(workdays.joined(separator: ", "))], hours: "\(clock(open))-\(clock(min(close, 1439)))"}
        customer:
          attributes:
            a: boolean
          max_loops: \(rng.int(2))
          promises:

        """
        let promiseCount = 1 + rng.int(2)
        for p in 0..<promiseCount {
            let from = rng.int(3) == 0 ? ", from: s\(rng.int(count))" : ""
            let to: String
            switch rng.int(4) {
            case 0: to = "first-contact"
            case 1: to = "[s\(rng.int(count)), won]"
            default: to = rng.int(2) == 0 ? "won" : "s\(count - 1)"
            }
            let until = rng.int(3) == 0 ? ", until: done" : ""
            text += "    p\(p): {to: \(to)\(from)\(until), p90: \(1 + rng.int(20))\(rng.int(2) == 0 ? "d" : "bd")}\n"
        }
        text += "entries:\n  web: {to: s0, rate: 10/week\(rng.int(2) == 0 ? ", arrives: business_hours" : "")}\n"
        if rng.int(2) == 0 { text += "  list: {to: s\(rng.int(count)), rate: 5/week}\n" }
        text += "stages:\n"
        for i in 0..<count {
            text += "  s\(i):\n    owns_relationship: \(i == 0)\n    sla: \(specs[rng.int(specs.count)])\n"
            if rng.int(2) == 0 { text += "    contact: true\n" }
            if rng.int(3) == 0 { text += "    responds: \(specs[rng.int(specs.count)])\n" }
            if rng.int(4) == 0 { text += "    accepts: {a: true}\n    rejects_to: \(i + 1 < count ? "s\(i + 1)" : "lost")\n" }
            text += "    routes:\n"
            let later = ((i + 1)..<count).map { "s\($0)" } + ["won"]
            if rng.int(3) == 0, i > 0 {
                text += "      - {to: s\(rng.int(i)), when: {a: false}\(rng.int(2) == 0 ? ", delay: \(specs[rng.int(specs.count)])" : "")}\n"
            }
            if rng.int(2) == 0 { text += "      - {to: \(later[rng.int(later.count)]), when: {a: true}, share: 0.5}\n" }
            text += "      - {to: \(later[rng.int(later.count)])\(rng.int(3) == 0 ? ", delay: \(specs[rng.int(specs.count)])" : "")}\n"
        }
        text += "  won: {outcome: won}\n  lost: {outcome: lost}\n"
        return text
    }

    /// The blocked scan of the worst case gives the value, the start and the path of trying
    /// all 10,080 starts one after another, on random designs and calendars.
    @Test func blockedWorstCaseEqualsTheScanOfEveryStart() throws {
        var rng = Random(seed: 19)
        var compared = 0, business = 0
        for _ in 0..<1_000 {
            let text = Self.randomTimedDesign(&rng)
            let report = Checker.check(text: text, options: CheckOptions(samples: 1))
            let design = try #require(report.design, "\(report.findings.map(\.message))\n\(text)")
            let analyses = Analyses(design: design, samples: 1)
            let model = TimeModel(design: design, graph: analyses.graph)
            for promise in design.customer.promises {
                let ends = PromiseEnds(promise, design: design)
                let blocked = WorstCaseAnalysis.compute(ends, design: design, graph: analyses.graph, criteria: analyses.criteria, model: model)
                let plain = WorstCaseAnalysis.compute(ends, design: design, graph: analyses.graph, criteria: analyses.criteria, model: model,
                                                      scan: .oneStartAtATime)
                #expect(blocked?.minutes == plain?.minutes, "\(text)")
                #expect(blocked?.startMinute == plain?.startMinute, "\(text)")
                #expect(blocked?.path == plain?.path, "\(text)")
                compared += 1
                if model.usesBusinessTime { business += 1 }
            }
        }
        #expect(compared > 1_200 && business > 1_000, "\(compared) promises, \(business) on business time")
    }
}

/// The promise statistics read order statistics by selection; they must be the sorted values'.
@Suite struct OrderStatisticTests {
    @Test func selectionGivesTheSortedValuesAndTheStableSortsTail() {
        var rng = Random(seed: 5)
        for _ in 0..<2_000 {
            let n = 1 + rng.int(300)
            // Few distinct values, so that ties are everywhere.
            let values = (0..<n).map { _ in Double(rng.int(1 + rng.int(20))) }
            let sorted = values.sorted()
            var scratch = values
            for _ in 0..<5 {
                let k = rng.int(n)
                #expect(Selection.value(at: k, &scratch) == sorted[k])
            }
            for p in [0.5, 0.9, 0.99] {
                let plain = TimeAnalysis.quantile(sorted, p)
                let selected = TimeAnalysis.quantile(count: n, p) { Selection.value(at: $0, &scratch) }
                #expect(plain.value == selected.value && plain.low == selected.low && plain.high == selected.high)
            }
            // The tail: what the stable sort puts from `cut` on, items told apart by index.
            let items = Array(values.enumerated())
            let cut = rng.int(n)
            let stable = items.sorted { $0.element < $1.element }
            let tail = Selection.slowest(items, from: cut, by: \.element, scratch: &scratch)
            #expect(tail.map(\.offset) == stable[cut...].map(\.offset))
        }
    }

    /// An order built to make median-of-three partitions shrink slowly still finishes.
    @Test func adversarialOrdersFallBackToSorting() {
        let n = 100_000
        var values = (0..<n).map { Double($0 % 2 == 0 ? $0 : n - $0) }
        let sorted = values.sorted()
        #expect(Selection.value(at: n / 2, &values) == sorted[n / 2])
    }
}
