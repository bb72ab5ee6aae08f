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
        subcommands: [CheckCommand.self, DiffCommand.self, SimulateCommand.self, CalibrateCommand.self, RulesCommand.self, ExplainCommand.self, SchemaCommand.self, GraphCommand.self, LimitsCommand.self]
    )

    /// swift-argument-parser exits 64 on usage errors; stackup documents 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let usage as UsageError {
            if usage.isReaderGone {
                // As `cat` ends when its reader goes away: by SIGPIPE, quietly.
                signal(SIGPIPE, SIG_DFL)
                raise(SIGPIPE)
                Foundation.exit(141)
            }
            Output.standardError(usage.text)
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
/// Commands throw it; the entry point alone prints it and exits 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    /// Printed after `error: message`, each on its own line (a file's further problems).
    var moreLines: [String] = []
    init(_ message: String, moreLines: [String] = []) {
        self.message = message
        self.moreLines = moreLines
    }
    var description: String { message }
    /// Standard output's reader went away (EPIPE): not an error to report.
    private(set) var isReaderGone = false
    static var readerGone: UsageError {
        var error = UsageError("standard output was closed by its reader")
        error.isReaderGone = true
        return error
    }
    var text: String { (["error: \(message)"] + moreLines).map { $0 + "\n" }.joined() }
}
