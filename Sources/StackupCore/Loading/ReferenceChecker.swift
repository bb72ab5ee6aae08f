/// Checks that every name a design uses refers to something it defines.
package struct ReferenceChecker {
    package let design: Design
    let diagnostics: Diagnostics
    /// True when some file names an entry, even one that failed to decode.
    let hasEntryNames: Bool

    /// Listed once: every unknown reference looks through them for a hint.
    let stageIds: [String]

    init(design: Design, diagnostics: Diagnostics, hasEntryNames: Bool) {
        self.design = design
        self.diagnostics = diagnostics
        self.hasEntryNames = hasEntryNames
        stageIds = design.stages.map(\.id)
    }

    func stageReference(_ ref: Located<String>, _ what: String, stage: String? = nil) {
        guard design.stageIndex[ref.value] == nil else { return }
        diagnostics.add(UnknownReferenceRule.finding(
            .notAStage(what, ref.value, hint: diagnostics.hint(for: ref.value, among: stageIds)),
            at: ref.location, stage: stage))
    }

    func check() {
        for entry in design.entries {
            stageReference(entry.to, "entry `\(entry.name)` goes to")
        }
        for stage in design.stages {
            for route in stage.routes { stageReference(route.to, "a route of stage `\(stage.id)` goes to", stage: stage.id) }
            if let r = stage.rejectsTo { stageReference(r, "`rejects_to` of stage `\(stage.id)` is", stage: stage.id) }
        }
        for promise in design.customer.promises {
            for end in [promise.from, promise.to] {
                if case .stages(let refs) = end {
                    for ref in refs { stageReference(ref, "promise `\(promise.name)` refers to") }
                }
            }
        }
        let outcomeNames = Outcome.allCases.map(\.rawValue)
        for target in design.customer.targets {
            let name = target.outcome.value
            if outcomeNames.contains(name) { continue }
            if let stage = design.stage(name) {
                if stage.isOutcome { continue }
                diagnostics.add(UnknownReferenceRule.finding(.targetNotAnOutcome(name),
                                                             at: target.outcome.location))
                continue
            }
            diagnostics.add(UnknownReferenceRule.finding(
                .targetNamesNoOutcome(name, hint: diagnostics.hint(for: name, among: outcomeNames + design.stages.filter(\.isOutcome).map(\.id))),
                at: target.outcome.location))
        }
        if design.entries.isEmpty && !hasEntryNames {
            diagnostics.add(SchemaRule.finding(.noEntries,
                                               at: Location(file: design.file, span: .init(at: .start))))
        }
    }
}
