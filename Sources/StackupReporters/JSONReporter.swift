import Foundation
import StackupCore

/// The JSON report of format.md, version 1. Codable structs, never untyped dictionaries.
public enum JSONReporter {
    public static let toolVersion = "0.1.0"

    struct Report: Encodable {
        let version = 1
        let tool = Tool()
        let findings: [JSONFinding]
        let metrics: Metrics
        let summary: Summary
    }

    struct Tool: Encodable {
        let name = "stackup"
        let version = JSONReporter.toolVersion
    }

    struct JSONLocation: Encodable {
        let file: String
        let line: Int
        let column: Int
        let end_line: Int
        let end_column: Int

        init(_ l: Location) {
            file = l.file
            line = l.line
            column = l.column
            end_line = l.span.end.line
            end_column = l.span.end.column
        }
    }

    struct JSONRelated: Encodable {
        let location: JSONLocation
        let message: String
    }

    /// A value in an example customer.
    enum JSONValue: Encodable {
        case number(Double), string(String), bool(Bool)

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let d):
                if d == d.rounded(), abs(d) < 1e15 { try c.encode(Int(d)) } else { try c.encode(d) }
            case .string(let s): try c.encode(s)
            case .bool(let b): try c.encode(b)
            }
        }
    }

    struct JSONFinding: Encodable {
        let rule: String
        let severity: String
        let message: String
        let location: JSONLocation
        let stage: String?
        let path: [String]?
        let example: [String: JSONValue]?
        let related: [JSONRelated]
        let notes: [String]
        let help: String?

        enum CodingKeys: String, CodingKey { case rule, severity, message, location, stage, path, example, related, notes, help }

        // Explicit nulls: format.md says `stage`, `path` and `example` are null where they do not apply.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(severity, forKey: .severity)
            try c.encode(message, forKey: .message)
            try c.encode(location, forKey: .location)
            try c.encode(stage, forKey: .stage)
            try c.encode(path, forKey: .path)
            try c.encode(example, forKey: .example)
            try c.encode(related, forKey: .related)
            try c.encode(notes, forKey: .notes)
            try c.encode(help, forKey: .help)
        }
    }

    struct Metrics: Encodable {
        let promises: [String: PromiseMetrics]
        let stages: [String: StageMetrics]
    }

    /// Filled by the time analyses; empty until then.
    struct PromiseMetrics: Encodable {}
    /// Filled by the flow analyses; empty until then.
    struct StageMetrics: Encodable {}

    struct Summary: Encodable {
        let errors: Int
        let warnings: Int
        let notes: Int
        let files: Int
    }

    /// The report for findings from `files` design files.
    public static func render(_ findings: [Finding], files: Int) -> String {
        let report = Report(
            findings: findings.map(convert),
            metrics: Metrics(promises: [:], stages: [:]),
            summary: Summary(errors: findings.filter { $0.severity == .error }.count,
                             warnings: findings.filter { $0.severity == .warning }.count,
                             notes: findings.filter { $0.severity == .note }.count,
                             files: files))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func convert(_ f: Finding) -> JSONFinding {
        var example: [String: JSONValue]?
        if let e = f.example {
            var values: [String: JSONValue] = [:]
            for (name, value) in e.values {
                switch value {
                case .number(let d): values[name] = .number(d)
                case .symbol(let s): values[name] = .string(s)
                case .bool(let b): values[name] = .bool(b)
                }
            }
            example = values
        }
        return JSONFinding(rule: f.rule, severity: f.severity.rawValue, message: f.message, location: JSONLocation(f.location),
                           stage: f.stage, path: f.path, example: example,
                           related: f.related.map { JSONRelated(location: JSONLocation($0.location), message: $0.message) },
                           notes: f.notes, help: f.help)
    }
}
