import Foundation
import Testing
import StackupYAML
@testable import StackupCore

/// The shipped examples load cleanly and, together, use every key of format v1.
@Suite struct ExampleSpecsTests {
    static let examples = repositoryRoot.appendingPathComponent("Specs/examples")

    static func designFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { $0.hasSuffix(".stackup.yaml") }.sorted().map { examples.appendingPathComponent($0) }
    }

    @Test func thereAreAtLeastThreeExamples() {
        #expect(Self.designFiles().count >= 3)
    }

    @Test func examplesLoadWithoutLoadingProblems() throws {
        for file in Self.designFiles() {
            let report = Checker().check(file: file.path, rootFolder: Self.examples.path)
            let loading = report.findings.filter { loadingRules.contains($0.rule) }
            #expect(loading.isEmpty, "\(file.lastPathComponent): \(loading.map { "\($0.rule)@\($0.location) \($0.message)" })")
            #expect(report.design != nil)
        }
    }

    @Test func everyKeyOfTheFormatIsUsed() throws {
        var used = Set<String>()
        let fm = FileManager.default
        let walker = try #require(fm.enumerator(atPath: Self.examples.path))
        while let name = walker.nextObject() as? String {
            guard name.hasSuffix(".yaml") else { continue }
            let bytes = try #require(fm.contents(atPath: Self.examples.appendingPathComponent(name).path))
            var stack = [try #require(try YAMLParser.parseDocument(Array(bytes)).root)]
            while let node = stack.popLast() {
                switch node.content {
                case .scalar: break
                case .sequence(let items): stack.append(contentsOf: items)
                case .mapping(let pairs):
                    for pair in pairs {
                        if let k = pair.key.scalar { used.insert(k) }
                        stack.append(pair.value)
                    }
                }
            }
        }
        let keys = FormatSchema.maps.flatMap(\.names)
        let missing = Set(keys).subtracting(used)
        #expect(missing.isEmpty, "unused keys: \(missing.sorted())")
    }

    @Test func assemblyLineModelIsDecodedFaithfully() throws {
        let file = Self.examples.appendingPathComponent("assembly-line.stackup.yaml")
        let design = try #require(Checker().check(file: file.path, rootFolder: Self.examples.path).design)
        #expect(design.entries.map(\.name) == ["web", "outbound_list"])
        #expect(design.entries[1].arrivesInBusinessHours && design.entries[1].cv == 2.5)
        #expect(design.stages.map(\.id).contains("closer"))
        let sdr = try #require(design.stage("inbound_sdr"))
        #expect(sdr.capacity.perWeek == 270)
        #expect(sdr.sla == .within(Duration(1, .businessDays)))
        #expect(sdr.handsOff?.map(\.value) == ["company", "timeline"])
        // Two routes and no catch-all: the deliberate gap.
        #expect(sdr.routes.count == 2 && sdr.routes.allSatisfy { $0.when != nil })
        #expect(design.customer.promises.map(\.name) == ["first-response", "qualified-to-proposal", "decision", "enterprise-to-bdm"])
        #expect(design.customer.promises[1].untilDone)
        #expect(design.customer.targets.first?.rate.perWeek.map { abs($0 - 40.0 * 7 / 30) < 1e-9 } == true)
        let customer: [String: AttributeValue] = ["lead_score": .number(60), "inbound": .bool(true), "segment": .symbol("mid"), "deal_size": .number(5000)]
        #expect(sdr.accepts?.holds(customer) == true)
        #expect(sdr.routes[1].when?.holds(customer) == false)
    }

    /// `stackup schema` is generated; the committed copy must match it.
    @Test func committedSchemaIsCurrent() throws {
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("Schema/stackup.schema.json"), encoding: .utf8)
        #expect(committed == FormatSchema.json(), "Schema/stackup.schema.json is stale: run `swift run stackup schema > Schema/stackup.schema.json`")
    }

    @Test func everyExampleStartsWithTheSchemaModeline() throws {
        let fm = FileManager.default
        let walker = try #require(fm.enumerator(atPath: Self.examples.path))
        var checked = 0
        while let name = walker.nextObject() as? String {
            guard name.hasSuffix(".yaml") else { continue }
            let text = try String(contentsOf: Self.examples.appendingPathComponent(name), encoding: .utf8)
            let depth = name.split(separator: "/").count
            let expected = "# yaml-language-server: $schema=" + String(repeating: "../", count: depth + 1) + "Schema/stackup.schema.json\n"
            #expect(text.hasPrefix(expected), "\(name)")
            checked += 1
        }
        #expect(checked == 4)
    }
}
