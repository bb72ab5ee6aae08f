/// `stackup diff`: what changed between two versions of a set of designs.
public struct DesignDiff: Sendable {
    /// One promise in either version; figures in minutes, nil where a version lacks them.
    public struct PromiseDelta: Sendable, Equatable {
        public var file: String
        public var promise: String
        public var baseP90: Double?
        public var headP90: Double?
        public var baseWorst: Double?
        public var headWorst: Double?
        /// How the figures are measured (the head's, where both versions have the promise).
        public var measure: TimeMeasure = .calendar

        /// Relative change of p90 (0.25 = 25% slower); nil unless both versions have one.
        public var p90Change: Double? {
            guard let b = baseP90, let h = headP90 else { return nil }
            if b == 0 { return h == 0 ? 0 : .infinity }
            return (h - b) / b
        }
    }

    /// One stage with a capacity in either version: its utilisation in each.
    public struct StageDelta: Sendable, Equatable {
        public var file: String
        public var stage: String
        public var baseUtilization: Double?
        public var headUtilization: Double?
    }

    /// In the head version, not the base.
    public var introduced: [Finding] = []
    /// In the base version (as it was), not the head.
    public var resolved: [Finding] = []
    /// In both; as in the head version.
    public var unchanged: [Finding] = []
    public var promises: [PromiseDelta] = []
    public var stages: [StageDelta] = []
    /// Design files only in the head, only in the base (head naming), and in both.
    public var addedFiles: [String] = []
    public var removedFiles: [String] = []
    public var comparedFiles = 0

    /// One design file as checked in one version, named as the head version names it.
    /// The same diff with every file named by `rename` (for example relative to the
    /// repository root, as every output names files), after matching is done.
    public func renamed(_ rename: (String) -> String) -> DesignDiff {
        func renamed(_ f: Finding) -> Finding {
            var out = f
            out.location.file = rename(f.location.file)
            out.related = f.related.map { RelatedLocation(Location(file: rename($0.location.file), span: $0.location.span), $0.message) }
            out.journey = f.journey?.map { step in
                var renamed = step
                renamed.location.file = rename(step.location.file)
                return renamed
            }
            return out
        }
        var out = self
        out.introduced = introduced.map(renamed)
        out.resolved = resolved.map(renamed)
        out.unchanged = unchanged.map(renamed)
        out.promises = promises.map { var d = $0; d.file = rename(d.file); return d }
        out.stages = stages.map { var d = $0; d.file = rename(d.file); return d }
        out.addedFiles = addedFiles.map(rename)
        out.removedFiles = removedFiles.map(rename)
        return out
    }

    public struct Side: Sendable {
        public var file: String
        /// The file as its own version names it (for the base, before renaming to the head's
        /// name): rows that exist only in this version are shown under it.
        public var ownName: String
        public var findings: [Finding]
        public var metrics: DesignMetrics

        public init(file: String, ownName: String? = nil, findings: [Finding], metrics: DesignMetrics) {
            self.file = file
            self.ownName = ownName ?? file
            self.findings = findings
            self.metrics = metrics
        }
    }

    /// Compares two versions. `headName` maps a file as a base finding names it to the name
    /// the head version gives it, so that findings are matched by `FindingKey` across the two.
    public init(base: [Side], head: [Side], headName: (String) -> String) {
        let baseFiles = Set(base.map(\.file))
        let headFiles = Set(head.map(\.file))
        addedFiles = headFiles.subtracting(baseFiles).sorted()
        removedFiles = baseFiles.subtracting(headFiles).sorted()
        comparedFiles = baseFiles.intersection(headFiles).count

        let baseFindings = base.flatMap(\.findings).sorted(by: Finding.reportOrder)
        let headFindings = head.flatMap(\.findings).sorted(by: Finding.reportOrder)
        let match = KeyMatching.match(headFindings, key: { FindingKey($0, file: $0.location.file) },
                                      against: baseFindings, entryKey: { FindingKey($0, file: headName($0.location.file)) })
        introduced = match.unmatched
        unchanged = match.matched
        resolved = match.leftover

        var promiseTable: [String: PromiseDelta] = [:]
        var stageTable: [String: StageDelta] = [:]
        // Rows only the base has are shown under the base's own file name.
        var baseNames: [String: String] = [:]
        var seenInHead: [String: Bool] = [:]
        func promiseKey(_ file: String, _ name: String) -> String { file + "\u{1F}" + name }
        for (isHead, sides) in [(false, base), (true, head)] {
            for side in sides {
                for p in side.metrics.promises {
                    let k = promiseKey(side.file, p.name)
                    if !isHead { baseNames["p" + k] = side.ownName }
                    var delta = promiseTable[k] ?? PromiseDelta(file: side.file, promise: p.name)
                    let p90 = p.statistics?.quantiles["p90"]?.value
                    if isHead || delta.baseP90 == nil { delta.measure = p.measure }
                    if isHead {
                        delta.headP90 = p90
                        delta.headWorst = p.worstCaseMinutes
                    } else {
                        delta.baseP90 = p90
                        delta.baseWorst = p.worstCaseMinutes
                    }
                    promiseTable[k] = delta
                    seenInHead["p" + k] = seenInHead["p" + k] ?? false || isHead
                }
                for s in side.metrics.stages where s.load.utilization != nil {
                    let k = promiseKey(side.file, s.stage)
                    if !isHead { baseNames["s" + k] = side.ownName }
                    var delta = stageTable[k] ?? StageDelta(file: side.file, stage: s.stage)
                    if isHead { delta.headUtilization = s.load.utilization } else { delta.baseUtilization = s.load.utilization }
                    stageTable[k] = delta
                    seenInHead["s" + k] = seenInHead["s" + k] ?? false || isHead
                }
            }
        }
        for (k, delta) in promiseTable where seenInHead["p" + k] != true { promiseTable[k]?.file = baseNames["p" + k] ?? delta.file }
        for (k, delta) in stageTable where seenInHead["s" + k] != true { stageTable[k]?.file = baseNames["s" + k] ?? delta.file }
        promises = promiseTable.values.sorted { ($0.file, $0.promise) < ($1.file, $1.promise) }
        stages = stageTable.values.sorted { ($0.file, $0.stage) < ($1.file, $1.stage) }
    }

    /// Promises whose p90 got slower by more than `limit` (0.1 = 10%).
    public func regressions(limit: Double) -> [PromiseDelta] {
        promises.filter { ($0.p90Change ?? 0) > limit }
    }

    /// Whether the change should fail a pull request: a new finding at or above `failOn`, or a
    /// p90 regression past `limit`.
    public func fails(failOn: Severity, limit: Double) -> Bool {
        introduced.contains { $0.severity >= failOn } || !regressions(limit: limit).isEmpty
    }
}
