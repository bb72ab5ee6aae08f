import ArgumentParser
import Dispatch
import Foundation
import StackupCore
import StackupReporters
import Synchronization

/// Set by Ctrl-C; the simulation stops at its next progress check and reports what it has.
final class Interruption: Sendable {
    static let shared = Interruption()
    let requested = Atomic<Bool>(false)
}

enum SimulationFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate the line at the declared rates: queues, utilisation, promises kept, handoffs."
    )

    @Argument(help: "The design file.")
    var path: String

    @Option(help: "Customers to simulate.")
    var customers: Int = 100_000

    @Option(help: "Customers simulated first and left out of the figures (default: one in twenty).")
    var warmup: Int?

    @Option(parsing: .unconditional, help: "Seed for everything sampled.", transform: PolicyOptions.seed)
    var seed: UInt64 = 1

    @Option(help: "Output format: text or json.")
    var format: SimulationFormat = .text

    @Option(help: "Folder that includes must stay inside (default: the design's folder).")
    var root: String?

    @Option(help: ArgumentHelp("Also write every simulated visit to FILE as an event log (long CSV: case_id, stage, timestamp, left) that `calibrate` reads.", valueName: "file"))
    var events: String?

    @Option(help: ArgumentHelp("With --events: the date of simulated minute 0, a Monday (default 2026-01-05); times are UTC.", valueName: "YYYY-MM-DD"))
    var start: String?

    @OptionGroup var limitOptions: LimitOptions

    /// Unix time of the event log's minute 0.
    var startTime: Int64 {
        get throws {
            let text = start ?? "2026-01-05"
            guard let date = ISOTime.parseDate(text) else { throw ValidationError("--start takes a date YYYY-MM-DD, such as 2026-01-05; not `\(text)`") }
            guard date.weekday == 0 else { throw ValidationError("--start must be a Monday: the simulated week starts on Monday 00:00, so that working hours fall on working days (`\(text)` is not)") }
            return date.unix
        }
    }

    func validate() throws {
        guard customers >= 1, customers <= 50_000_000 else { throw ValidationError("--customers must be between 1 and 50000000") }
        if start != nil, events == nil { throw ValidationError("--start sets the event log's first date; give --events FILE with it") }
        _ = try startTime
        if let warmup, warmup < 0 || warmup >= customers { throw ValidationError("--warmup must be at least 0 and below --customers") }
    }

    func run() throws {
        // The log's target is checked before the run, so that nothing is half written.
        if let events { try Output.checkTargets([(events, "the event log")]) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw UsageError("`\(path)`: no such design file")
        }
        let provider = DiskSourceProvider()
        let folder = root.flatMap(provider.canonicalPath) ?? provider.canonicalPath(PathUtilities.directory(of: path)) ?? "/"
        let report = Checker(options: CheckOptions(seed: seed, samples: 1, limits: limitOptions.limits)).check(file: path, rootFolder: folder)
        guard let design = report.design,
              !report.findings.contains(where: { RuleRegistry.loadingRuleIds.contains($0.rule) && $0.severity == .error }) else {
            throw UsageError("`\(path)` does not load cleanly; run `stackup check \(path)` first")
        }
        let options = Simulation.Options(customers: customers, warmup: warmup, seed: seed, recordsVisits: events != nil)

        // Ctrl-C stops the run; what was gathered is still printed, marked partial.
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { Interruption.shared.requested.store(true, ordering: .relaxed) }
        source.resume()
        let showProgress = isatty(STDERR_FILENO) != 0
        let started = ContinuousClock.now
        var drawn = false
        let result = Simulation.run(design: design, options: options) { done in
            // A bar on a terminal, once the run has taken about a second; nothing otherwise.
            if showProgress && ContinuousClock.now - started > .seconds(1) {
                let width = 30
                let filled = Int(done * Double(width))
                Output.standardError("\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(Int(done * 100))%")
                drawn = true
            }
            return !Interruption.shared.requested.load(ordering: .relaxed)
        }
        if drawn { Output.standardError("\r\u{1B}[K") }
        source.cancel()
        let text = format == .json ? SimulationReporter.json(result, warmup: options.warmup) : SimulationReporter.text(result, design: path)
        if let events { try Output.file(EventLogReporter.csv(result.log, stageIds: design.stages.map(\.id), start: try startTime), to: events) }
        try Output.standardOutput(text)
    }
}
