/// Everything there is to say about a rule, as a value: `stackup explain`, `stackup rules`,
/// the generated docs, SARIF `rules[]` and the generic example test all read this.
public struct RuleDescription: Sendable {
    /// Kebab-case id, e.g. `criteria-gap`.
    public let id: String
    public let severity: Severity
    /// One line: what the rule finds.
    public let summary: String
    /// Why it matters.
    public let rationale: String
    /// What to do instead.
    public let fix: String
    /// A design that triggers the rule. A comment line holding `^` marks the expected
    /// location: the line above it, at the caret's column.
    public let failingExample: String
    /// A design that does not trigger the rule.
    public let passingExample: String
    /// Limits (`--limit NAME=VALUE`) both examples are checked with, for a rule about limits
    /// whose defaults no short example could reach.
    public let exampleLimits: [String: Int]
    /// When the rule reports: while the design loads (the file itself is at fault; such rules
    /// cannot be turned off), about suppression comments (which no comment can silence), or
    /// on the loaded design.
    package let phase: Phase
    /// For a rule of `calibrate`: the long CSV log both examples are calibrated on.
    public let exampleLog: String?

    public enum Phase: Sendable { case loading, suppressions, analysis, calibration }

    public init(id: String, severity: Severity, summary: String, rationale: String, fix: String,
                failingExample: String, passingExample: String, exampleLimits: [String: Int] = [:], phase: Phase = .analysis,
                exampleLog: String? = nil) {
        self.exampleLimits = exampleLimits
        self.exampleLog = exampleLog
        self.phase = phase
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.fix = fix
        self.failingExample = failingExample
        self.passingExample = passingExample
    }

    /// The type name the rule must have: `criteria-gap` → `CriteriaGapRule`.
    public var typeName: String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() + "Rule"
    }

    /// The limits the examples are checked with.
    var exampleLimitValues: Limits {
        var limits = Limits.default
        for (name, value) in exampleLimits.sorted(by: { $0.key < $1.key }) { _ = limits.set("\(name)=\(value)") }
        return limits
    }

    /// How the examples are run, when they need limits: ` (with --limit committee-roles=2)`.
    public var exampleArguments: String {
        exampleLimits.sorted(by: { $0.key < $1.key }).map { "--limit \($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// Every marked position, in order (an example may mark several findings), with the
    /// severity the marker names after its caret (`# ^ note`), if it names one.
    static func markedPositions(in example: String) -> [(line: Int, column: Int, severity: Severity?)] {
        let lines = example.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [(line: Int, column: Int, severity: Severity?)] = []
        for (index, line) in lines.enumerated() where index > 0 {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("#"), trimmed.dropFirst().drop(while: { $0 == " " }).hasPrefix("^") else { continue }
            guard let caret = line.unicodeScalars.firstIndex(of: "^") else { continue }
            let after = String(line.unicodeScalars[line.unicodeScalars.index(after: caret)...]).split(separator: " ").first.map(String.init)
            out.append((index, line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: caret) + 1, after.flatMap(Severity.init(rawValue:))))
        }
        return out
    }

    /// The first marked position, 1-based line and column.
    public static func markedPosition(in example: String) -> (line: Int, column: Int)? {
        markedPositions(in: example).first.map { ($0.line, $0.column) }
    }
}

/// A rule: a description plus a check. Rules that concern the file itself (YAML, schema,
/// references) are reported while loading, through their `finding` factories; their
/// `check` has nothing further to add.
package protocol Rule: Sendable {
    static var description: RuleDescription { get }
    /// Findings for a design that loaded. Reads facts from `analyses`; never recomputes them.
    static func check(_ design: Design, _ analyses: Analyses) -> [Finding]
}

extension Rule {
    package static func check(_ design: Design, _ analyses: Analyses) -> [Finding] { [] }

    /// A finding of this rule at its default severity.
    package static func finding(_ message: String, at location: Location, severity: Severity? = nil, stage: String? = nil,
                               journey: [JourneyStep]? = nil, example: ExampleCustomer? = nil,
                               related: [RelatedLocation] = [], notes: [String] = [], help: String? = nil,
                               table: FindingTable? = nil, subject: String? = nil) -> Finding {
        Finding(rule: description.id, severity: severity ?? description.severity, message: message, location: location,
                stage: stage, journey: journey, example: example, related: related, notes: notes, help: help, table: table,
                subject: subject)
    }
}

/// A rule of `calibrate`: it judges a design against what a log measured, and has nothing to
/// say about a design alone.
package protocol CalibrationRule: Rule {
    static func check(_ design: Design, _ calibration: Calibration) -> [Finding]
}

/// What a loading rule says. Made only by the static functions in the rule's own file, so that
/// every word the rule can say sits beside its description; the loader chooses among them.
struct RuleMessage<R: Rule>: Sendable {
    let text: String

    init(_ text: String) { self.text = text }
}

extension Rule {
    /// A finding of this rule with one of its own messages.
    static func finding(_ message: RuleMessage<Self>, at location: Location, severity: Severity? = nil, stage: String? = nil,
                        related: [RelatedLocation] = [], notes: [String] = [], help: String? = nil) -> Finding {
        finding(message.text, at: location, severity: severity, stage: stage, related: related, notes: notes, help: help)
    }
}

/// The explicit list of every rule, one per line, in catalogue order.
public enum RuleRegistry {
    package static let all: [any Rule.Type] = [
        InvalidYamlRule.self,
        SchemaRule.self,
        UnknownReferenceRule.self,
        InvalidIncludeRule.self,
        InvalidSlaRule.self,
        TypeMismatchRule.self,
        OverLimitRule.self,
        UnreachableStageRule.self,
        DeadEndRule.self,
        ShadowedRouteRule.self,
        CriteriaGapRule.self,
        HandoffBounceRule.self,
        PromiseBrokenRule.self,
        PromiseAtRiskRule.self,
        BusinessHoursStackupRule.self,
        VacuousPromiseRule.self,
        ContextLossRule.self,
        AskedTwiceRule.self,
        TooManyHandoffsRule.self,
        RelationshipOwnerRule.self,
        CommitteeGapRule.self,
        UnboundedLoopRule.self,
        OverCapacityRule.self,
        QueueBreaksSlaRule.self,
        TargetShortfallRule.self,
        InvalidSuppressionRule.self,
        UnusedSuppressionRule.self,
        SlaDriftRule.self,
        RouteDriftRule.self,
        RateDriftRule.self,
        UndeclaredTransitionRule.self,
    ]

    /// The rules of `calibrate`, in catalogue order.
    package static let calibration: [any CalibrationRule.Type] = all.compactMap { $0 as? any CalibrationRule.Type }

    /// The ids of the rules of `calibrate`: only `calibrate` runs them.
    public static let calibrationRuleIds: Set<String> = Set(calibration.map { $0.description.id })

    /// The rules that report while a design loads: the file itself is at fault, and the
    /// analyses run on what could be read.
    public static let loadingRuleIds: Set<String> = Set(all.map { $0.description }.filter { $0.phase == .loading }.map { $0.id })

    /// The rules about suppression comments themselves: a comment cannot suppress them.
    static let suppressionRuleIds: Set<String> = Set(all.map { $0.description }.filter { $0.phase == .suppressions }.map { $0.id })

    /// The rule with this id.
    package static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }

    public static var ids: [String] { all.map { $0.description.id } }

    /// The description of the rule with this id.
    public static func description(of id: String) -> RuleDescription? { rule(id)?.description }

    /// Every rule's description, in catalogue order: what `explain`, the docs and SARIF read.
    public static var descriptions: [RuleDescription] { all.map { $0.description } }
}
