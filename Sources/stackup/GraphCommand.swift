import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Print the journey as a graph, with the stages findings concern marked.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case mermaid, dot }

    @Argument(help: "The design file.")
    var path: String

    @Option(help: "mermaid or dot.")
    var format: Format = .mermaid

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw UsageError("`\(path)`: no such design file")
        }
        let provider = DiskSourceProvider()
        let folder = provider.canonicalPath(PathUtilities.directory(of: path)) ?? "/"
        let report = Checker(options: CheckOptions(limits: limitOptions.limits)).check(file: path, rootFolder: folder)
        guard let design = report.design else { throw UsageError("`\(path)` does not load; run `stackup check \(path)` first") }
        let input = GraphReporter.Input(design: design, findings: report.findings)
        try Output.standardOutput(GraphReporter.render(input, format: format == .dot ? .dot : .mermaid))
    }
}
