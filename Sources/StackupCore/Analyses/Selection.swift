/// One order statistic without sorting everything: Hoare's selection, with the median of
/// three as pivot. Gives what `TimeAnalysis.quantile(sorted, p).value` gives on the sorted
/// values.
enum Selection {
    static func quantile(_ values: inout [Double], _ p: Double) -> Double {
        let n = values.count
        guard n > 0 else { return 0 }
        let k = TimeAnalysis.orderIndex((Double(n) * p).rounded(.up), count: n)
        var lo = 0, hi = n - 1
        while lo < hi {
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
}
