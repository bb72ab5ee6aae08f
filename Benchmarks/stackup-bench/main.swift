import Foundation
import StackupCore

// Times the pipeline's phases on one design, in process, so that analyses can be measured
// apart from start-up and output. Prints the median of each phase over the repetitions.
//
// Usage: stackup-bench DESIGN [REPETITIONS]

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: stackup-bench DESIGN [REPETITIONS]")
    exit(2)
}
let file = arguments[1]
let repetitions = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5
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

var phases: [String: [Double]] = [:]
var summary = ""
for _ in 0..<repetitions {
    var loaded: DesignLoader.Result?
    phases["load", default: []].append(seconds(clock.measure { loaded = DesignLoader(provider: provider).load(displayPath: file, rootFolder: root) }))
    guard let design = loaded?.design else {
        print("the design did not load: \(loaded?.findings.first?.message ?? "?")")
        exit(1)
    }
    var graph: JourneyGraph?
    phases["graph", default: []].append(seconds(clock.measure { graph = JourneyGraph(design: design) }))
    var criteria: CriteriaAnalysis?
    phases["criteria", default: []].append(seconds(clock.measure { criteria = CriteriaAnalysis(design: design, graph: graph!) }))
    let analyses = Analyses(design: design)
    var findings: [Finding] = []
    phases["rules", default: []].append(seconds(clock.measure {
        for rule in RuleRegistry.all { findings.append(contentsOf: rule.check(design, analyses)) }
    }))
    let regionBoxes = criteria!.arrivals.reduce(0) { $0 + $1.boxes.count }
    summary = "stages=\(design.stages.count) attributes=\(design.customer.attributes.count) unrolled-nodes=\(criteria!.arrivals.count) arrival-boxes=\(regionBoxes) findings=\(findings.count)"
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s[s.count / 2]
}

print(summary)
for phase in ["load", "graph", "criteria", "rules"] {
    print("\(phase): \(String(format: "%.4f", median(phases[phase] ?? [0]))) s (median of \(repetitions))")
}
