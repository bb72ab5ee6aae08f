/// Suggests the closest known name for a misspelt one.
public enum DidYouMean {
    /// The candidate with the smallest edit distance, if it is close enough to be a typo.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        let a = Array(name.lowercased().unicodeScalars)
        guard !a.isEmpty, a.count <= 64 else { return nil }
        var best: (distance: Int, name: String)?
        for candidate in candidates.sorted() {
            let b = Array(candidate.lowercased().unicodeScalars)
            guard b.count <= 64 else { continue }
            let d = distance(a, b)
            let limit = max(1, min(a.count, b.count) / 3 + 1)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (d, candidate) }
        }
        return best?.name
    }

    /// " (did you mean `x`?)" or the empty string.
    public static func hint(for name: String, among candidates: [String]) -> String {
        suggestion(for: name, among: candidates).map { "; did you mean `\($0)`?" } ?? ""
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
