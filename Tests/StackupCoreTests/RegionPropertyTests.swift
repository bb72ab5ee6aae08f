import StackupYAML
import Testing
@testable import StackupCore

/// Cross-checks the exact region algebra against brute-force evaluation of the same
/// conditions on a dense grid. Conditions compare with whole numbers from 0 to 3, so a
/// half-step grid from -0.5 to 3.5 visits every bound, both sides of it, and a point strictly
/// between any two: a region is empty exactly when no grid point lies in it.
/// The project's own seeded generator, with a helper for small ranges.
typealias Random = Xoshiro256StarStar

extension Xoshiro256StarStar {
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite struct RegionPropertyTests {
    static let location = Location(file: "t", span: Span(at: .start))

    static func attributes(_ rng: inout Random) -> [Attribute] {
        let count = 2 + rng.int(4)
        var numeric = 0
        return (0..<count).map { i in
            let name = "a\(i)"
            var kind = rng.int(3)
            if kind == 0 && numeric >= (count >= 4 ? 2 : 3) { kind = 1 }
            switch kind {
            case 0:
                numeric += 1
                // Bounded, half-bounded and unbounded numbers.
                let bounds: [(Double?, Double?)] = [(0, 3), (1, nil), (nil, 2), (nil, nil)]
                let (lo, hi) = bounds[rng.int(bounds.count)]
                return Attribute(name: name, kind: .number(min: lo, max: hi), location: location)
            case 1: return Attribute(name: name, kind: .enumeration(["x", "y", "z"]), location: location)
            default: return Attribute(name: name, kind: .boolean, location: location)
            }
        }
    }

    static func condition(_ attributes: [Attribute], _ rng: inout Random, depth: Int = 0) -> Condition {
        let roll = rng.int(depth >= 2 ? 4 : 7)
        switch roll {
        case 4: return .any((0..<(1 + rng.int(3))).map { _ in condition(attributes, &rng, depth: depth + 1) })
        case 5: return .not(condition(attributes, &rng, depth: depth + 1))
        case 6: return .all((0..<(1 + rng.int(3))).map { _ in condition(attributes, &rng, depth: depth + 1) })
        default:
            let a = attributes[rng.int(attributes.count)]
            switch a.kind {
            case .number:
                let ops = Comparison.Operator.allCases
                let comparisons = (0..<(1 + rng.int(2))).map { _ in Comparison(ops[rng.int(ops.count)], Double(rng.int(4))) }
                return .test(attribute: a.name, .numeric(comparisons), location)
            case .enumeration(let values):
                let chosen = values.filter { _ in rng.int(2) == 0 }
                return .test(attribute: a.name, rng.int(2) == 0 ? .oneOf(chosen) : .noneOf(chosen), location)
            case .boolean:
                return .test(attribute: a.name, .isTrue(rng.int(2) == 0), location)
            }
        }
    }

    /// Every grid point of the domain; numbers from -0.5 to 3.5 by halves, clipped to bounds.
    static func grid(_ domain: RegionDomain) -> [Point] {
        var points: [Point] = [[]]
        for a in domain.attributes {
            let axis: [Double]
            switch a.kind {
            case .number(let lo, let hi):
                axis = stride(from: -0.5, through: 3.5, by: 0.5).filter { x in (lo.map { x >= $0 } ?? true) && (hi.map { x <= $0 } ?? true) }
            case .enumeration(let values): axis = values.indices.map(Double.init)
            case .boolean: axis = [0, 1]
            }
            points = points.flatMap { p in axis.map { p + [$0] } }
        }
        return points
    }

    /// Value sets without gaps become range tests in the pool; sets with gaps stay masks.
    @Test func consecutiveCodesAreARange() {
        #expect(RegionPool.consecutive(0b0110) == 1...2)
        #expect(RegionPool.consecutive(0b1) == 0...0)
        #expect(RegionPool.consecutive(.max) == 0...63)
        #expect(RegionPool.consecutive(UInt64(1) << 63) == 63...63)
        #expect(RegionPool.consecutive(0b0101) == nil)
        #expect(RegionPool.consecutive(0) == nil)
    }

    @Test func regionAlgebraAgreesWithBruteForce() {
        var rng = Random(seed: 20261129)
        var nonEmpty = 0
        var checkedPoints = 0
        for _ in 0..<10_000 {
            let attributes = Self.attributes(&rng)
            let domain = RegionDomain(attributes: attributes)
            let compiler = RegionCompiler(domain: domain)
            let a = Self.condition(attributes, &rng)
            let b = Self.condition(attributes, &rng)
            let ra = compiler.region(a)
            let rb = compiler.region(b)
            let difference = ra.subtract(rb)
            let intersection = ra.intersect(rb)
            let union = ra.union(rb)
            // The flat pool the sampling loops test against must agree with the regions.
            var pool = RegionPool(domain: domain)
            let handles = [ra, difference, union].map { pool.add($0) }
            var anyInside = false
            var mismatch: String?
            let grid = Self.grid(domain)
            let names = attributes.map(\.name)
            for point in grid {
                var customer: [String: AttributeValue] = [:]
                for (d, a) in attributes.enumerated() {
                    switch a.kind {
                    case .number: customer[names[d]] = .number(point[d])
                    case .enumeration(let values): customer[names[d]] = .symbol(values[Int(point[d])])
                    case .boolean: customer[names[d]] = .bool(point[d] == 0)
                    }
                }
                let inA = a.holds(customer), inB = b.holds(customer)
                if ra.contains(point) != inA || difference.contains(point) != (inA && !inB)
                    || intersection.contains(point) != (inA && inB) || union.contains(point) != (inA || inB)
                    || difference.boxes.filter({ $0.contains(point) }).count > 1
                    || zip(handles, [ra, difference, union]).contains(where: { h, r in point.withUnsafeBufferPointer { var p = $0; return pool.contains(h, &p) } != r.contains(point) }) {
                    mismatch = mismatch ?? "at \(domain.customer(point).description): A=\(inA) B=\(inB)"
                }
                if inA && !inB { anyInside = true }
            }
            checkedPoints += grid.count
            // Brute force and the algebra must agree at every point, and boxes stay disjoint.
            #expect(mismatch == nil, "\(mismatch ?? "")\n A = \(a)\n B = \(b)")
            #expect(difference.isEmpty == !anyInside)
            if let example = difference.example(domain) {
                nonEmpty += 1
                let customer = Dictionary(uniqueKeysWithValues: domain.customer(example).values.map { ($0.name, $0.value) })
                #expect(a.holds(customer) && !b.holds(customer), "example \(domain.customer(example).description) is outside \(difference.describe(domain))")
                #expect(difference.contains(example))
            }
        }
        #expect(nonEmpty > 2_000)
        print("region property: \(checkedPoints) grid points, \(nonEmpty) non-empty differences")
        #expect(checkedPoints > 500_000)
    }

    @Test func examplesPreferConditionValuesAndWholeNumbers() {
        let attrs = [Attribute(name: "lead_score", kind: .number(min: 0, max: 100), location: Self.location),
                     Attribute(name: "segment", kind: .enumeration(["smb", "mid", "enterprise"]), location: Self.location)]
        var domain = RegionDomain(attributes: attrs)
        domain.constants = [[50, 55, 60], []]
        let compiler = RegionCompiler(domain: domain)
        let open = compiler.region(.test(attribute: "lead_score", .numeric([Comparison(.greater, 50), Comparison(.less, 60)]), Self.location))
        #expect(open.example(domain) == [55, 0])
        #expect(open.describe(domain) == "lead_score in (50, 60)")
        let halfOpen = compiler.region(.all([
            .test(attribute: "lead_score", .numeric([Comparison(.greaterOrEqual, 50), Comparison(.less, 60)]), Self.location),
            .test(attribute: "segment", .oneOf(["mid"]), Self.location),
        ]))
        #expect(halfOpen.example(domain) == [50, 1])
        #expect(halfOpen.describe(domain) == "lead_score in [50, 60) and segment = mid")
        let above = compiler.region(.test(attribute: "lead_score", .numeric([Comparison(.greater, 60.5)]), Self.location))
        #expect(above.example(domain) == [100, 0])
        #expect(above.describe(domain) == "lead_score > 60.5")
        var bare = RegionDomain(attributes: [Attribute(name: "x", kind: .number(min: nil, max: nil), location: Self.location)])
        bare.constants = [[]]
        let gt = RegionCompiler(domain: bare).region(.test(attribute: "x", .numeric([Comparison(.greater, 7.5)]), Self.location))
        #expect(gt.example(bare) == [8])
        let tiny = RegionCompiler(domain: bare).region(.test(attribute: "x", .numeric([Comparison(.greater, 7), Comparison(.less, 7.5)]), Self.location))
        #expect(tiny.example(bare) == [7.25])
    }

    /// Repeated subtraction must not grow without bound: merging keeps slices of one
    /// attribute as one box.
    @Test func repeatedSubtractionStaysSmall() {
        let attrs = [Attribute(name: "s", kind: .number(min: 0, max: 100), location: Self.location),
                     Attribute(name: "t", kind: .enumeration(["a", "b"]), location: Self.location)]
        let domain = RegionDomain(attributes: attrs)
        let compiler = RegionCompiler(domain: domain)
        var r = Region.full(domain)
        for k in 0..<50 {
            r = r.subtract(compiler.region(.test(attribute: "s", .numeric([Comparison(.greaterOrEqual, Double(k)), Comparison(.less, Double(k) + 1)]), Self.location)))
        }
        #expect(r.boxes.count == 1)
        #expect(r.describe(domain) == "s >= 50")
    }
}
