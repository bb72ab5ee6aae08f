/// Order statistics without sorting everything: Hoare's selection, with the median of three
/// as pivot. Gives what indexing the sorted values gives.
enum Selection {
    /// What `TimeAnalysis.quantile(sorted, p).value` gives on the sorted values.
    static func quantile(_ values: inout [Double], _ p: Double) -> Double {
        let n = values.count
        guard n > 0 else { return 0 }
        return value(at: TimeAnalysis.orderIndex((Double(n) * p).rounded(.up), count: n), &values)
    }

    /// The value at 0-based position `k` of the values sorted ascending (clamped into them);
    /// the values are left permuted. Linear on average; a partition that keeps failing to
    /// shrink the range (an adversarial order) falls back to sorting what is left, so that no
    /// input costs more than n log n.
    static func value(at k: Int, _ values: inout [Double]) -> Double {
        let n = values.count
        guard n > 0 else { return 0 }
        let k = min(max(k, 0), n - 1)
        var lo = 0, hi = n - 1
        var budget = 64 + 2 * (Int.bitWidth - n.leadingZeroBitCount)
        while lo < hi {
            budget -= 1
            if budget < 0 {
                values[lo...hi].sort()
                return values[k]
            }
            let mid = lo + (hi - lo) / 2
            // Median of three to values[mid].
            if values[mid] < values[lo] { values.swapAt(mid, lo) }
            if values[hi] < values[lo] { values.swapAt(hi, lo) }
            if values[hi] < values[mid] { values.swapAt(hi, mid) }
            let pivot = values[mid]
            var i = lo, j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while pivot < values[j] { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return values[k] }
        }
        return values[k]
    }

    /// The items from 0-based position `cut` on, in the order a stable sort by `key` gives
    /// them: every item whose key is above the key at `cut`, sorted, after the last of the
    /// items tied with it. `scratch` holds the keys in any order (it is permuted).
    static func slowest<T>(_ items: [T], from cut: Int, by key: (T) -> Double, scratch: inout [Double]) -> [T] {
        guard !items.isEmpty, cut < items.count else { return [] }
        let v = value(at: cut, &scratch)
        var above = items.filter { key($0) > v }
        above.sort { key($0) < key($1) }
        let tied = items.filter { key($0) == v }
        return Array(tied.suffix(max(0, (items.count - max(cut, 0)) - above.count))) + above
    }
}
