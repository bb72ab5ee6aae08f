/// Suggests the closest known name for a misspelt one.
public enum DidYouMean {
    /// Work a lone hint may spend: candidates looked at plus edit-distance cells.
    static let defaultWork = 1_000_000

    /// The candidate with the smallest edit distance, if it is close enough to be a typo; ties
    /// go to the name that sorts first. Spends at most `work` (one unit per candidate looked
    /// at and per edit-distance cell) and returns nil when that runs out before the answer is
    /// certain, so that a design with thousands of unknown names costs time linear in them.
    public static func suggestion(for name: String, among candidates: [String], work: inout Int) -> String? {
        let a = Array(name.lowercased().unicodeScalars)
        guard !a.isEmpty, a.count <= 64 else { return nil }
        var best: (distance: Int, name: String)?
        for candidate in candidates {
            work -= 1
            guard work >= 0 else { return nil }
            let lengthB = candidate.unicodeScalars.count
            guard lengthB <= 64 else { continue }
            let limit = max(1, min(a.count, lengthB) / 3 + 1)
            // The distance is at least the difference in length: most candidates stop here.
            guard abs(a.count - lengthB) <= min(limit, best?.distance ?? Int.max) else { continue }
            let b = Array(candidate.lowercased().unicodeScalars)
            work -= a.count * b.count
            guard work >= 0 else { return nil }
            let d = distance(a, b)
            guard d <= limit else { continue }
            if let current = best, d > current.distance || (d == current.distance && candidate >= current.name) { continue }
            best = (d, candidate)
        }
        return best?.name
    }

    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        var work = defaultWork
        return suggestion(for: name, among: candidates, work: &work)
    }

    /// "; did you mean `x`?" or the empty string.
    public static func hint(for name: String, among candidates: [String]) -> String {
        suggestion(for: name, among: candidates).map { "; did you mean `\($0)`?" } ?? ""
    }

    /// As `hint(for:among:)`, spending from a budget shared by every hint of one design.
    public static func hint(for name: String, among candidates: [String], work: inout Int) -> String {
        suggestion(for: name, among: candidates, work: &work).map { "; did you mean `\($0)`?" } ?? ""
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, previous2[j - 2] + 1) }
                current[j] = v
            }
            previous2 = previous
            previous = current
        }
        return previous[b.count]
    }
}
