import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import StackupCore
import StackupYAML

// Times analyses in process, apart from start-up and output. Run by Scripts/bench-*.sh in a
// release build.
//
// Usage:
//   stackup-bench phases DESIGN [REPETITIONS]     median time of each pipeline phase
//   stackup-bench montecarlo DESIGN [SAMPLES]     customer-stage steps per second, with a floor
//   stackup-bench tree DESIGN                     reads the YAML tree and stops (Benchmarks/run
//                                                 times the process against the C floor)
//   stackup-bench load DESIGN                     reads the tree and the model and stops
//   stackup-bench xml FILE                        the toolchain's XML parser alone over FILE, as
//                                                 a stream (the baseline of calibrate's XES reader)

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["phases", "montecarlo", "simulate", "xml", "tree", "load"].contains(arguments[1]) else {
    print("usage: stackup-bench phases|montecarlo|simulate DESIGN [N] | tree|load DESIGN | xml FILE")
    exit(2)
}

if arguments[1] == "tree" {
    guard let bytes = FileManager.default.contents(atPath: arguments[2]) else {
        print("no such file: \(arguments[2])")
        exit(2)
    }
    do {
        let document = try YAMLParser.parseDocument([UInt8](bytes))
        print("tree: \(document.root?.nodeCount ?? 0) nodes")
        exit(0)
    } catch {
        print("tree: \(error.message)")
        exit(1)
    }
}

if arguments[1] == "xml" {
    /// Counts elements and nothing else: what parsing costs before any reading of events.
    final class Counter: NSObject, XMLParserDelegate {
        var elements = 0
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements += 1
        }
    }
    guard let stream = InputStream(fileAtPath: arguments[2]) else {
        print("no such file: \(arguments[2])")
        exit(2)
    }
    let parser = XMLParser(stream: stream)
    let counter = Counter()
    parser.delegate = counter
    let ok = parser.parse()
    print("xml: \(counter.elements) elements\(ok ? "" : " (parse error)")")
    exit(ok ? 0 : 1)
}
let mode = arguments[1]
let file = arguments[2]
let provider = DiskSourceProvider()
guard let canonical = provider.canonicalPath(file) else {
    print("no such file: \(file)")
    exit(2)
}
let root = PathUtilities.directory(of: canonical)
let clock = ContinuousClock()

func seconds(_ d: Swift.Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s[s.count / 2]
}

/// The same-run baseline: seconds to sum `count` lognormal draws (median of 3), and a
/// checksum that keeps the loop from being optimised away.
func lognormalFloor(_ count: Int) -> (seconds: Double, checksum: Int) {
    var times: [Double] = []
    var sink = 0.0
    for _ in 0..<3 {
        times.append(seconds(clock.measure { sink += Xoshiro256StarStar.sumOfLognormals(count, seed: 1) }))
    }
    return (median(times), Int(sink) % 1000)
}

func loadDesign() -> Design {
    let loaded = DesignLoader(provider: provider).load(displayPath: file, rootFolder: root)
    guard let design = loaded.design else {
        print("the design did not load: \(loaded.findings.first?.message ?? "?")")
        exit(1)
    }
    return design
}

