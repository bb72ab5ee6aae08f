import Testing
@testable import StackupCore
import StackupYAML

/// Every class of malformed input gives the right rule at the right line and column, and
/// loading goes on to the next problem.
@Suite struct MalformedInputTests {
    @Test func wrongType() {
        let r = Checker.check(text: design(stages: "  sdr:\n    contact: sometimes\n    routes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["schema@6:14"])
        #expect(r.findings.first { $0.rule == "schema" }?.message.contains("`sometimes`") == true)
    }

    @Test func unknownKeyWithDidYouMean() {
        let r = Checker.check(text: design(stages: "  sdr:\n    rotes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules).contains("schema@6:5"))
        #expect(r.findings.first { $0.rule == "schema" }?.message.contains("did you mean `routes`?") == true)
    }

    @Test func routeToAMissingStage() {
        let r = Checker.check(text: design(stages: "  sdr:\n    routes:\n      - to: wno\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules).contains("unknown-reference@7:13"))
        #expect(r.findings.first { $0.rule == "unknown-reference" }?.message.contains("did you mean `won`?") == true)
    }

    @Test func duplicateKeyKeepsGoing() {
        let r = Checker.check(text: design(stages: "  sdr:\n    sla: 1d\n    sla: 2d\n    team: [x]\n    routes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["schema@7:5", "schema@8:11"])
        #expect(r.findings.first { $0.rule == "schema" }?.related.first?.location.line == 6)
    }

    @Test func badDurations() {
        let r = Checker.check(text: design(stages: "  sdr:\n    sla: 3 weeks\n    routes:\n      - to: won\n        delay: 9999999999999w\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["schema@6:10", "schema@9:16"])
    }

    @Test func zeroAndNegativeDurationsAreInvalidSLAs() {
        let r = Checker.check(text: design(stages: "  sdr:\n    sla: {within: 0h}\n    routes:\n      - to: won\n        delay: {fixed: -2h}\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["invalid-sla@6:19", "invalid-sla@9:24"])
    }

    @Test func conditionOnAnUndeclaredAttribute() {
        let r = Checker.check(text: design(customer: "  attributes:\n    lead_score: {min: 0, max: 100}",
                                           stages: "  sdr:\n    accepts: {leadscore: \">= 5\"}\n    routes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["unknown-reference@9:15"])
        #expect(r.findings.first { $0.rule == "unknown-reference" }?.message.contains("did you mean `lead_score`?") == true)
    }

    @Test func typeMismatchesInEveryDirection() {
        let customer = "  attributes:\n    score: {min: 0}\n    segment: [smb, mid]\n    inbound: boolean"
        let stages = """
          sdr:
            accepts: {score: [smb], segment: ">= 3", inbound: [true]}
            routes:
              - to: won
          won: {outcome: won}
        """
        let r = Checker.check(text: design(customer: customer, stages: stages))
        #expect(positions(r, only: loadingRules) == ["type-mismatch@11:22", "type-mismatch@11:38", "type-mismatch@11:55"])
    }

    @Test func unparseableYAMLIsLocatedAndStopsOnlyThatFile() {
        let r = Checker.check(text: "stackup: 1\nentries:\n  web: {to: sdr, rate: 100/week\nstages: {}\n")
        #expect(r.findings.map(\.rule) == ["invalid-yaml"])
        #expect(r.findings.first?.location.line == 4)
        #expect(r.findings.first?.related.first?.location.line == 3)
    }

    @Test func percentilesOutOfOrder() {
        let r = Checker.check(text: design(stages: "  sdr:\n    sla: {p50: 2d, p90: 1d, max: 20h}\n    routes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["invalid-sla@6:25", "invalid-sla@6:34"])
    }

    @Test func numbersThatOverflowAreFindingsNotTraps() {
        let customer = "  attributes:\n    size: {min: 0, max: 1e400}\n  max_handoffs: 99999999999999999999999"
        let r = Checker.check(text: design(customer: customer, stages: "  sdr:\n    routes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["schema@4:25", "schema@5:17"])
    }

    @Test func ratesMustBePositiveAndFinite() {
        let entries = "  a: {to: sdr, rate: 0/week}\n  b: {to: sdr, rate: -3/day}\n  c: {to: sdr, rate: 5/fortnight}\n  d: {to: sdr, rate: 99999999999/hour}"
        let r = Checker.check(text: design(stages: "  sdr:\n    routes:\n      - to: won\n  won: {outcome: won}", entries: entries))
        #expect(positions(r, only: loadingRules) == ["schema@3:22", "schema@4:22", "schema@5:22", "schema@6:22"])
    }

    @Test func unsupportedVersionNamesTheSupportedOnes() {
        let r = Checker.check(text: "stackup: 3\nentries:\n  web: {to: s, rate: 1/day}\nstages:\n  s: {outcome: won}\n")
        #expect(positions(r, only: loadingRules) == ["schema@1:10"])
        #expect(r.findings.first { $0.rule == "schema" }?.message.contains("version 1") == true)
    }

    @Test func emptyAndNonMapFilesAreSchemaFindings() {
        #expect(positions(Checker.check(text: ""), only: loadingRules) == ["schema@1:1"])
        #expect(positions(Checker.check(text: "- a\n- b\n"), only: loadingRules) == ["schema@1:1"])
        #expect(positions(Checker.check(text: "stackup: 1\n"), only: loadingRules).contains("schema@1:1"))
    }

    @Test func onlyTheLastRouteMayOmitWhen() {
        let r = Checker.check(text: design(stages: "  sdr:\n    routes:\n      - to: lost\n      - to: won\n  won: {outcome: won}\n  lost: {outcome: lost}"))
        #expect(positions(r, only: loadingRules) == ["schema@7:9"])
    }

    @Test func engagesMustNameACommitteeRole() {
        let r = Checker.check(text: design(customer: "  committee: [economic_buyer, champion]",
                                           stages: "  sdr:\n    engages: [champoin]\n    routes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["unknown-reference@8:15"])
        #expect(r.findings.first { $0.rule == "unknown-reference" }?.message.contains("did you mean `champion`?") == true)
    }

    @Test func promiseAndTargetReferences() {
        let customer = "  promises:\n    p: {from: sdrr, to: [won, wno], p90: 1d}\n  targets:\n    wins: 4/week\n    sdr: 1/week"
        let r = Checker.check(text: design(customer: customer, stages: "  sdr:\n    routes:\n      - to: won\n  won: {outcome: won}"))
        #expect(positions(r, only: loadingRules) == ["unknown-reference@4:15", "unknown-reference@4:31", "unknown-reference@6:5", "unknown-reference@7:5"])
    }

    @Test func mixMustFitTheAttribute() {
        let customer = "  attributes:\n    score: {min: 0, max: 100}\n    segment: [smb, mid]"
        let entries = "  web:\n    to: sdr\n    rate: 1/day\n    mix:\n      score: {uniform: [50, 150]}\n      segment: {smb: 1, big: 2}\n      size: {fixed: 3}"
        let r = Checker.check(text: design(customer: customer, stages: "  sdr:\n    routes:\n      - to: won\n  won: {outcome: won}", entries: entries))
        #expect(positions(r, only: loadingRules) == ["schema@11:29", "unknown-reference@12:25", "unknown-reference@13:7"])
    }
}

/// Unknown tags are reported up to 100 per file; which 100 follows the walk's order, so the
/// frame walk must pick the ones a plain stack of nodes (the reference below) picks.
@Suite struct UnknownTagOrderTests {
    @Test func theHundredReportedAreThoseOfThePlainStackWalk() throws {
        var text = "stackup: 1\nstages:\n"
        for i in 0..<40 {
            text += "  s\(i): {sla: !t\(i) {within: !a\(i) 4h}, captures: !l\(i) [!x\(i) a, !y\(i) b, {k: !z\(i) c}], x: !k\(i) y}\n"
        }
        let root = try #require(try YAMLParser.parseDocument(Array(text.utf8), limits: YAMLLimits()).root)
        var expected: [String] = []
        var work = [root]
        while let node = work.popLast() {
            if node.tag != nil, expected.count < 100 { expected.append("\(node.span.start.line):\(node.span.start.column)") }
            if let items = node.sequence { work.append(contentsOf: items) }
            if let pairs = node.mapping { for pair in pairs { work.append(pair.key); work.append(pair.value) } }
        }
        let report = Checker.check(text: text)
        let reported = report.findings.filter { $0.rule == "schema" && $0.message.hasPrefix("unknown tag") }
            .map { "\($0.location.line):\($0.location.column)" }
        #expect(expected.count == 100)
        #expect(Set(reported) == Set(expected))
    }
}
