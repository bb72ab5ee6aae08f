import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the JSON Schema (draft-07) of the design format.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, markdown }

    @Option(help: "json, or markdown for docs/keys.md (the key reference).")
    var format: Format = .json

    func run() throws {
        try Output.standardOutput(format == .json ? FormatSchema.json() : KeyDocs.markdown())
    }
}
