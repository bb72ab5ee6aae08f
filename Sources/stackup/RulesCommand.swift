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
        let descriptions = RuleRegistry.descriptions
        let text = format == .text ? RuleDocs.list(descriptions) : RuleDocs.markdown(descriptions)
        try Output.standardOutput(text)
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain a rule, with a failing and a passing example.")

    @Argument(help: "The rule id, e.g. criteria-gap.")
    var rule: String

    func run() throws {
        guard let description = RuleRegistry.description(of: rule) else {
            let hint = DidYouMean.hint(for: rule, among: RuleRegistry.ids)
            throw UsageError("no rule `\(rule)`" + (hint.isEmpty ? "; `stackup rules` lists every rule" : hint))
        }
        try Output.standardOutput(RuleDocs.explain(description))
    }
}
