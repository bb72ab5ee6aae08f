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

    /// `metrics.promises[name]`: the contract's fields, plus intervals, shares and counts.
    struct PromiseMetrics: Encodable {
        /// `calendar`, or `business`: every `*_hours` figure is then in working hours.
        let time: String
        let worst_case_hours: Double?
        /// False when a stage or delay on the worst path has no upper bound: the figure is
        /// then their highest percentiles added up, which some customers exceed.
        let worst_case_bounded: Bool
        let unbounded_segments: [String]
        let p50_hours: Double?
        let p90_hours: Double?
        let p99_hours: Double?
        let p50_interval_hours: [Double]?
        let p90_interval_hours: [Double]?
        let p99_interval_hours: [Double]?
        let budget_p50_hours: Double?
        let budget_p90_hours: Double?
        let budget_p99_hours: Double?
        let budget_max_hours: Double?
        let p_meet: [String: Proportion]
        let samples: Int
        let reached: Int
        let dropped: Int
        let unreached: Int
        let contributions: [JSONContribution]
        let assumed_shape: [String]
        /// The customers a promise with `for` is made to, in words; absent when it is made to
        /// everyone. Every figure then counts only them.
        let `for`: String?
    }

    struct Proportion: Encodable {
        let value: Double
        let interval: [Double]
    }

    struct JSONContribution: Encodable {
        let segment: String
        let spec: String
        let worst_case_hours: Double
        let worst_case_share: Double
        let tail_share: Double?
        let bounded: Bool
    }

    /// `metrics.stages[id]`: load at the declared rates.
    struct StageMetrics: Encodable {
        let arrivals_per_week: Double
        let capacity_per_week: Double?
        let utilization: Double?
        let predicted_wait_hours: Double?
        let time_in_stage_hours: Double
        let arrival_scv: Double
    }

    struct Summary: Encodable {
        let errors: Int
        let warnings: Int
        let notes: Int
        let files: Int
    }

    /// The report for findings from `files` design files, with each design's metrics (keyed by
    /// its file). Metric names are plain when unique across designs, else `file#name`.
    public static func render(_ findings: [Finding], files: Int, metrics: [(file: String, metrics: DesignMetrics)] = []) -> String {
        var names: [String: Int] = [:]
        for (_, m) in metrics { for p in m.promises { names[p.name, default: 0] += 1 } }
        var stageNames: [String: Int] = [:]
        for (_, m) in metrics { for st in m.stages { stageNames[st.stage, default: 0] += 1 } }
        var promises: [String: PromiseMetrics] = [:]
        var stages: [String: StageMetrics] = [:]
        for (file, m) in metrics {
            for p in m.promises { promises[names[p.name] == 1 ? p.name : "\(file)#\(p.name)"] = convert(p) }
            for st in m.stages { stages[stageNames[st.stage] == 1 ? st.stage : "\(file)#\(st.stage)"] = convert(st.load) }
        }
        let report = Report(
            findings: findings.map(convert),
            metrics: Metrics(promises: promises, stages: stages),
            summary: Summary(errors: findings.filter { $0.severity == .error }.count,
                             warnings: findings.filter { $0.severity == .warning }.count,
                             notes: findings.filter { $0.severity == .note }.count,
                             files: files))
        return JSONOutput.encode(report)
    }

    /// Hours with three decimals, so that output stays byte-stable and readable.
    static func hours(_ minutes: Double?) -> Double? {
        guard let minutes, minutes.isFinite else { return nil }
        return (minutes / 60 * 1000).rounded() / 1000
    }

    static func share(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }

    static func rounded(_ x: Double?) -> Double? {
        guard let x, x.isFinite else { return nil }
        return (x * 1000).rounded() / 1000
    }

    static func convert(_ load: FlowAnalysis.StageLoad) -> StageMetrics {
        StageMetrics(arrivals_per_week: rounded(load.arrivalsPerWeek) ?? 0, capacity_per_week: rounded(load.capacityPerWeek),
                     utilization: load.utilization.map(share), predicted_wait_hours: rounded(load.waitHours),
                     time_in_stage_hours: rounded(load.timeInStageHours) ?? 0, arrival_scv: rounded(load.arrivalSCV) ?? 0)
    }

    static func convert(_ p: StackupCore.PromiseMetrics) -> PromiseMetrics {
        let q = p.statistics?.quantiles ?? [:]
        let budget = { (key: String) in hours(p.budgets.first { $0.key == key }?.minutes) }
        let interval = { (key: String) -> [Double]? in q[key].map { [hours($0.low) ?? 0, hours($0.high) ?? 0] } }
        var meet: [String: Proportion] = [:]
        for (key, e) in p.statistics?.pMeet ?? [:] { meet[key] = Proportion(value: share(e.value), interval: [share(e.low), share(e.high)]) }
        return PromiseMetrics(
            time: p.measure == .calendar ? "calendar" : "business",
            worst_case_hours: hours(p.worstCaseMinutes), worst_case_bounded: p.unboundedSegments.isEmpty, unbounded_segments: p.unboundedSegments, p50_hours: hours(q["p50"]?.value), p90_hours: hours(q["p90"]?.value),
            p99_hours: hours(q["p99"]?.value), p50_interval_hours: interval("p50"), p90_interval_hours: interval("p90"),
            p99_interval_hours: interval("p99"), budget_p50_hours: budget("p50"), budget_p90_hours: budget("p90"),
            budget_p99_hours: budget("p99"), budget_max_hours: budget("max"), p_meet: meet, samples: p.samples,
            reached: p.statistics?.reached ?? 0, dropped: p.statistics?.dropped ?? 0, unreached: p.statistics?.unreached ?? 0,
            contributions: p.contributions.map {
                JSONContribution(segment: $0.segment, spec: $0.spec, worst_case_hours: hours($0.worstCaseMinutes) ?? 0,
                                 worst_case_share: share($0.worstCaseShare), tail_share: $0.tailShare.map(share), bounded: $0.isBounded)
            },
            assumed_shape: p.assumedShapes, for: p.population)
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