if mode == "load" {
    let loaded = DesignLoader(provider: provider).load(displayPath: file, rootFolder: root)
    print("load: \(loaded.design?.stages.count ?? 0) stages, \(loaded.findings.count) findings")
    exit(loaded.design == nil ? 1 : 0)
} else if mode == "phases" {
    let repetitions = arguments.count > 3 ? max(1, Int(arguments[3]) ?? 5) : 5
    var phases: [String: [Double]] = [:]
    var summary = ""
    for _ in 0..<repetitions {
        var loaded: DesignLoader.Result?
        phases["load", default: []].append(seconds(clock.measure { loaded = DesignLoader(provider: provider).load(displayPath: file, rootFolder: root) }))
        guard let design = loaded?.design else { exit(1) }
        var graph: JourneyGraph?
        phases["graph", default: []].append(seconds(clock.measure { graph = JourneyGraph(design: design) }))
        var criteria: CriteriaAnalysis?
        phases["criteria", default: []].append(seconds(clock.measure { criteria = CriteriaAnalysis(design: design, graph: graph!) }))
        var flow: JourneyDataflow?
        phases["dataflow", default: []].append(seconds(clock.measure { flow = JourneyDataflow(design: design, graph: graph!, criteria: criteria!) }))
        // The customer-side rules read the dataflow; time them with it.
        let analyses = Analyses(design: design, samples: 1)
        var count = 0
        let customerRules: [any Rule.Type] = [ContextLossRule.self, AskedTwiceRule.self, TooManyHandoffsRule.self,
                                              RelationshipOwnerRule.self, CommitteeGapRule.self, UnboundedLoopRule.self]
        phases["customer rules", default: []].append(seconds(clock.measure {
            for rule in customerRules { count += rule.check(design, analyses).count }
        }))
        _ = flow
        let boxes = criteria!.arrivals.values.reduce(0) { $0 + $1.boxes.count }
        summary = "stages=\(design.stages.count) attributes=\(design.customer.attributes.count) unrolled-nodes=\(criteria!.arrivals.values.count) arrival-boxes=\(boxes) customer-side findings=\(count)"
    }
    print(summary)
    for phase in ["load", "graph", "criteria", "dataflow", "customer rules"] {
        print("\(phase): \(String(format: "%.4f", median(phases[phase] ?? [0]))) s (median of \(repetitions))")
    }
} else if mode == "simulate" {
    let customers = arguments.count > 3 ? max(1, Int(arguments[3]) ?? 100_000) : 100_000
    let design = loadDesign()
    let analyses = Analyses(design: design, samples: 1)
    var runs: [(Double, Int)] = []
    for _ in 0..<3 {
        var result: Simulation.Result?
        let t = seconds(clock.measure { result = Simulation.run(design: design, analyses: analyses, options: .init(customers: customers)) })
        runs.append((t, result?.events ?? 0))
    }
    let (time, events) = runs.sorted { $0.0 < $1.0 }[1]
    print("design: \(file) (\(design.stages.count) stages)")
    print("simulate: \(customers) customers, \(events) events in \(String(format: "%.3f", time)) s = \(String(format: "%.2f", Double(events) / time / 1e6)) M events/s (median of 3; target: at least 5 M events/s)")
    // The target is absolute, so the same-run baseline shows how fast the machine is now.
    let (floor, checksum) = lognormalFloor(events)
    print("same run, machine check: \(String(format: "%.2f", Double(events) / floor / 1e6)) M lognormal draws/s summed (checksum \(checksum)); events cost \(String(format: "%.2f", time / floor))x a draw")
} else {
    let samples = arguments.count > 3 ? max(1, Int(arguments[3]) ?? 200_000) : 200_000
    let design = loadDesign()
    let graph = JourneyGraph(design: design)
    let criteria = CriteriaAnalysis(design: design, graph: graph)
    let model = TimeModel(design: design, graph: graph)
    // Pairs of runs, the Monte Carlo then the floor, so that both see the machine in the
    // same state: this shared VM has slow spells that move every figure by a third.
    var pairs: [(mc: Double, floor: Double)] = []
    var steps = 0
    var checksum = 0
    for _ in 0..<5 {
        var mc: MonteCarlo?
        let t = seconds(clock.measure { mc = MonteCarlo(design: design, graph: graph, criteria: criteria, model: model, samples: samples, seed: 1) })
        steps = mc?.steps ?? 0
        // The floor: the same number of lognormal draws, summed, with the same generator.
        let floor = lognormalFloor(steps)
        checksum = floor.checksum
        pairs.append((t, floor.seconds))
    }
    let simTime = median(pairs.map(\.mc))
    let floor = median(pairs.map(\.floor))
    let first = pairs[0].mc / pairs[0].floor
    let ratios = pairs.map { $0.mc / $0.floor }.sorted()
    print("design: \(file) (\(design.stages.count) stages)")
    print("monte carlo: \(samples) customers, \(steps) customer-stage steps in \(String(format: "%.3f", simTime)) s = \(String(format: "%.2f", Double(steps) / simTime / 1e6)) M steps/s (median of 5)")
    print("floor: \(steps) lognormal draws summed in \(String(format: "%.3f", floor)) s = \(String(format: "%.2f", Double(steps) / floor / 1e6)) M draws/s (median of 5; checksum \(checksum))")
    print("ratio: the Monte Carlo takes \(String(format: "%.2f", median(ratios)))x the floor (median of 5 paired runs, range \(String(format: "%.2f", ratios.first ?? 0))–\(String(format: "%.2f", ratios.last ?? 0)); target: within 3x)")
    print("first pair, into freshly mapped memory: \(String(format: "%.2f", first))x")
}
