// libFuzzer entry points, linked by hand by Scripts/fuzz (SwiftPM would add its own `main`).
// A library, not an executable target: under libFuzzer the globals of an executable's main
// file are never initialised, while a library's are initialised lazily on first use.
#if canImport(Glibc)
import Glibc
#endif
import StackupCore
import StackupReporters
import StackupYAML

/// Which target this binary fuzzes: `STACKUP_FUZZ_TARGET`, `load` or `check` (Scripts/fuzz sets it).
enum FuzzTarget: String {
    case load, check

    static let selected: FuzzTarget = {
        guard let raw = getenv("STACKUP_FUZZ_TARGET"), let target = FuzzTarget(rawValue: String(cString: raw)) else { return .load }
        return target
    }()
}

/// The design is checked where the disk cannot be reached: one in-memory file and one include.
private let designPath = "/fuzz/design.stackup.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    switch FuzzTarget.selected {
    case .load: fuzzLoad(bytes)
    case .check: fuzzCheck(bytes)
    }
    return 0
}

/// The YAML tree, its comments, and the model with every reference checked.
func fuzzLoad(_ bytes: [UInt8]) {
    if let document = try? YAMLParser.parseDocument(bytes) {
        _ = YAMLComments.scan(SourceText(bytes), root: document.root)
    }
    let provider = MemorySourceProvider(bytes: [designPath: bytes, "/fuzz/team.yaml": bytes])
    _ = DesignLoader(provider: provider).load(displayPath: designPath, rootFolder: "/fuzz")
}

/// The whole pipeline with few samples, every reporter, `graph`, and a short `simulate`.
func fuzzCheck(_ bytes: [UInt8]) {
    let provider = MemorySourceProvider(bytes: [designPath: bytes])
    let report = Checker(provider: provider, options: CheckOptions(seed: 1, samples: 64)).check(file: designPath, rootFolder: "/fuzz")
    let findings = report.findings.sorted(by: Finding.reportOrder)
    _ = TextReporter.render(findings, sources: report.sources, files: 1, color: true)
    _ = JSONReporter.render(findings, files: 1, metrics: [(designPath, report.metrics)])
    _ = SARIFReporter.render(findings, rules: RuleRegistry.descriptions)
    _ = JUnitReporter.render(findings, files: [designPath])
    _ = GitHubReporter.render(findings)
    _ = GitLabReporter.render(findings)
    guard let design = report.design else { return }
    let input = GraphReporter.Input(design: design, findings: findings)
    _ = GraphReporter.render(input, format: .dot)
    _ = GraphReporter.render(input, format: .mermaid)
    guard !findings.contains(where: { RuleRegistry.loadingRuleIds.contains($0.rule) && $0.severity == .error }) else { return }
    let result = Simulation.run(design: design,
                                options: Simulation.Options(customers: 200, warmup: nil, seed: 1))
    _ = SimulationReporter.text(result, design: designPath)
    _ = SimulationReporter.json(result, warmup: 10)
}
