import ArgumentParser
import StackupCore
import StackupReporters

struct LimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "limits", abstract: "List the limits that bound every input, with their values (see docs/limits.md).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Option(help: "text, or markdown for docs/limits.md.")
    var format: Format = .text

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        try Output.standardOutput(format == .text ? LimitDocs.list(limitOptions.limits) : LimitDocs.markdown())
    }
}
