import Foundation
import Testing
@testable import StackupCore
@testable import StackupReporters

@Suite struct GraphReporterTests {
    func input(_ spec: String) throws -> GraphReporter.Input {
        let report = try checkSpec(spec)
        let design = try #require(report.design)
        return GraphReporter.Input(design: design, findings: report.findings)
    }

    @Test func mermaidAndDotAreGolden() throws {
        let i = try input("Specs/examples/hybrid-overlay.stackup.yaml")
        try expectGolden(GraphReporter.render(i, format: .mermaid), goldenFolder.appendingPathComponent("hybrid-overlay.mmd"))
        try expectGolden(GraphReporter.render(i, format: .dot), goldenFolder.appendingPathComponent("hybrid-overlay.dot"))
    }

    @Test func stagesAreDrawnByKindAndMarkedByFindings() throws {
        let i = try input("Specs/examples/hybrid-overlay.stackup.yaml")
        let mermaid = GraphReporter.render(i, format: .mermaid)
        // Stages are s0… in the order written: sdr, smb_desk, ae, specialist, won, lost.
        #expect(mermaid.contains("  s4((\"won\"))\n"))
        #expect(mermaid.contains("  s2[[\"ae: Account executive\"]]\n"))
        #expect(mermaid.contains("  s0(\"sdr: Inbound SDR\")\n"))
        #expect(mermaid.contains("  s3 -.->|\"rejected\"| s2\n"))
        #expect(mermaid.contains("  class s2 error\n"))
        let dot = GraphReporter.render(i, format: .dot)
        #expect(dot.contains("s5 [label=\"lost\", shape=doublecircle];"))
        // `won` carries committee-gap warnings.
        #expect(dot.contains("s4 [label=\"won\", shape=doublecircle, color=\"orange\", penwidth=2];"))
        #expect(dot.contains("peripheries=2"))
    }

    @Test func labelsAreEscaped() {
        #expect(GraphReporter.mermaidText("a \"b\" #1 <i> `x` | y\r\nz") == "a #quot;b#quot; #35;1 #lt;i> #96;x#96; #124; y  z")
        #expect(GraphReporter.dotText("a \"b\" \\ c\rd") == "a \\\"b\\\" \\\\ c d")
    }

    static let hostile = """
    stackup: 1
    entries:
      "web \\" ]; evil": {to: a-b, rate: 10/week}
    stages:
      a-b: {team: "x\\\" -> y", routes: [{to: "a b"}]}
      "a b": {team: "#quot; [brackets] (parens) {braces} | pipe", routes: [{to: a.b}]}
      a.b: {team: "line\\nbreak \\N <b>html</b> `md`", routes: [{to: "a_b"}]}
      "a_b": {team: "日本語 🚀", routes: [{to: "won ]; x"}]}
      "won ]; x": {outcome: won}
    """

    /// Names that collide once reduced to letters, and labels full of each language's
    /// special characters: every stage is its own node, and Graphviz reads the DOT cleanly.
    @Test func hostileNamesStayApartAndRenderCleanly() throws {
        let report = Checker.check(text: Self.hostile)
        let design = try #require(report.design)
        #expect(design.stages.count == 5, "\(report.findings.map(\.message))")
        let input = GraphReporter.Input(design: design, findings: report.findings)
        let dot = GraphReporter.render(input, format: .dot)
        let mermaid = GraphReporter.render(input, format: .mermaid)
        for index in 0..<5 {
            #expect(dot.contains("  s\(index) [label="), "stage \(index) is not its own DOT node")
            #expect(mermaid.contains("  s\(index)"), "stage \(index) is not its own Mermaid node")
        }
        // Every statement stays on its line: one line per node and edge, and no raw quote.
        #expect(dot.split(separator: "\n").count == 4 + 1 + 5 + 1 + 4 + 1)
        #expect(!mermaid.contains("\r"))
        for line in mermaid.split(separator: "\n").dropFirst() where line.contains("\"") {
            #expect(line.filter { $0 == "\"" }.count % 2 == 0, "unbalanced quotes: \(line)")
        }
        guard let dotTool = ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            try Test.cancel("Graphviz `dot` is not installed here; .ci/run installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dotTool)
        process.arguments = ["-Tsvg"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(dot.utf8))
        try stdin.fileHandleForWriting.close()
        let svg = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let warnings = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && warnings.isEmpty, "dot: \(warnings)")
        #expect(svg.components(separatedBy: "class=\"node\"").count - 1 == 6, "every stage and the entry is one SVG node")
    }
}
