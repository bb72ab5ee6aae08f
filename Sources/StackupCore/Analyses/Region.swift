/// An interval of numbers; each bound open or closed, possibly infinite (always open then).
struct Interval: Hashable, Sendable {
    var lo: Double
    var loClosed: Bool
    var hi: Double
    var hiClosed: Bool

    init(lo: Double, loClosed: Bool, hi: Double, hiClosed: Bool) {
        self.lo = lo
        self.loClosed = loClosed && lo.isFinite
        self.hi = hi
        self.hiClosed = hiClosed && hi.isFinite
    }

    var isEmpty: Bool { lo > hi || (lo == hi && !(loClosed && hiClosed)) }

    func contains(_ x: Double) -> Bool {
        (x > lo || (x == lo && loClosed)) && (x < hi || (x == hi && hiClosed))
    }

    func intersect(_ o: Interval) -> Interval {
        let (l, lc) = lo > o.lo ? (lo, loClosed) : o.lo > lo ? (o.lo, o.loClosed) : (lo, loClosed && o.loClosed)
        let (h, hc) = hi < o.hi ? (hi, hiClosed) : o.hi < hi ? (o.hi, o.hiClosed) : (hi, hiClosed && o.hiClosed)
        return Interval(lo: l, loClosed: lc, hi: h, hiClosed: hc)
    }

    /// The parts of this interval outside `o`: at most two, both non-empty.
    func subtract(_ o: Interval) -> [Interval] {
        let left = intersect(Interval(lo: -.infinity, loClosed: false, hi: o.lo, hiClosed: !o.loClosed))
        let right = intersect(Interval(lo: o.hi, loClosed: !o.hiClosed, hi: .infinity, hiClosed: false))
        return [left, right].filter { !$0.isEmpty && !(o.lo == -.infinity && $0.hi == -.infinity) && !(o.hi == .infinity && $0.lo == .infinity) }
    }

    /// `subtract`'s two parts, each nil when it is not there.
    func pieces(minus o: Interval) -> (Interval?, Interval?) {
        let left = intersect(Interval(lo: -.infinity, loClosed: false, hi: o.lo, hiClosed: !o.loClosed))
        let right = intersect(Interval(lo: o.hi, loClosed: !o.hiClosed, hi: .infinity, hiClosed: false))
        let keepLeft = !left.isEmpty && !(o.lo == -.infinity && left.hi == -.infinity)
        let keepRight = !right.isEmpty && !(o.hi == .infinity && right.lo == .infinity)
        return (keepLeft ? left : nil, keepRight ? right : nil)
    }

    /// True when the union of the two is one interval (they overlap or touch).
    func touches(_ o: Interval) -> Bool {
        let (a, b) = lo < o.lo || (lo == o.lo && loClosed) ? (self, o) : (o, self)
        return a.hi > b.lo || (a.hi == b.lo && (a.hiClosed || b.loClosed))
    }

    /// The smallest interval holding both; the union when they touch.
    func hull(_ o: Interval) -> Interval {
        let (l, lc) = lo < o.lo ? (lo, loClosed) : o.lo < lo ? (o.lo, o.loClosed) : (lo, loClosed || o.loClosed)
        let (h, hc) = hi > o.hi ? (hi, hiClosed) : o.hi > hi ? (o.hi, o.hiClosed) : (hi, hiClosed || o.hiClosed)
        return Interval(lo: l, loClosed: lc, hi: h, hiClosed: hc)
    }
}

/// One attribute's constraint inside a box: an interval for numbers, a set of value indices
/// (bit i = the i-th declared value) for enumerations and booleans.
enum Part: Hashable, Sendable {
    case interval(Interval)
    case values(UInt64)

    var isEmpty: Bool {
        switch self {
        case .interval(let i): return i.isEmpty
        case .values(let m): return m == 0
        }
    }

    func intersect(_ o: Part) -> Part {
        switch (self, o) {
        case (.interval(let a), .interval(let b)): return .interval(a.intersect(b))
        case (.values(let a), .values(let b)): return .values(a & b)
        default: return .values(0)
        }
    }

