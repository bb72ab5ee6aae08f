/// Compiles conditions to exact regions over a domain.
struct RegionCompiler: Sendable {
    private(set) var domain: RegionDomain

    /// A compiler for a design's attributes, with the constants of every condition in the
    /// design recorded so that examples can prefer them.
    init(design: Design) {
        var domain = RegionDomain(attributes: design.customer.attributes)
        var conditions: [Condition] = []
        for stage in design.stages {
            if let a = stage.accepts { conditions.append(a) }
            for route in stage.routes { if let w = route.when { conditions.append(w) } }
        }
        var constants = domain.constants
        var work = conditions
        while let c = work.popLast() {
            switch c {
            case .all(let cs), .any(let cs): work.append(contentsOf: cs)
            case .not(let inner): work.append(inner)
            case .test(let attribute, .numeric(let comparisons), _):
                if let i = domain.index(of: attribute) { constants[i].append(contentsOf: comparisons.map(\.value)) }
            case .test: break
            }
        }
        domain.constants = constants.map { Array(Set($0)).sorted() }
        let supports = design.entries.map { RegionCompiler.support(of: $0, domain) }
        if var hull = supports.first {
            for box in supports.dropFirst() { hull = Box(parts: zip(hull.parts, box.parts).map { $0.hull($1) }) }
            domain.population = hull
        }
        self.domain = domain
    }

    /// The customers an entry can bring: the domain, narrowed by the support of its mix.
    static func support(of entry: Entry, _ domain: RegionDomain) -> Box {
        var box = domain.full
        for (d, attribute) in domain.attributes.enumerated() {
            guard let mix = entry.mix[attribute.name]?.value else { continue }
            let part: Part
            switch mix {
            case .uniform(let a, let b): part = .interval(Interval(lo: a, loClosed: true, hi: b, hiClosed: true))
            case .lognormal: part = .interval(Interval(lo: 0, loClosed: false, hi: .infinity, hiClosed: false))
            case .fixed(let x): part = .interval(Interval(lo: x, loClosed: true, hi: x, hiClosed: true))
            case .weights(let weights):
                let points = weights.filter { $0.weight > 0 }.map { domain.point([attribute.name: $0.value])[d] }
                part = .values(points.reduce(UInt64(0)) { m, x in x.isFinite && x >= 0 && x < 64 ? m | (UInt64(1) << UInt64(x)) : m })
            }
            box.parts[d] = box.parts[d].intersect(part)
        }
        return box
    }

    init(domain: RegionDomain) { self.domain = domain }

    /// The region where `condition` holds; the whole domain for nil.
    func region(_ condition: Condition?) -> Region {
        guard let condition else { return .full(domain) }
        switch condition {
        case .all(let cs):
            return cs.reduce(Region.full(domain)) { $0.intersect(region($1)) }
        case .any(let cs):
            return cs.reduce(Region.empty(domain)) { $0.union(region($1)) }
        case .not(let inner):
            return region(inner).complement(in: domain)
        case .test(let attribute, let test, _):
            guard let d = domain.index(of: attribute) else { return .empty(domain) }
            return testRegion(d, test)
        }
    }

    func box(_ d: Int, _ part: Part) -> Box {
        var b = domain.full
        b.parts[d] = b.parts[d].intersect(part)
        return b
    }

    func testRegion(_ d: Int, _ test: AttributeTest) -> Region {
        let n = domain.attributes.count
        switch test {
        case .numeric(let comparisons):
            var r = Region.full(domain)
            for c in comparisons {
                let v = c.value
                let parts: [Interval]
                switch c.op {
                case .greaterOrEqual: parts = [Interval(lo: v, loClosed: true, hi: .infinity, hiClosed: false)]
                case .greater: parts = [Interval(lo: v, loClosed: false, hi: .infinity, hiClosed: false)]
                case .lessOrEqual: parts = [Interval(lo: -.infinity, loClosed: false, hi: v, hiClosed: true)]
                case .less: parts = [Interval(lo: -.infinity, loClosed: false, hi: v, hiClosed: false)]
                case .equal: parts = [Interval(lo: v, loClosed: true, hi: v, hiClosed: true)]
                case .notEqual: parts = [Interval(lo: -.infinity, loClosed: false, hi: v, hiClosed: false),
                                         Interval(lo: v, loClosed: false, hi: .infinity, hiClosed: false)]
                }
                r = r.intersect(Region(boxes: parts.map { box(d, .interval($0)) }, dimension: n))
            }
            return r
        case .oneOf(let names), .noneOf(let names):
            guard case .enumeration(let values) = domain.attributes[d].kind else { return .empty(domain) }
            var mask: UInt64 = 0
            for name in names { if let i = values.firstIndex(of: name), i < 64 { mask |= UInt64(1) << UInt64(i) } }
            if case .noneOf = test { mask = ~mask }
            return Region(boxes: [box(d, .values(mask))], dimension: n)
        case .isTrue(let b):
            return Region(boxes: [box(d, .values(b ? 1 : 2))], dimension: n)
        }
    }
}

