import Testing
@testable import StackupCore

@Suite struct ValueParserTests {
    @Test func durations() throws {
        #expect(try ValueParsers.duration("30m").get() == Duration(30, .minutes))
        #expect(try ValueParsers.duration(" 1.5h ").get() == Duration(1.5, .hours))
        #expect(try ValueParsers.duration("2bd").get() == Duration(2, .businessDays))
        #expect(try ValueParsers.duration("8bh").get().businessMinutes(workdayMinutes: 480) == 480)
        #expect(try ValueParsers.duration("1bd").get().businessMinutes(workdayMinutes: 600) == 600)
        #expect(try ValueParsers.duration("1w").get().calendarMinutes == 10080)
        #expect(try ValueParsers.duration("1bd").get().nominalHours == 24)
    }

    @Test(arguments: ["", "h", "5", "5 hours", "5hh", "1e3h", "..5h", "5.h.", "∞h"])
    func malformedDurations(text: String) {
        guard case .failure(.syntax) = ValueParsers.duration(text) else {
            Issue.record("`\(text)` should be a syntax error")
            return
        }
    }

    @Test func durationRange() {
        #expect(ValueParsers.duration("0h") == .failure(.notPositive("duration `0h` must be longer than zero")))
        #expect(ValueParsers.duration("-1d") == .failure(.notPositive("duration `-1d` must be longer than zero")))
        guard case .failure(.range) = ValueParsers.duration("9999999999999w") else { Issue.record("overflow not caught"); return }
        guard case .failure(.range) = ValueParsers.duration(String(repeating: "9", count: 400) + "m") else { Issue.record("huge not caught"); return }
    }

    @Test func rates() throws {
        #expect(try ValueParsers.rate("400/week").get().perWeek == 400)
        #expect(try ValueParsers.rate("80/day").get().perWeek == 560)
        #expect(try ValueParsers.rate("5/hour").get().perWeek == 840)
        let month = try ValueParsers.rate("30/month").get().perWeek ?? 0
        #expect(abs(month - 7) < 1e-12)
        #expect(try ValueParsers.rate("unlimited").get().isUnlimited)
        for bad in ["0/week", "-1/day", "abc", "5/fortnight", "5", "/week", "1e9999/week"] {
            #expect((try? ValueParsers.rate(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func comparisons() throws {
        #expect(try ValueParsers.comparisons(">= 50, < 80").get() == [Comparison(.greaterOrEqual, 50), Comparison(.less, 80)])
        #expect(try ValueParsers.comparisons("!=2").get() == [Comparison(.notEqual, 2)])
        #expect(try ValueParsers.comparisons("> -3.5").get() == [Comparison(.greater, -3.5)])
        for bad in ["50", ">= x", ">=", ">= 5,", "=> 5", "<> 3"] {
            #expect((try? ValueParsers.comparisons(bad).get()) == nil, "\(bad)")
        }
    }

    /// The byte-level `comparisons` against the Character-level one it replaced, on random
    /// text over the bytes that matter and a few that should not (a combining mark, `é`, a
    /// newline). Values must be equal; on ASCII text the messages too. (A combining mark right
    /// after a comma makes one Character of the two, so the old parser failed that part with
    /// another of its messages; both fail.)
    @Test func comparisonsMatchTheCharacterParser() {
        let alphabet: [String] = [">", "<", "=", "!", "-", ".", ",", " ", "\t", "0", "1", "5", "9", "e", "x", "\u{301}", "é", "\n"]
        var rng = Random(seed: 19)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 12)
            let text = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            let fast = ValueParsers.comparisons(text), slow = Self.characterComparisons(text)
            switch (fast, slow) {
            case (.success(let a), .success(let b)): #expect(a == b, "`\(text)`")
            case (.failure(let a), .failure(let b)): if text.utf8.allSatisfy({ $0 < 128 }) { #expect(a == b, "`\(text)`") }
            default: Issue.record("`\(text)`: \(fast) against \(slow)")
            }
        }
    }

    /// The Character-level parser `comparisons` replaced, kept as the reference.
    static func characterComparisons(_ raw: String) -> Result<[Comparison], ValueParsers.ParseError> {
        var out: [Comparison] = []
        for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
            var text = Substring(part.trimmingWhitespace())
            guard let op = Comparison.Operator.allCases.first(where: { text.hasPrefix($0.rawValue) }) else {
                return .failure(.syntax("`\(raw)` is not a comparison; write e.g. `\">= 60\"`, `\"< 10000\"` or `\">= 50, < 80\"`"))
            }
            text = Substring(text.dropFirst(op.rawValue.count).trimmingWhitespace())
            var negative = false
            if text.first == "-" { negative = true; text = text.dropFirst() }
            guard let (value, rest) = ValueParsers.number(text), rest.trimmingWhitespace().isEmpty else {
                return .failure(.syntax("`\(raw)` compares with something that is not a number"))
            }
            guard value.isFinite else { return .failure(.range("`\(raw)` compares with a number that is out of range")) }
            out.append(Comparison(op, negative ? -value : value))
        }
        return .success(out)
    }

    @Test func hours() throws {
        #expect(try ValueParsers.hours("09:00-17:00").get() == (540, 1020))
        #expect(try ValueParsers.hours("00:00-24:00").get() == (0, 1440))
        for bad in ["17:00-09:00", "9-17", "09:00-25:00", "09:60-10:00", "09:00"] {
            #expect((try? ValueParsers.hours(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func didYouMean() {
        #expect(DidYouMean.suggestion(for: "rutes", among: ["routes", "rejects_to"]) == "routes")
        #expect(DidYouMean.suggestion(for: "acepts", among: ["accepts", "captures"]) == "accepts")
        #expect(DidYouMean.suggestion(for: "xyzzy", among: ["routes", "sla"]) == nil)
        #expect(DidYouMean.suggestion(for: "slaa", among: ["sla", "team"]) == "sla")
    }
}