    /// `!intersect(o).isEmpty`, without building the intersection.
    @inline(__always)
    func overlaps(_ o: Part) -> Bool {
        switch (self, o) {
        case (.interval(let a), .interval(let b)):
            // The larger lower bound against the smaller upper bound, as `intersect` picks them.
            let (l, lc) = a.lo > b.lo ? (a.lo, a.loClosed) : b.lo > a.lo ? (b.lo, b.loClosed) : (a.lo, a.loClosed && b.loClosed)
            let (h, hc) = a.hi < b.hi ? (a.hi, a.hiClosed) : b.hi < a.hi ? (b.hi, b.hiClosed) : (a.hi, a.hiClosed && b.hiClosed)
            return l < h || (l == h && lc && hc && l.isFinite)
        case (.values(let a), .values(let b)): return a & b != 0
        default: return false
        }
    }

    /// The parts of this part outside `o`, as `subtract` lists them, without an array.
    func pieces(minus o: Part) -> (Part?, Part?) {
        switch (self, o) {
        case (.interval(let a), .interval(let b)):
            let (left, right) = a.pieces(minus: b)
            return (left.map { .interval($0) }, right.map { .interval($0) })
        case (.values(let a), .values(let b)): return (a & ~b == 0 ? nil : .values(a & ~b), nil)
        default: return (self, nil)
        }
    }

    func subtract(_ o: Part) -> [Part] {
        switch (self, o) {
        case (.interval(let a), .interval(let b)): return a.subtract(b).map { .interval($0) }
        case (.values(let a), .values(let b)): return a & ~b == 0 ? [] : [.values(a & ~b)]
        default: return [self]
        }
    }

    /// The smallest part holding both.
    func hull(_ o: Part) -> Part {
        switch (self, o) {
        case (.interval(let a), .interval(let b)): return .interval(a.hull(b))
        case (.values(let a), .values(let b)): return .values(a | b)
        default: return self
        }
    }

    /// The union of two parts when it is itself a part.
    func merged(with o: Part) -> Part? {
        switch (self, o) {
        case (.interval(let a), .interval(let b)): return a.touches(b) ? .interval(a.hull(b)) : nil
        case (.values(let a), .values(let b)): return .values(a | b)
        default: return nil
        }
    }
}

/// A customer as coordinates, one per attribute in declaration order: the number itself,
/// the index of an enumeration's value, or 0 for `true` and 1 for `false`.
package typealias Point = [Double]

/// A box: one part per attribute.
package struct Box: Hashable, Sendable {
    var parts: [Part]

    var isEmpty: Bool { parts.contains { $0.isEmpty } }

    func intersect(_ o: Box) -> Box {
        Box(parts: zip(parts, o.parts).map { $0.intersect($1) })
    }

    /// `self − o` as disjoint boxes.
    func subtract(_ o: Box) -> [Box] {
        guard !intersect(o).isEmpty else { return [self] }
        var out: [Box] = []
        var rest = self
        for d in parts.indices {
            for piece in rest.parts[d].subtract(o.parts[d]) {
                var b = rest
                b.parts[d] = piece
                out.append(b)
            }
            rest.parts[d] = rest.parts[d].intersect(o.parts[d])
        }
        return out
    }

    func contains(_ point: Point) -> Bool {
        guard point.count == parts.count else { return false }
        for d in 0..<parts.count {
            let x = point[d]
            switch parts[d] {
            case .interval(let i): if !i.contains(x) { return false }
            case .values(let m):
                guard x >= 0, x < 64, m & (UInt64(1) << UInt64(x)) != 0 else { return false }
            }
        }
        return true
    }
}

