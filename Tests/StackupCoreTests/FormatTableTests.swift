import Foundation
import Testing
@testable import StackupCore

/// The format is declared once, in `FormatSchema.maps`: the decoder's unknown-key checks, the
/// committed JSON Schema and the committed key reference must list the same keys.
@Suite struct FormatTableTests {
    /// A design with one unknown key in the map under test, and where it goes.
    static var probes: [(map: FormatMap, what: String, yaml: String)] { [
        (FormatSchema.root, "the design", "stackup: 1\nbogus: 1\n"),
        (FormatSchema.calendar, "calendar", "stackup: 1\ncalendar: {bogus: 1}\n"),
        (FormatSchema.customer, "customer", "stackup: 1\ncustomer: {bogus: 1}\n"),
        (FormatSchema.promise, "promise `p`", "stackup: 1\ncustomer: {promises: {p: {to: won, max: 1d, bogus: 1}}}\n"),
        (FormatSchema.entry, "entry `web`", "stackup: 1\nentries: {web: {to: won, rate: 1/week, bogus: 1}}\n"),
        (FormatSchema.stage, "stage `won`", "stackup: 1\nstages: {won: {outcome: won, bogus: 1}}\n"),
        (FormatSchema.route, "route 1 of stage `a`", "stackup: 1\nstages: {a: {routes: [{to: won, bogus: 1}]}}\n"),
        (FormatSchema.capacity, "capacity", "stackup: 1\nstages: {a: {capacity: {people: 1, each: 1/day, bogus: 1}}}\n"),
        (FormatSchema.timeSpec, "sla", "stackup: 1\nstages: {a: {sla: {within: 1d, bogus: 1}}}\n"),
    ] }

    @Test(arguments: 0..<probes.count)
    func theDecoderRejectsExactlyTheUndeclaredKeys(_ index: Int) throws {
        let probe = Self.probes[index]
        let report = Checker.check(text: probe.yaml)
        let unknown = try #require(report.findings.first { $0.rule == "schema" && $0.message.hasPrefix("unknown key `bogus`") },
                                   "\(report.findings.map(\.message))")
        // The help lists what the map takes: the table's keys, in the table's order.
        let listed = try #require(unknown.help?.components(separatedBy: " takes: ").last)
        #expect(listed == probe.map.names.joined(separator: ", "), "\(probe.what): \(unknown.message)")
    }

    @Test func everyDeclaredKeyIsAccepted() {
        // Each map's keys, written once each with a throwaway value: some values are wrong,
        // but none may be reported as an unknown key.
        for probe in Self.probes {
            let keys = probe.map.names.map { "\($0): x" }.joined(separator: ", ")
            let yaml = probe.yaml.replacingOccurrences(of: "bogus: 1", with: keys)
            let report = Checker.check(text: yaml)
            let unknown = report.findings.filter { $0.message.hasPrefix("unknown key") }
            #expect(unknown.isEmpty, "\(probe.map.name): \(unknown.map(\.message))")
        }
    }

    @Test func theSchemaAndTheDocsHoldTheTable() throws {
        let schema = try String(contentsOf: repositoryRoot.appendingPathComponent("Schema/stackup.schema.json"), encoding: .utf8)
        let docs = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/keys.md"), encoding: .utf8)
        // Every map is a section whose rows are exactly its keys.
        for map in FormatSchema.maps {
            let section = try #require(docs.components(separatedBy: "\n## \(map.name)\n").dropFirst().first, "docs/keys.md lacks \(map.name)")
            let rows = section.components(separatedBy: "\n## ")[0].split(separator: "\n").filter { $0.hasPrefix("| `") }
            #expect(rows.map { $0.split(separator: "`")[1] } == map.names.map { Substring($0) }, "docs/keys.md, \(map.name)")
        }
        // And the schema's objects have exactly the table's properties.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])
        let properties = try #require(json["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(FormatSchema.root.names))
        let stages = try #require((properties["stages"] as? [String: Any])?["additionalProperties"] as? [String: Any])
        #expect(Set((stages["properties"] as? [String: Any])?.keys ?? [:].keys) == Set(FormatSchema.stage.names))
        #expect(stages["additionalProperties"] as? Bool == false)
    }
}
