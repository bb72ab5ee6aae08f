import Foundation
import StackupCore

/// SARIF 2.1.0, with what GitHub code scanning reads: full rule metadata, regions with start
/// and end, relative URIs, related locations (the journey's steps among them) with unique ids,
/// and partial fingerprints. Codable structs only.
public enum SARIFReporter {
    struct Log: Encodable {
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        let tool: Tool
        let invocations: [Invocation]?
        let originalUriBaseIds: [String: ArtifactLocationBase]?
        let automationDetails: AutomationDetails?
        let columnKind = "unicodeCodePoints"
        let results: [Result]
    }

    struct Invocation: Encodable {
        let executionSuccessful = true
        let workingDirectory: ArtifactLocationBase
    }
    struct ArtifactLocationBase: Encodable { let uri: String }
    struct AutomationDetails: Encodable { let id: String }

    /// Where the run happened: paths in results are relative to `sourceRoot` (`%SRCROOT%`).
    public struct Context: Sendable {
        public var sourceRoot: String?
        public var workingDirectory: String?
        /// `automationDetails.id`: GitHub keeps one analysis per category.
        public var category: String?
        /// `docs-url`: each rule's `helpUri` is `<docs-url>#<rule-id>`.
        public var docsURL: String?

        public init(sourceRoot: String? = nil, workingDirectory: String? = nil, category: String? = nil, docsURL: String? = nil) {
            self.sourceRoot = sourceRoot
            self.workingDirectory = workingDirectory
            self.category = category
            self.docsURL = docsURL
        }
    }

    struct Suppression: Encodable {
        let kind: String
        let justification: String?
        let location: ResultLocation?
    }

    struct Tool: Encodable { let driver: Driver }

    struct Driver: Encodable {
        let name = "stackup"
        let version = JSONReporter.toolVersion
        let semanticVersion = JSONReporter.toolVersion
        let informationUri = "https://github.com/stackup/stackup"
        let rules: [Rule]
    }

    struct Text: Encodable { let text: String }
    struct Help: Encodable { let text: String; let markdown: String }
    struct Configuration: Encodable { let level: String }
    struct Properties: Encodable {
        let tags: [String]
        let precision = "high"
        let problemSeverity: String
        enum CodingKeys: String, CodingKey { case tags, precision, problemSeverity = "problem.severity" }
    }

    struct Rule: Encodable {
        let id: String
        let name: String
        let shortDescription: Text
        let fullDescription: Text
        let helpUri: String?
        let help: Help
        let defaultConfiguration: Configuration
        let properties: Properties
    }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
        let endLine: Int
        let endColumn: Int
    }

    struct ArtifactLocation: Encodable {
        let uri: String
        /// `%SRCROOT%` for a relative path; absent for an absolute one (a `file://` URI).
        let uriBaseId: String?
    }
    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }
    struct ResultLocation: Encodable { let physicalLocation: PhysicalLocation }
    struct RelatedLocation: Encodable {
        let id: Int
        let message: Text
        let physicalLocation: PhysicalLocation
    }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Text
        let locations: [ResultLocation]
        let relatedLocations: [RelatedLocation]?
        let partialFingerprints: [String: String]
        let suppressions: [Suppression]?
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    /// A URI reference for a path: relative paths stay relative, with unsafe characters escaped.
    static func uri(_ path: String) -> String {
        let allowed = CharacterSet.urlPathAllowed
        let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return path.hasPrefix("/") ? "file://" + escaped : escaped
    }

    static func physical(_ l: Location) -> PhysicalLocation {
        // A zero-width span still needs an end after its start.
        let endLine = max(l.span.end.line, l.line)
        let endColumn = endLine == l.line ? max(l.span.end.column, l.column + 1) : max(l.span.end.column, 1)
        return PhysicalLocation(artifactLocation: ArtifactLocation(uri: uri(l.file), uriBaseId: l.file.hasPrefix("/") ? nil : "%SRCROOT%"),
                                region: Region(startLine: max(l.line, 1), startColumn: max(l.column, 1), endLine: endLine, endColumn: endColumn))
    }

    /// A folder as a `file://` URI ending in `/`, as `originalUriBaseIds` needs.
    static func folderURI(_ path: String) -> String {
        let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        return "file://" + escaped + (escaped.hasSuffix("/") ? "" : "/")
    }

    public static func render(_ findings: [Finding], rules descriptions: [RuleDescription], suppressed: [SuppressedFinding] = [],
                              context: Context = Context()) -> String {
        let rules = descriptions.map { d in
            Rule(id: d.id, name: d.typeName.replacingOccurrences(of: "Rule", with: ""), shortDescription: Text(text: d.summary),
                 fullDescription: Text(text: d.rationale), helpUri: context.docsURL.map { "\($0)#\(d.id)" },
                 help: Help(text: "\(d.rationale)\n\n\(d.fix)", markdown: RuleDocs.explainMarkdown(d)),
                 defaultConfiguration: Configuration(level: level(d.severity)),
                 properties: Properties(tags: ["stackup"], problemSeverity: d.severity == .note ? "recommendation" : level(d.severity)))
        }
        let index = Dictionary(uniqueKeysWithValues: descriptions.enumerated().map { ($1.id, $0) })
        let all = findings.map { ($0, nil as SuppressedFinding?) } + suppressed.map { ($0.finding, $0) }
        let results = all.map { f, hidden -> Result in
            var related: [RelatedLocation] = []
            for r in f.related { related.append(RelatedLocation(id: related.count + 1, message: Text(text: r.message), physicalLocation: physical(r.location))) }
            for (k, step) in (f.journey ?? []).enumerated() {
                related.append(RelatedLocation(id: related.count + 1, message: Text(text: "journey step \(k + 1): \(step.name)"),
                                               physicalLocation: physical(step.location)))
            }
            var message = f.message
            if let example = f.example, !example.values.isEmpty { message += " Example customer: \(example.description)." }
            return Result(ruleId: f.rule, ruleIndex: index[f.rule] ?? 0, level: level(f.severity), message: Text(text: message),
                          locations: [ResultLocation(physicalLocation: physical(f.location))],
                          relatedLocations: related.isEmpty ? nil : related,
                          partialFingerprints: ["stackup/v1": Fingerprint.of(f)],
                          suppressions: hidden.map { [Suppression(kind: $0.kind.rawValue, justification: $0.justification,
                                                                  location: $0.location.map { ResultLocation(physicalLocation: physical($0)) })] })
        }
        let run = Run(tool: Tool(driver: Driver(rules: rules)),
                      invocations: context.workingDirectory.map { [Invocation(workingDirectory: ArtifactLocationBase(uri: folderURI($0)))] },
                      originalUriBaseIds: context.sourceRoot.map { ["%SRCROOT%": ArtifactLocationBase(uri: folderURI($0))] },
                      automationDetails: context.category.map { AutomationDetails(id: $0.hasSuffix("/") ? $0 : $0 + "/") },
                      results: results)
        let log = Log(runs: [run])
        return JSONOutput.encode(log)
    }
}