/// The declared attributes as the space regions live in.
package struct RegionDomain: Hashable, Sendable {
    package let attributes: [Attribute]
    /// The whole domain as one box: numbers clipped to their declared range.
    let full: Box
    /// Values that appear in conditions, per attribute: preferred for examples.
    var constants: [[Double]]
    /// Per attribute, the hull of what the entries can bring; descriptions leave out
    /// constraints that only restate it.
    var population: Box

    init(attributes: [Attribute]) {
        self.attributes = attributes
        full = Box(parts: attributes.map { a in
            switch a.kind {
            case .number(let lo, let hi):
                return .interval(Interval(lo: lo ?? -.infinity, loClosed: lo != nil, hi: hi ?? .infinity, hiClosed: hi != nil))
            case .enumeration(let values):
                return .values(values.count >= 64 ? UInt64.max : (UInt64(1) << UInt64(values.count)) - 1)
            case .boolean:
                return .values(0b11)
            }
        })
        constants = Array(repeating: [], count: attributes.count)
        population = full
    }

    func index(of attribute: String) -> Int? { attributes.firstIndex { $0.name == attribute } }

    /// The named customer at a point.
    func customer(_ point: Point) -> ExampleCustomer {
        ExampleCustomer(zip(attributes, point).map { a, x in
            switch a.kind {
            case .number: return (a.name, .number(x))
            case .enumeration(let values): return (a.name, .symbol(values.indices.contains(Int(x)) ? values[Int(x)] : "?"))
            case .boolean: return (a.name, .bool(x == 0))
            }
        })
    }

    /// The point of a named customer; attributes it does not name take NaN, which no region holds.
    func point(_ customer: [String: AttributeValue]) -> Point {
        attributes.map { a in
            switch (a.kind, customer[a.name]) {
            case (.number, .number(let x)?): return x
            case (.enumeration(let values), .symbol(let s)?): return values.firstIndex(of: s).map(Double.init) ?? .nan
            case (.boolean, .bool(let b)?): return b ? 0 : 1
            default: return .nan
            }
        }
    }
}

