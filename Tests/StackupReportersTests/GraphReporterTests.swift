import Testing
@testable import StackupCore
@testable import StackupReporters

@Suite struct GraphReporterTests {
    func input(_ spec: String) throws -> GraphReporter.Input {
        let report = try checkSpec(spec)
        let design = try #require(report.design)
        return GraphReporter.Input(design: design, analyses: Analyses(design: design, samples: 1), findings: report.findings)
    }

    @Test func mermaidAndDotAreGolden() throws {
        let i = try input("Specs/examples/hybrid-overlay.stackup.yaml")
        try expectGolden(GraphReporter.render(i, format: .mermaid), goldenFolder.appendingPathComponent("hybrid-overlay.mmd"))
        try expectGolden(GraphReporter.render(i, format: .dot), goldenFolder.appendingPathComponent("hybrid-overlay.dot"))
    }

    @Test func stagesAreDrawnByKindAndMarkedByFindings() throws {
        let i = try input("Specs/examples/hybrid-overlay.stackup.yaml")
        let mermaid = GraphReporter.render(i, format: .mermaid)
        #expect(mermaid.contains("  s_won((\"won\"))\n"))
        #expect(mermaid.contains("  s_ae[[\"ae: Account executive\"]]\n"))
        #expect(mermaid.contains("  s_sdr(\"sdr: Inbound SDR\")\n"))
        #expect(mermaid.contains("  s_specialist -.->|\"rejected\"| s_ae\n"))
        #expect(mermaid.contains("  class s_ae error\n"))
        let dot = GraphReporter.render(i, format: .dot)
        #expect(dot.contains("s_lost [label=\"lost\", shape=doublecircle];"))
        // `won` carries committee-gap warnings.
        #expect(dot.contains("s_won [label=\"won\", shape=doublecircle, color=\"orange\", penwidth=2];"))
        #expect(dot.contains("peripheries=2"))
    }

    @Test func labelsAreEscaped() {
        #expect(GraphReporter.mermaidText("a \"b\"") == "a #quot;b#quot;")
        #expect(GraphReporter.dotText("a \"b\" \\ c") == "a \\\"b\\\" \\\\ c")
        #expect(GraphReporter.id("s", "sales-team 1") == "s_sales_team_1")
    }
}
