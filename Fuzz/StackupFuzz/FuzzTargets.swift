// libFuzzer entry points, linked by hand by Scripts/fuzz (SwiftPM would add its own `main`).
// A library, not an executable target: under libFuzzer the globals of an executable's main
// file are never initialised, while a library's are initialised lazily on first use.
#if canImport(Glibc)
import Glibc
#endif
import StackupCore
import StackupReporters
import StackupYAML

/// Which target this binary fuzzes: `STACKUP_FUZZ_TARGET`, `load`, `check` or `log` (Scripts/fuzz sets it).
enum FuzzTarget: String {
    case load, check, log

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
    case .log: fuzzLog(bytes)
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

/// The design `log` calibrates every input against: SLAs in calendar and business time, a
/// route with a condition (sampled shares), a loop back and a promise.
private let logDesign = """
stackup: 1
customer:
  attributes:
    size: [small, large]
  promises:
    decision: {from: start, to: [won, lost], p90: 10bd}
entries:
  web: {to: sdr, rate: 100/week}
stages:
  sdr:
    contact: true
    owns_relationship: true
    sla: {p50: 2h, p90: 8h, max: 2d}
    routes:
      - {to: ae, when: {size: large}}
      - to: lost
  ae:
    sla: {within: 5bd}
    routes:
      - {to: won, share: 0.4}
      - {to: sdr, share: 0.1}
      - to: lost
  won: {outcome: won}
  lost: {outcome: lost}
"""

/// A log, whatever its kind (told by its bytes: gzip, XES or CSV), read in chunks whose size
/// the input sets, then again as a wide export; each read calibrated, reported in every format
/// and written back into the design.
func fuzzLog(_ bytes: [UInt8]) {
    let chunk = 1 + bytes.count % 13
    func chunks() -> () -> [UInt8]? {
        var offset = 0
        return {
            guard offset < bytes.count else { return nil }
            defer { offset += chunk }
            return Array(bytes[offset..<min(bytes.count, offset + chunk)])
        }
    }
    for options in [LogReadOptions(), LogReadOptions(kind: .wide, stageColumnPattern: "{stage}", zone: LogZone("Europe/Berlin") ?? .utc)] {
        var limited = options
        limited.maxEvents = 20_000
        guard case .success(let log) = EventLogReader.read(name: "log.csv", options: limited, next: chunks()) else { continue }
        let input = CalibrationInput(log: log, options: CalibrationOptions(map: ["Demo": "ae"], seed: 1, samples: 64))
        let report = Checker.check(text: logDesign, name: designPath, calibration: input)
        guard let calibration = report.calibration, let design = report.design, let source = report.sources[designPath] else { continue }
        _ = CalibrationReporter.text(calibration, design: designPath, findings: report.findings, sources: report.sources, color: true)
        _ = CalibrationReporter.json(calibration, findings: report.findings)
        _ = CalibrationReporter.markdown(calibration, design: designPath, findings: report.findings)
        _ = SARIFReporter.render(report.findings, rules: RuleRegistry.descriptions)
        let written = CalibrationWriter.write(design: design, calibration: calibration, source: source, file: designPath)
        // The written design must load as the declared one does: no new loading finding.
        let again = Checker.check(text: written.text, name: designPath, options: CheckOptions(seed: 1, samples: 64))
        if again.findings.contains(where: { RuleRegistry.loadingRuleIds.contains($0.rule) }) {
            fatalError("calibrate --write made a design that does not load:\n\(written.text)\n\(again.findings.map(\.message))")
        }
    }
}
