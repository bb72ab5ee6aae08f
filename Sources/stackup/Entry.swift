import ArgumentParser
import Foundation

/// `stackup`: finds stack-up failures in organisation designs.
@main
struct StackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stackup",
        abstract: "Find stack-up failures in go-to-market organisation designs.",
        discussion: """
        Each team can meet its own spec while the customer's journey still fails. stackup composes \
        the local specs end to end and reports each failure with a path and an example customer.

        Exit codes: 0 no findings at or above --fail-on; 1 findings at or above it; 2 usage error, \
        unreadable path, or internal error.
        """,
        version: "0.1.0",
        subcommands: [CheckCommand.self, DiffCommand.self, SimulateCommand.self, RulesCommand.self, ExplainCommand.self, SchemaCommand.self, GraphCommand.self, LimitsCommand.self]
    )

    /// swift-argument-parser exits 64 on usage errors; stackup documents 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let usage as UsageError {
            Output.standardError("error: \(usage.message)\n")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            // One clear line: the parser's first line, without its multi-line usage block.
            let lines = fullMessage(for: error).split(separator: "\n").map(String.init)
            var message = lines.first ?? "\(error)"
            // A list of choices follows the first line as "- value" lines: keep it on the line.
            let choices = lines.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
            if !choices.isEmpty { message += " " + choices.joined(separator: ", ") }
            if message.hasPrefix("Error: ") { message = String(message.dropFirst(7)) }
            Output.standardError("error: \(message) (see `stackup help`)\n")
            Foundation.exit(2)
        }
    }
}

/// A usage or environment problem: printed as one line, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension ParsableCommand {
    /// Prints one clear line and exits 2.
    static func failUsage(_ message: String) -> Never {
        Output.standardError("error: \(message)\n")
        Foundation.exit(2)
    }
}