extension Design {
    /// Per stage and route: the share of the customers arriving at the stage who take the
    /// route, estimated from `samples` sampled customers (seeded, as `check` samples them).
    /// Nil when the design cannot be sampled (no entries, or an unbounded attribute without a
    /// mix).
    public func expectedRouteShares(samples: Int = 20_000, seed: UInt64 = 1) -> [[Double]]? {
        let analyses = Analyses(design: self, samples: samples, seed: seed, alwaysSample: true)
        guard let mc = analyses.time.monteCarlo, mc.samples > 0 else { return nil }
        var arrivals = [Int](repeating: 0, count: stages.count)
        for visit in mc.visits { arrivals[visit.stage] += 1 }
        var r = 0
        return stages.enumerated().map { s, stage in
            stage.routes.map { _ in
                defer { r += 1 }
                return arrivals[s] > 0 ? Double(mc.routeTakes[r]) / Double(arrivals[s]) : 0
            }
        }
    }

    /// Each stage's routes in words: the customers each takes (`otherwise` for a route
    /// without `when`), from the same compiled regions the analyses use.
    public func routeLabels() -> [[String]] {
        let compiler = RegionCompiler(design: self)
        return stages.map { stage in
            stage.routes.map { route in
                route.when == nil ? "otherwise" : (route.whenIsInvalid ? Region.empty(compiler.domain) : compiler.region(route.when)).describe(compiler.domain)
            }
        }
    }
}

extension Region {
    /// A customer inside the region: in its first box, each number a value from the
    /// conditions where the box allows one, else a whole number, else a midpoint. Nil when
    /// the region is empty.
    func example(_ domain: RegionDomain) -> Point? {
        guard let box = boxes.first else { return nil }
        return zip(box.parts, domain.constants).map { part, constants in
            switch part {
            case .values(let m): return Double(m.trailingZeroBitCount)
            case .interval(let i): return Region.representative(i, constants)
            }
        }
    }

    static func representative(_ i: Interval, _ constants: [Double]) -> Double {
        if i.loClosed { return i.lo }
        if i.hiClosed { return i.hi }
        if let c = constants.first(where: { i.contains($0) }) { return c }
        let lo = i.lo, hi = i.hi
        if lo.isFinite && hi.isFinite {
            let mid = (lo + hi) / 2
            let whole = mid.rounded()
            if i.contains(whole) { return whole }
            let up = lo.rounded(.down) + 1
            if i.contains(up) { return up }
            return mid
        }
        if lo.isFinite { return lo.rounded(.down) + 1 }
        if hi.isFinite { return hi.rounded(.up) - 1 }
        return 0
    }

    /// The region in words, e.g. "lead_score in [50, 60) and segment = mid"; boxes joined by
    /// "or", at most three.
    func describe(_ domain: RegionDomain) -> String {
        if isEmpty { return "no customer" }
        let shown = boxes.prefix(3).map { Region.describe($0, domain) }
        var text = shown.count == 1 ? shown[0] : shown.map { "(\($0))" }.joined(separator: " or ")
        if boxes.count > 3 { text += " or \(boxes.count - 3) more" }
        return text
    }

    static func describe(_ box: Box, _ domain: RegionDomain) -> String {
        var clauses: [String] = []
        for (d, part) in box.parts.enumerated() where part != domain.full.parts[d] && part != domain.population.parts[d] {
            let a = domain.attributes[d]
            switch (part, a.kind) {
            case (.interval(let i), .number):
                guard case .interval(let full) = domain.full.parts[d], case .interval(let population) = domain.population.parts[d] else { continue }
                clauses.append(describe(i, a.name, [full, population]))
            case (.values(let m), .enumeration(let values)):
                let inside = values.indices.filter { $0 < 64 && m & (UInt64(1) << UInt64($0)) != 0 }.map { values[$0] }
                let outside = values.filter { !inside.contains($0) }
                if inside.count == 1 { clauses.append("\(a.name) = \(inside[0])") }
                else if outside.count == 1 { clauses.append("\(a.name) != \(outside[0])") }
                else if inside.count <= outside.count { clauses.append("\(a.name) in {\(inside.joined(separator: ", "))}") }
                else { clauses.append("\(a.name) not in {\(outside.joined(separator: ", "))}") }
            case (.values(let m), .boolean):
                clauses.append("\(a.name) = \(m == 1 ? "true" : "false")")
            default: break
            }
        }
        return clauses.isEmpty ? "every customer" : clauses.joined(separator: " and ")
    }

    /// An interval in words; a bound that is also the bound of the domain or of the entries'
    /// population goes without saying.
    static func describe(_ i: Interval, _ name: String, _ context: [Interval]) -> String {
        let f = NumberFormatting.plain
        if i.loClosed && i.hiClosed && i.lo == i.hi { return "\(name) = \(f(i.lo))" }
        let lowerIsDomain = context.contains { i.lo == $0.lo && i.loClosed == $0.loClosed }
        let upperIsDomain = context.contains { i.hi == $0.hi && i.hiClosed == $0.hiClosed }
        if lowerIsDomain { return "\(name) \(i.hiClosed ? "<=" : "<") \(f(i.hi))" }
        if upperIsDomain { return "\(name) \(i.loClosed ? ">=" : ">") \(f(i.lo))" }
        return "\(name) in \(i.loClosed ? "[" : "(")\(f(i.lo)), \(f(i.hi))\(i.hiClosed ? "]" : ")")"
    }
}
