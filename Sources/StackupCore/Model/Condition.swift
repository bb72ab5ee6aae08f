/// A comparison against a number, e.g. `>= 60`.
public struct Comparison: Hashable, Sendable, CustomStringConvertible {
    /// A comparison operator.
    enum Operator: String, Sendable, CaseIterable {
        case greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<", equal = "==", notEqual = "!="
    }

    var op: Operator
    public var value: Double

    init(_ op: Operator, _ value: Double) {
        self.op = op
        self.value = value
    }

    func holds(_ x: Double) -> Bool {
        switch op {
        case .greaterOrEqual: return x >= value
        case .lessOrEqual: return x <= value
        case .greater: return x > value
        case .less: return x < value
        case .equal: return x == value
        case .notEqual: return x != value
        }
    }

    public var description: String { "\(op.rawValue) \(NumberFormatting.plain(value))" }
}

/// The test a condition applies to one attribute.
public enum AttributeTest: Hashable, Sendable {
    /// All comparisons must hold.
    case numeric([Comparison])
    /// The value is one of these.
    case oneOf([String])
    /// The value is none of these.
    case noneOf([String])
    /// The boolean equals this.
    case isTrue(Bool)
}

/// A compiled condition (`accepts`, route `when`). Several keys all must hold; `any` and
/// `not` combine conditions.
public indirect enum Condition: Hashable, Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case test(attribute: String, AttributeTest, Location)

    /// Evaluates the condition on one customer (attribute name → value).
    func holds(_ customer: [String: AttributeValue]) -> Bool {
        switch self {
        case .all(let cs): return cs.allSatisfy { $0.holds(customer) }
        case .any(let cs): return cs.contains { $0.holds(customer) }
        case .not(let c): return !c.holds(customer)
        case .test(let attribute, let test, _):
            guard let value = customer[attribute] else { return false }
            switch (test, value) {
            case (.numeric(let comparisons), .number(let x)): return comparisons.allSatisfy { $0.holds(x) }
            case (.oneOf(let values), .symbol(let s)): return values.contains(s)
            case (.noneOf(let values), .symbol(let s)): return !values.contains(s)
            case (.isTrue(let b), .bool(let v)): return b == v
            default: return false
            }
        }
    }
}
