import Testing
@testable import StackupCore

/// Long CSV logs as CRMs export them.
@Suite struct LongCSVLogTests {
    func read(_ text: String, columns: LongCSVLog.Columns = .init(), zone: LogTime.Zone = .utc, chunk: Int = .max) -> Result<LongCSVLog, LongCSVLog.Failure> {
        var log = LongCSVLog(columns: columns, zone: zone)
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + min(chunk, bytes.count))
            log.feed(bytes[i..<end])
            i = end
        }
        return log.finish()
    }

    @Test(arguments: [Int.max, 3])
    func aSalesforceStageHistory(chunk: Int) throws {
        // BOM, CRLF, quoted commas, a padded field, Salesforce's milliseconds and offsets.
        let text = "\u{FEFF}OpportunityId,StageName,CreatedDate,Amount\r\n"
            + "0061x01,Prospecting,2026-01-05T09:00:00.000+0000,100\r\n"
            + "0061x01,\"Qualification, BANT\",2026-01-06T10:30:00.000+0100,100\r\n"
            + " 0061x02 ,Prospecting,2026-01-05,250\r\n"
        let log = try read(text, chunk: chunk).get()
        #expect(log.rows == 3)
        #expect(log.events.map(\.caseId) == ["0061x01", "0061x01", "0061x02"])
        #expect(log.events.map(\.activity) == ["Prospecting", "Qualification, BANT", "Prospecting"])
        #expect(log.events[1].time == 1_767_571_200 + 86_400 + 9.5 * 3600)
        #expect(log.events.map(\.dateOnly) == [false, false, true])
        #expect(log.events.map(\.line) == [2, 3, 4])
        #expect(log.skipped.isEmpty)
    }

    @Test func flagsNameTheColumnsAndTheLeavingTime() throws {
        let text = "deal,step,in,out\nd1,sdr,2026-01-05T09:00:00Z,2026-01-05T11:00:00Z\nd1,won,2026-01-05T11:00:00Z,\n"
        let log = try read(text, columns: .init(caseId: "deal", stage: "step", time: "in", left: "out")).get()
        #expect(log.events.map(\.left) == [1_767_571_200 + 11 * 3600, nil])
        guard case .failure(let f) = read(text, columns: .init(caseId: "deal", stage: "step", time: "in", left: "gone")) else { Issue.record("read"); return }
        #expect(f == .init(line: 1, message: "no column `gone` for the leaving time; the header has `deal`, `step`, `in`, `out`"))
    }

    @Test func aFieldHistoryExportReadsItsStageChanges() throws {
        let text = """
        OpportunityId,Field,OldValue,NewValue,CreatedDate
        0061x01,Amount,100,200,2026-01-05T09:00:00Z
        0061x01,StageName,Prospecting,Qualification,2026-01-06T09:00:00Z
        0061x01,StageName,Qualification,Proposal,2026-01-07T09:00:00Z

        """
        let log = try read(text).get()
        #expect(log.isFieldHistory)
        #expect(log.events.map(\.activity) == ["Qualification", "Proposal"])
        #expect(log.skipped["not a stage change"]?.count == 1)
    }

    @Test func badRowsAreCountedWithTheirFirstLine() throws {
        let text = """
        case_id,stage,timestamp
        c1,sdr,2026-01-05T09:00:00Z
        c1,ae,yesterday
        ,sdr,2026-01-05T09:00:00Z
        c2,sdr
        c3,ae,10000-01-05T00:00:00Z
        c4,,2026-01-05T09:00:00Z
        c5,ae,not a time

        """
        let log = try read(text).get()
        #expect(log.rows == 7)
        #expect(log.events.count == 1)
        #expect(log.skipped["bad timestamp"]?.count == 3)
        #expect(log.skipped["bad timestamp"]?.firstLine == 3)
        #expect(log.skipped["no case id"]?.firstLine == 4)
        #expect(log.skipped["too few columns"]?.firstLine == 5)
        #expect(log.skipped["no stage"]?.firstLine == 7)
    }

    @Test func aLogItCannotReadSaysWhereAndWhy() {
        guard case .failure(let empty) = read("") else { Issue.record("empty"); return }
        #expect(empty == .init(line: 1, message: "the log is empty: it has no header row"))
        guard case .failure(let missing) = read("case_id,when\nc1,2026-01-05\n") else { Issue.record("missing"); return }
        #expect(missing.line == 1)
        #expect(missing.message.hasPrefix("the header names no column for a stage (stage, activity, concept:name, stagename, or --stage); a time"), "\(missing.message)")
        guard case .failure(let binary) = read(String(decoding: [0x50, 0x4B, 0x03, 0x04, 0xFF, 0xFE, 0x00, 0x0A], as: UTF8.self) + "x") else { Issue.record("binary"); return }
        #expect(binary.line == 1)
    }
}