/// A set of customers: a finite union of disjoint boxes over the declared attributes. Exact:
/// no sampling anywhere.
///
/// The boxes are stored end to end in one array, `dimension` parts each, so that the set
/// operations allocate once per result rather than once per box: with `!=`, `not` and `any`
/// the criteria analysis handles tens of thousands of boxes, and the per-box arrays and their
/// reference counting were most of its time (docs/performance.md). The operations compute
/// exactly the boxes, in exactly the order, that the per-box form did, so examples and
/// descriptions do not change.
package struct Region: Hashable, Sendable {
    /// The parts of every box, box after box.
    private(set) var parts: [Part]
    /// The number of boxes (a region over no attributes holds zero or one box of no parts).
    package private(set) var count: Int
    let dimension: Int
    /// True when an operation would have needed more than `maxBoxes` boxes. Such a region is
    /// not exact; the flag spreads through every operation, and analyses report the condition
    /// as too complex instead of trusting it. This bounds the work any input can cause.
    private(set) var overflowed = false

    /// The most boxes a region may hold.
    static let maxBoxes = 2_000

    init(boxes: [Box], dimension: Int) {
        var kept = boxes.filter { !$0.isEmpty }
        let tooMany = kept.count > Region.maxBoxes
        if tooMany { kept.removeLast(kept.count - Region.maxBoxes) }
        self.init(parts: kept.flatMap(\.parts), count: kept.count, dimension: dimension)
        overflowed = tooMany
    }

    /// Boxes already laid out flat, each non-empty.
    private init(parts: [Part], count: Int, dimension: Int) {
        self.parts = parts
        self.count = count
        self.dimension = dimension
    }

    /// The boxes, one array each; for descriptions, examples and compiling, not for set work.
    package var boxes: [Box] { (0..<count).map(box) }

    func box(_ i: Int) -> Box { Box(parts: Array(parts[i * dimension..<(i + 1) * dimension])) }

    /// A region standing for a result too large to compute.
    static func overflow(dimension: Int) -> Region {
        var r = Region(parts: [], count: 0, dimension: dimension)
        r.overflowed = true
        return r
    }

    static func full(_ domain: RegionDomain) -> Region {
        Region(boxes: [domain.full], dimension: domain.attributes.count)
    }

    static func empty(_ domain: RegionDomain) -> Region {
        Region(boxes: [], dimension: domain.attributes.count)
    }

    var isEmpty: Bool { count == 0 }

    func contains(_ point: Point) -> Bool {
        guard point.count == dimension else { return false }
        return (0..<count).contains { box($0).contains(point) }
    }

    func intersect(_ o: Region) -> Region {
        if overflowed || o.overflowed { return .overflow(dimension: dimension) }
        let n = dimension
        var out: [Part] = []
        var made = 0
        for i in 0..<count {
            for j in 0..<o.count {
                let mark = out.count
                var empty = false
                for d in 0..<n {
                    let p = parts[i * n + d].intersect(o.parts[j * n + d])
                    if p.isEmpty { empty = true; break }
                    out.append(p)
                }
                if empty { out.removeSubrange(mark...); continue }
                made += 1
                if made > Region.maxBoxes { return .overflow(dimension: dimension) }
            }
        }
        return Region(parts: out, count: made, dimension: n).normalized()
    }

    /// `self − o`: each box minus the boxes of `o` in turn, its pieces kept in order. Each box
    /// of `self` is worked through on its own, which gives the boxes in the same order as
    /// subtracting `o`'s boxes from the whole list one after another, without copying the list
    /// once per box of `o`. `stageCounts` keeps what that list would hold after each box of
    /// `o`, so that the result overflows exactly when the list would have.
    func subtract(_ o: Region) -> Region {
        if overflowed || o.overflowed { return .overflow(dimension: dimension) }
        guard !isEmpty, !o.isEmpty else { return self.normalized() }
        let n = dimension
        var out: [Part] = []
        var outCount = 0
        var stageCounts = [Int](repeating: 0, count: o.count)
        var work: [Part] = []
        var next: [Part] = []
        var rest = [Part](repeating: .values(0), count: n)
        for i in 0..<count {
            work.removeAll(keepingCapacity: true)
            work.append(contentsOf: parts[i * n..<(i + 1) * n])
            var workCount = 1
            for j in 0..<o.count {
                guard workCount > 0 else { break }
                if (0..<workCount).contains(where: { Region.overlaps(work, $0, o.parts, j, n) }) {
                    next.removeAll(keepingCapacity: true)
                    var nextCount = 0
                    for k in 0..<workCount {
                        Region.appendDifference(work, k, o.parts, j, n, into: &next, count: &nextCount, scratch: &rest)
                    }
                    swap(&work, &next)
                    workCount = nextCount
                }
                stageCounts[j] += workCount
                if stageCounts[j] > Region.maxBoxes { return .overflow(dimension: dimension) }
            }
            out.append(contentsOf: work)
            outCount += workCount
        }
        return Region(parts: out, count: outCount, dimension: n).normalized()
    }

    private static func overlaps(_ a: [Part], _ i: Int, _ b: [Part], _ j: Int, _ n: Int) -> Bool {
        let ai = i * n, bj = j * n
        for d in 0..<n where !a[ai + d].overlaps(b[bj + d]) { return false }
        return true
    }

    /// Appends box `i` of `a` minus box `j` of `b` as disjoint boxes: per attribute in turn,
    /// the pieces of the rest outside `b`, then the rest narrowed to `b` there.
    private static func appendDifference(_ a: [Part], _ i: Int, _ b: [Part], _ j: Int, _ n: Int,
                                         into out: inout [Part], count: inout Int, scratch rest: inout [Part]) {
        let ai = i * n, bj = j * n
        var overlaps = true
        for d in 0..<n where !a[ai + d].overlaps(b[bj + d]) {
            overlaps = false
            break
        }
        guard overlaps else {
            out.append(contentsOf: a[ai..<(ai + n)])
            count += 1
            return
        }
        for d in 0..<n { rest[d] = a[ai + d] }
        for d in 0..<n {
            let (first, second) = rest[d].pieces(minus: b[bj + d])
            for piece in [first, second] {
                guard let piece else { continue }
                let start = out.count
                out.append(contentsOf: rest)
                out[start + d] = piece
                count += 1
            }
            rest[d] = rest[d].intersect(b[bj + d])
        }
    }

    func union(_ o: Region) -> Region {
        if overflowed || o.overflowed { return .overflow(dimension: dimension) }
        if isEmpty { return o }
        if o.isEmpty { return self }
        let extra = o.subtract(self)
        if extra.overflowed { return .overflow(dimension: dimension) }
        guard count + extra.count <= Region.maxBoxes else { return Region(boxes: boxes + extra.boxes, dimension: dimension).normalized() }
        return Region(parts: parts + extra.parts, count: count + extra.count, dimension: dimension).normalized()
    }

    func complement(in domain: RegionDomain) -> Region {
        Region.full(domain).subtract(self)
    }

    /// Merges boxes that differ in one attribute only and whose parts there join into one,
    /// until none do; then sorts the boxes, so that equal regions have equal forms as far
    /// as merging allows and examples come from the lowest box.
    ///
    /// The merges are those of scanning pairs (i, j) in order and starting again from the
    /// first pair after each merge; rather than start again, the scan looks back only at the
    /// pairs the merge changed (every other earlier pair was already found not to merge), so a
    /// pass costs n² once instead of once per merge.
    func normalized() -> Region {
        let n = dimension
        var store = parts
        // The boxes in list order, by their slot in `store`; a merge rewrites the first slot.
        var live = Array(0..<count)
        // Merging costs n² per pass; large regions stay as they are (still exact, just longer).
        if live.count > 1 && live.count <= 256 {
            var i = 0
            while i < live.count {
                var j = i + 1
                while j < live.count {
                    guard Region.merge(&store, live[i], live[j], n) else { j += 1; continue }
                    live.remove(at: j)
                    // The first pair that can merge now involves the changed box at i.
                    var back = 0
                    while back < i {
                        if Region.merge(&store, live[back], live[i], n) {
                            live.remove(at: i)
                            i = back
                            back = 0
                        } else {
                            back += 1
                        }
                    }
                    j = i + 1
                }
                i += 1
            }
        }
        let sorted = live.sorted { Region.lowerCorner(store, $0, $1, n) }
        var r = self
        r.parts = []
        r.parts.reserveCapacity(sorted.count * n)
        for slot in sorted { r.parts.append(contentsOf: store[slot * n..<(slot + 1) * n]) }
        r.count = sorted.count
        return r
    }

    /// Merges the box in slot `b` into slot `a` when they differ in at most one attribute and
    /// their parts there join into one; true when it did.
    private static func merge(_ store: inout [Part], _ a: Int, _ b: Int, _ n: Int) -> Bool {
        var differing = -1
        for d in 0..<n where store[a * n + d] != store[b * n + d] {
            if differing >= 0 { return false }
            differing = d
        }
        guard differing >= 0 else { return true }
        guard let part = store[a * n + differing].merged(with: store[b * n + differing]) else { return false }
        store[a * n + differing] = part
        return true
    }

    private static func lowerCorner(_ store: [Part], _ a: Int, _ b: Int, _ n: Int) -> Bool {
        lowerCorner(store[a * n..<(a + 1) * n], store[b * n..<(b + 1) * n])
    }

    static func merge(_ a: [Part], _ b: [Part]) -> [Part]? {
        var differing = -1
        for d in a.indices where a[d] != b[d] {
            if differing >= 0 { return nil }
            differing = d
        }
        guard differing >= 0 else { return a }
        guard let part = a[differing].merged(with: b[differing]) else { return nil }
        var out = a
        out[differing] = part
        return out
    }

    static func merge(_ a: Box, _ b: Box) -> Box? { merge(a.parts, b.parts).map(Box.init(parts:)) }

    static func lowerCorner<P: Collection<Part>>(_ a: P, _ b: P) -> Bool {
        for (p, q) in zip(a, b) {
            switch (p, q) {
            case (.interval(let x), .interval(let y)):
                if x.lo != y.lo { return x.lo < y.lo }
                if x.loClosed != y.loClosed { return x.loClosed }
            case (.values(let x), .values(let y)):
                let lx = x.trailingZeroBitCount, ly = y.trailingZeroBitCount
                if lx != ly { return lx < ly }
                if x != y { return x < y }
            default: break
            }
        }
        return false
    }

    static func lowerCorner(_ a: Box, _ b: Box) -> Bool { lowerCorner(a.parts, b.parts) }
}

