import Testing
@testable import StackupCore

/// Wide CSV logs as HubSpot exports them: one row per deal, a column per stage entered.
@Suite struct WideCSVLogTests {
    func read(_ text: String, pattern: String = #"Date entered "{stage}""#, caseColumn: String? = nil) -> Result<WideCSVLog, LongCSVLog.Failure>? {
        guard var log = WideCSVLog(stageColumn: pattern, caseColumn: caseColumn) else { return nil }
        log.feed(Array(text.utf8))
        return log.finish()
    }

    @Test func aHubSpotDealExport() throws {
        let text = #"""
        Record ID,Deal Name,"Date entered ""Appointment Scheduled""","Date entered ""Closed Won""",Amount
        101,"Acme, Inc.",2026-01-05 09:00,2026-01-19 16:30,5000
        102,Globex,2026-01-06 10:00,,1200
        103,Initech,soon,2026-01-20,800

        """#
        let log = try #require(read(text)).get()
        #expect(log.stages == ["Appointment Scheduled", "Closed Won"])
        #expect(log.rows == 3)
        #expect(log.events.map { "\($0.caseId):\($0.activity)" } == ["101:Appointment Scheduled", "101:Closed Won", "102:Appointment Scheduled", "103:Closed Won"])
        #expect(log.events.last?.dateOnly == true)
        #expect(log.skipped["bad timestamp"]?.count == 1)
        #expect(log.skipped["bad timestamp"]?.firstLine == 4)
    }

    @Test func patternsAndHeadersItCannotUse() throws {
        #expect(read("a,b\n", pattern: "Date entered") == nil)
        #expect(read("a,b\n", pattern: "{stage} {stage}") == nil)
        guard case .failure(let noCase)? = read("Name,Date entered \"x\"\n") else { Issue.record("no case"); return }
        #expect(noCase.message.hasPrefix("the header names no column for the case id"), "\(noCase.message)")
        guard case .failure(let noStage)? = read("Record ID,Entered x\n") else { Issue.record("no stage"); return }
        #expect(noStage == .init(line: 1, message: "no column of the header fits the stage pattern `Date entered \"{stage}\"`; it has `Record ID`, `Entered x`"))
        let flagged = try #require(read("deal,in sdr,in ae\nd1,2026-01-05,2026-01-07\n", pattern: "in {stage}", caseColumn: "deal")).get()
        #expect(flagged.events.map(\.activity) == ["sdr", "ae"])
    }
}
