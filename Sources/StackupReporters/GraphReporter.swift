import StackupCore

/// The journey as a graph, in Mermaid or Graphviz DOT: entries, stages by kind (contact,
/// owner, outcome), routes labelled with the customers they take, rejections dashed, and the
/// stages that findings concern marked by their worst severity. A pure function.
public enum GraphReporter {
    public enum Format: String, CaseIterable, Sendable { case mermaid, dot }

    /// What the graph shows of one design.
    public struct Input: Sendable {
        public var design: Design
        /// Per stage and route: the label, e.g. "segment = mid" or "otherwise".
        public var routeLabels: [[String]]
        /// Stage id → worst severity of the findings about it.
        public var marks: [String: Severity]

        public init(design: Design, routeLabels: [[String]], marks: [String: Severity]) {
            self.design = design
            self.routeLabels = routeLabels
            self.marks = marks
        }

        /// Labels from the compiled routes (who each takes, its `share` when below 1) and the
        /// share of the stage's customers expected to take it, from sampled customers.
        public init(design: Design, findings: [Finding]) {
            let shares = design.expectedRouteShares()
            let labels = design.routeLabels().enumerated().map { s, routes in
                routes.enumerated().map { r, label in
                    // A route without `when` and with a share takes part of everyone left.
                    let who = design.stages[s].routes[r].shareLabel.map { label == "otherwise" ? $0 : "\(label) (\($0))" } ?? label
                    return who + (shares.map { " · ≈\(NumberFormatting.percent($0[s][r]))" } ?? "")
                }
            }
            var marks: [String: Severity] = [:]
            for finding in findings {
                guard let stage = finding.stage else { continue }
                marks[stage] = max(marks[stage] ?? .note, finding.severity)
            }
            self.init(design: design, routeLabels: labels, marks: marks)
        }
    }

    public static func render(_ input: Input, format: Format) -> String {
        format == .mermaid ? mermaid(input) : dot(input)
    }

    /// Node ids by position (`s0`, `s1`, `e0`…), safe in both languages and never shared: ids
    /// made from names collided (`a-b`, `a b` and `a.b` were one node). Names are labels.
    static func id(_ prefix: String, _ name: String, in design: Design) -> String {
        let index = prefix == "e" ? design.entries.firstIndex { $0.name == name } : design.stageIndex[name]
        return index.map { "\(prefix)\($0)" } ?? "\(prefix)_unknown"
    }

    /// Line breaks and other controls become spaces: no label may end a statement.
    static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 ? " " : scalar
        }))
    }

    static func title(_ stage: Stage) -> String {
        stage.team.map { "\(stage.id): \($0)" } ?? stage.id
    }

    /// Text inside Mermaid's quotes: its entity codes (`#quot;`, `#35;`) for the characters
    /// that end a label, start an entity, an HTML tag (`<`) or a Markdown string.
    static func mermaidText(_ s: String) -> String {
        var out = ""
        for c in oneLine(s) {
            switch c {
            case "#": out += "#35;"
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case "|": out += "#124;"
            case "`": out += "#96;"
            default: out.append(c)
            }
        }
        return out
    }

    static func mermaid(_ input: Input) -> String {
        let design = input.design
        var out = "flowchart LR\n"
        for entry in design.entries { out += "  \(id("e", entry.name, in: design))([\"\(mermaidText(entry.name))\"])\n" }
        for stage in design.stages {
            let node = id("s", stage.id, in: design), text = mermaidText(title(stage))
            if stage.isOutcome { out += "  \(node)((\"\(text)\"))\n" }
            else if stage.ownsRelationship { out += "  \(node)[[\"\(text)\"]]\n" }
            else if stage.contact { out += "  \(node)(\"\(text)\")\n" }
            else { out += "  \(node)[\"\(text)\"]\n" }
        }
        for entry in design.entries where design.stage(entry.to.value) != nil {
            out += "  \(id("e", entry.name, in: design)) --> \(id("s", entry.to.value, in: design))\n"
        }
        for (s, stage) in design.stages.enumerated() {
            for (r, route) in stage.routes.enumerated() where design.stage(route.to.value) != nil {
                out += "  \(id("s", stage.id, in: design)) -->|\"\(mermaidText(input.routeLabels[s][r]))\"| \(id("s", route.to.value, in: design))\n"
            }
            if let back = stage.rejectsTo, design.stage(back.value) != nil {
                out += "  \(id("s", stage.id, in: design)) -.->|\"rejected\"| \(id("s", back.value, in: design))\n"
            }
        }
        out += "  classDef error stroke:#d00,stroke-width:3px\n  classDef warning stroke:#e90,stroke-width:3px\n  classDef note stroke:#09c,stroke-width:2px\n"
        for (stageId, severity) in input.marks.sorted(by: { $0.key < $1.key }) where design.stage(stageId) != nil {
            out += "  class \(id("s", stageId, in: design)) \(severity.rawValue)\n"
        }
        return out
    }

    /// Text inside a DOT quoted string: backslashes (which start `\n`, `\l`, `\N`…) and quotes
    /// escaped, on one line.
    static func dotText(_ s: String) -> String {
        oneLine(s).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func dot(_ input: Input) -> String {
        let design = input.design
        var out = "digraph journey {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n"
        for entry in design.entries { out += "  \(id("e", entry.name, in: design)) [label=\"\(dotText(entry.name))\", shape=ellipse, style=dashed];\n" }
        for stage in design.stages {
            var attributes = ["label=\"\(dotText(title(stage)))\""]
            if stage.isOutcome { attributes.append("shape=doublecircle") }
            else if stage.contact { attributes += ["shape=box", "style=rounded"] }
            else { attributes.append("shape=box") }
            if stage.ownsRelationship { attributes.append("peripheries=2") }
            if let severity = input.marks[stage.id] {
                attributes += ["color=\"\(severity == .error ? "red" : severity == .warning ? "orange" : "blue")\"", "penwidth=2"]
            }
            out += "  \(id("s", stage.id, in: design)) [\(attributes.joined(separator: ", "))];\n"
        }
        for entry in design.entries where design.stage(entry.to.value) != nil {
            out += "  \(id("e", entry.name, in: design)) -> \(id("s", entry.to.value, in: design));\n"
        }
        for (s, stage) in design.stages.enumerated() {
            for (r, route) in stage.routes.enumerated() where design.stage(route.to.value) != nil {
                out += "  \(id("s", stage.id, in: design)) -> \(id("s", route.to.value, in: design)) [label=\"\(dotText(input.routeLabels[s][r]))\"];\n"
            }
            if let back = stage.rejectsTo, design.stage(back.value) != nil {
                out += "  \(id("s", stage.id, in: design)) -> \(id("s", back.value, in: design)) [label=\"rejected\", style=dashed];\n"
            }
        }
        return out + "}\n"
    }
}