/// Where a region test reads a customer's coordinates: a point, or a customer whose
/// attributes are drawn as they are read.
protocol Coordinates {
    mutating func coordinate(_ d: Int) -> Double
}

extension UnsafeBufferPointer: Coordinates where Element == Double {
    @inline(__always)
    func coordinate(_ d: Int) -> Double { self[d] }
}

/// Regions laid out flat for fast membership tests in the sampling loops: each region is a
/// short program of tests in one shared array, and its handle is where its program starts.
/// A box keeps only the attributes it constrains: most conditions name one or two attributes
/// of many, and a test then reads only those. A failed test jumps to the next box; the last
/// box fails to `reject`. Testing a point touches plain memory only, with no enums, nested
/// arrays, bounds checks or reference counting: `add` builds every jump, so the program
/// counter stays inside the program and only moves forward.
///
/// Points must lie in the domain (numbers within their declared bounds, valid value codes),
/// as sampled customers do: a part that holds the whole declared range is left out.
struct RegionPool: Sendable {
    struct Instruction: Sendable {
        enum Operation: UInt8, Sendable {
            /// The coordinate must lie in [lo, hi]: open ends are moved to the next
            /// representable double (x > a ⇔ x ≥ a.nextUp), and a set of consecutive value
            /// codes is their range.
            case interval
            /// The coordinate's value code must be in the set `mask` (sets with gaps).
            case values
            /// Every test of the box before passed: the point is in the region.
            case accept
            /// No box held the point.
            case reject
        }

