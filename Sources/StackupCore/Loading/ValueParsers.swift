/// Parsers for the format's small languages: durations, rates and comparisons. Each returns
/// a value or a message saying what is wrong; none of them traps on any input.
enum ValueParsers {
    /// The longest duration accepted: 100 years. Anything longer is a typo or an overflow.
    static let maxMinutes = 100.0 * 365 * 1440
    /// The largest rate accepted, per week.
    static let maxPerWeek = 1e9

    enum ParseError: Error, Equatable {
        /// The text does not have the expected shape.
        case syntax(String)
        /// The shape is right, but the value is out of range.
        case range(String)
        /// Zero or negative where a time is needed.
        case notPositive(String)
    }

    /// Reads an unsigned decimal number `123` or `1.5` at the start of `text`.
    static func number(_ text: Substring) -> (Double, Substring)? {
        var end = text.startIndex
        var digits = 0
        var dot = false
        while end < text.endIndex {
            let c = text[end]
            if c.isASCII, c.isNumber { digits += 1 } else if c == ".", !dot { dot = true } else { break }
            end = text.index(after: end)
        }
        // Too many digits gives infinity; callers report that as out of range.
        guard digits > 0, let value = Double(text[text.startIndex..<end]) else { return nil }
        return (value, text[end...])
    }

    /// `30m`, `4h`, `2d`, `1w`, `8bh`, `2bd`.
    static func duration(_ raw: String) -> Result<Duration, ParseError> {
        var text = Substring(raw.trimmingWhitespace())
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() }
        guard let (amount, rest) = number(text) else {
            return .failure(.syntax("`\(raw)` is not a duration; write a number and a unit, e.g. `30m`, `4h`, `2d`, `1w`, `8bh` or `2bd`"))
        }
        let unitText = rest.trimmingWhitespace()
        guard let unit = Duration.Unit(rawValue: unitText) else {
            let units = Duration.Unit.allCases.map(\.rawValue)
            let hint = unitText.isEmpty ? "; a duration needs a unit: m, h, d, w, bh or bd" : DidYouMean.hint(for: unitText, among: units)
            return .failure(.syntax("`\(raw)` has no valid time unit\(hint == "" ? " (use m, h, d, w, bh or bd)" : hint)"))
        }
        let duration = Duration(negative ? -amount : amount, unit)
        if duration.amount <= 0 {
            return .failure(.notPositive("duration `\(raw)` must be longer than zero"))
        }
        if !(duration.nominalHours * 60 <= maxMinutes) {
            return .failure(.range("duration `\(raw)` is longer than 100 years"))
        }
        return .success(duration)
    }

    /// `400/week`, `80/day`, `5/hour`, `40/month`, or `unlimited`.
    static func rate(_ raw: String) -> Result<Rate, ParseError> {
        let text = raw.trimmingWhitespace()
        if text == "unlimited" { return .success(.unlimited) }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let shape = "`\(raw)` is not a rate; write e.g. `400/week`, `80/day`, `5/hour`, `40/month` or `unlimited`"
        guard parts.count == 2 else { return .failure(.syntax(shape)) }
        var amountText = Substring(parts[0].trimmingWhitespace())
        var negative = false
        if amountText.first == "-" { negative = true; amountText = amountText.dropFirst() }
        guard let (amount, rest) = number(amountText), rest.isEmpty else { return .failure(.syntax(shape)) }
        let unitText = parts[1].trimmingWhitespace()
        guard let unit = Rate.Unit(rawValue: unitText) else {
            let hint = DidYouMean.hint(for: unitText, among: Rate.Unit.allCases.map(\.rawValue))
            return .failure(.syntax("`\(raw)` has an unknown rate unit `\(unitText)`\(hint.isEmpty ? " (use hour, day, week or month)" : hint)"))
        }
        if negative || amount <= 0 {
            return .failure(.range("rate `\(raw)` must be a positive number"))
        }
        let rate = Rate(amount: amount, unit: unit)
        if let perWeek = rate.perWeek, !(perWeek <= maxPerWeek) {
            return .failure(.range("rate `\(raw)` is out of range (over a billion a week)"))
        }
        return .success(rate)
    }

    /// `">= 50, < 80"`: comparisons joined by commas. Reads UTF-8 bytes rather than
    /// Characters: every byte that matters is ASCII, and grapheme breaking was a tenth of
    /// decoding a large design's routes. `ValueParserTests` holds it equal to the Character
    /// version on random text.
    static func comparisons(_ raw: String) -> Result<[Comparison], ParseError> {
        var out: [Comparison] = []
        let bytes = raw.utf8
        var partStart = bytes.startIndex
        while true {
            let partEnd = bytes[partStart...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.endIndex
            switch comparison(raw, from: partStart, to: partEnd) {
            case .success(let c): out.append(c)
            case .failure(let error): return .failure(error)
            }
            guard partEnd < bytes.endIndex else { break }
            partStart = bytes.index(after: partEnd)
        }
        return .success(out)
    }

    /// One comparison of `comparisons`, between two of `raw`'s UTF-8 indices.
    private static func comparison(_ raw: String, from start: String.Index, to end: String.Index) -> Result<Comparison, ParseError> {
        let bytes = raw.utf8
        func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        func skipBlanks(_ i: inout String.Index, _ end: String.Index) {
            while i < end, isBlank(bytes[i]) { i = bytes.index(after: i) }
        }
        var i = start
        var last = end
        skipBlanks(&i, end)
        while last > i, isBlank(bytes[bytes.index(before: last)]) { last = bytes.index(before: last) }
        guard let op = Comparison.Operator.allCases.first(where: { op in
            bytes[i..<last].starts(with: op.rawValue.utf8)
        }) else {
            return .failure(.syntax("`\(raw)` is not a comparison; write e.g. `\">= 60\"`, `\"< 10000\"` or `\">= 50, < 80\"`"))
        }
        i = bytes.index(i, offsetBy: op.rawValue.utf8.count)
        skipBlanks(&i, last)
        var negative = false
        if i < last, bytes[i] == UInt8(ascii: "-") { negative = true; i = bytes.index(after: i) }
        let numberStart = i
        var digits = 0
        var dot = false
        while i < last {
            let b = bytes[i]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { digits += 1 } else if b == UInt8(ascii: "."), !dot { dot = true } else { break }
            i = bytes.index(after: i)
        }
        let numberEnd = i
        skipBlanks(&i, last)
        guard digits > 0, i == last, let value = Double(raw[numberStart..<numberEnd]) else {
            return .failure(.syntax("`\(raw)` compares with something that is not a number"))
        }
        guard value.isFinite else { return .failure(.range("`\(raw)` compares with a number that is out of range")) }
        return .success(Comparison(op, negative ? -value : value))
    }

    /// `"09:00-17:00"` → minutes after midnight.
    static func hours(_ raw: String) -> Result<(Int, Int), ParseError> {
        let parts = raw.trimmingWhitespace().split(separator: "-")
        let shape = "`\(raw)` is not a span of hours; write e.g. `\"09:00-17:00\"`"
        guard parts.count == 2, let a = clock(parts[0]), let b = clock(parts[1]) else { return .failure(.syntax(shape)) }
        guard a < b else { return .failure(.range("working hours `\(raw)` must start before they end on the same day")) }
        return .success((a, b))
    }

    static func clock(_ raw: Substring) -> Int? {
        let parts = raw.trimmingWhitespace().split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m) else { return nil }
        let minutes = h * 60 + m
        return minutes <= 1440 ? minutes : nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
