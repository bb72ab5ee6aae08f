import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the JSON Schema (draft-07) of the design format.")

    func run() throws {
        try Output.standardOutput(FormatSchema.json())
    }
}