        var operation: Operation
        var dimension: Int32
        /// Where a failed test goes: the first instruction of the next box, or `reject`.
        var onFail: Int32
        var lo: Double = 0
        var hi: Double = 0
        var mask: UInt64 = 0
    }

    private var program: [Instruction] = []
    private let full: [Part]

    init(domain: RegionDomain) { full = domain.full.parts }

    /// Adds a region and returns its handle.
    mutating func add(_ region: Region) -> Int {
        let handle = program.count
        var boxStarts: [Int] = []
        for box in region.boxes {
            boxStarts.append(program.count)
            // Tests read coordinates unchecked: every dimension must be one of the domain's.
            precondition(box.parts.count == full.count, "a box of another domain")
            for (d, part) in box.parts.enumerated() where part.intersect(full[d]) != full[d] {
                switch part {
                case .interval(let i):
                    program.append(Instruction(operation: .interval, dimension: Int32(d), onFail: 0,
                                               lo: i.loClosed ? i.lo : i.lo.nextUp, hi: i.hiClosed ? i.hi : i.hi.nextDown))
                case .values(let m):
                    if let codes = RegionPool.consecutive(m) {
                        program.append(Instruction(operation: .interval, dimension: Int32(d), onFail: 0,
                                                   lo: Double(codes.lowerBound), hi: Double(codes.upperBound)))
                    } else {
                        program.append(Instruction(operation: .values, dimension: Int32(d), onFail: 0, mask: m))
                    }
                }
            }
            program.append(Instruction(operation: .accept, dimension: 0, onFail: 0))
        }
        program.append(Instruction(operation: .reject, dimension: 0, onFail: 0))
        // Each box's tests fail to the next box's start, the last box's to `reject`.
        boxStarts.append(program.count - 1)
        for b in 0..<(boxStarts.count - 1) {
            for i in boxStarts[b]..<boxStarts[b + 1] { program[i].onFail = Int32(boxStarts[b + 1]) }
        }
        return handle
    }

    /// The codes of a set without gaps, as a range; nil for an empty set or one with gaps.
    static func consecutive(_ mask: UInt64) -> ClosedRange<Int>? {
        guard mask != 0 else { return nil }
        let low = mask.trailingZeroBitCount, high = 63 - mask.leadingZeroBitCount
        let run = high - low + 1
        let expected: UInt64 = run == 64 ? .max : ((1 << UInt64(run)) - 1) << UInt64(low)
        return mask == expected ? low...high : nil
    }

    /// True when the point lies in the region with this handle (a value `add` returned).
    @inline(__always)
    func contains<C: Coordinates>(_ handle: Int, _ point: inout C) -> Bool {
        precondition(handle >= 0 && handle < program.count, "not a handle of this pool")
        return program.withUnsafeBufferPointer { program in
            var pc = handle
            // Tests first and by `if` rather than a jump table that every region of every stage
            // shares (callgrind's branch simulation counted that table among the most
            // mispredicted branches; its share of the time was not measured apart).
            while true {
                let operation = program[pc].operation
                if operation == .interval {
                    let x = point.coordinate(Int(program[pc].dimension))
                    pc = x >= program[pc].lo && x <= program[pc].hi ? pc &+ 1 : Int(program[pc].onFail)
                } else if operation == .accept {
                    return true
                } else if operation == .reject {
                    return false
                } else {
                    let x = point.coordinate(Int(program[pc].dimension))
                    // NaN and out-of-range codes become 0 without trapping.
                    let code = Int(x > 0 ? (x < 63 ? x : 63) : 0)
                    pc = (program[pc].mask &>> UInt64(code)) & 1 != 0 ? pc &+ 1 : Int(program[pc].onFail)
                }
            }
        }
    }
}
