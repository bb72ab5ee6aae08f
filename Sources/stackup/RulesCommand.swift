import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule with its id, default severity and one line.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Option(help: "text, or markdown for docs/rules.md.")
    var format: Format = .text

    func run() throws {
        let descriptions = RuleRegistry.all.map { $0.description }
        let text = format == .text ? RuleDocs.list(descriptions) : RuleDocs.markdown(descriptions)
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain a rule, with a failing and a passing example.")

    @Argument(help: "The rule id, e.g. criteria-gap.")
    var rule: String

    func run() throws {
        guard let type = RuleRegistry.rule(rule) else {
            let hint = DidYouMean.hint(for: rule, among: RuleRegistry.ids)
            Self.failUsage("no rule `\(rule)`" + (hint.isEmpty ? "; `stackup rules` lists every rule" : hint))
        }
        FileHandle.standardOutput.write(Data(RuleDocs.explain(type.description).utf8))
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the JSON Schema (draft-07) of the design format.")

    func run() throws {
        FileHandle.standardOutput.write(Data(FormatSchema.json().utf8))
    }
}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Print the journey as a graph, with the stages findings concern marked.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case mermaid, dot }

    @Argument(help: "The design file.")
    var path: String

    @Option(help: "mermaid or dot.")
    var format: Format = .mermaid

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            Self.failUsage("`\(path)`: no such design file")
        }
        let provider = DiskSourceProvider()
        let folder = provider.canonicalPath(PathUtilities.directory(of: path)) ?? "/"
        let report = Checker(options: CheckOptions()).check(file: path, rootFolder: folder)
        guard let design = report.design else { Self.failUsage("`\(path)` does not load; run `stackup check \(path)` first") }
        let analyses = Analyses(design: design, samples: 1)
        let domain = analyses.criteria.domain
        let labels = design.stages.enumerated().map { s, stage in
            stage.routes.enumerated().map { r, route in
                route.when == nil ? "otherwise" : analyses.criteria.whenRegions[s][r].describe(domain)
            }
        }
        var marks: [String: Severity] = [:]
        for finding in report.findings {
            guard let stage = finding.stage else { continue }
            marks[stage] = max(marks[stage] ?? .note, finding.severity)
        }
        let input = GraphReporter.Input(design: design, routeLabels: labels, marks: marks)
        FileHandle.standardOutput.write(Data(GraphReporter.render(input, format: format == .dot ? .dot : .mermaid).utf8))
    }
}
