import Foundation

/// The JSON Schema (draft-07) of format v1, for editors (yaml-language-server) and for
/// validating designs outside stackup. Built from typed nodes; `stackup schema` prints it and a
/// test keeps `Schema/stackup.schema.json` identical. Stackup's own checks go further (names,
/// references, orders); the schema gives shape and documentation.
public enum FormatSchema {
    /// One schema node; a class so that nodes can nest.
    package final class Node: Encodable {
        package var type: String?
        package var description: String?
        var properties: [String: Node]?
        var additionalProperties: Additional?
        package var required: [String]?
        var items: Node?
        var anyOf: [Node]?
        var enumeration: [String]?
        var pattern: String?
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var minItems: Int?
        var maxItems: Int?
        var constant: Int?
        var reference: String?
        /// The format map the node was built from, for the key reference; not part of the schema.
        var mapName: String?

        enum Additional: Encodable {
            case allowed(Bool)
            case schema(Node)

            func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .allowed(let b): try c.encode(b)
                case .schema(let n): try c.encode(n)
                }
            }
        }

        enum CodingKeys: String, CodingKey {
            case type, description, properties, additionalProperties, required, items, anyOf, pattern, minimum, maximum
            case exclusiveMinimum, minItems, maxItems
            case enumeration = "enum", constant = "const", reference = "$ref"
        }

        init(_ description: String? = nil, type: String? = nil) {
            self.description = description
            self.type = type
        }
    }

    static func object(_ description: String, _ properties: [String: Node], required: [String]? = nil) -> Node {
        let n = Node(description, type: "object")
        n.properties = properties
        n.additionalProperties = .allowed(false)
        n.required = required
        return n
    }

    static func map(_ description: String, of value: Node) -> Node {
        let n = Node(description, type: "object")
        n.additionalProperties = .schema(value)
        return n
    }

    static func string(_ description: String, pattern: String? = nil, oneOf values: [String]? = nil) -> Node {
        let n = Node(description, type: "string")
        n.pattern = pattern
        n.enumeration = values
        return n
    }

    static func list(_ description: String, of item: Node) -> Node {
        let n = Node(description, type: "array")
        n.items = item
        return n
    }

    static func number(_ description: String, type: String = "number", minimum: Double? = nil, maximum: Double? = nil) -> Node {
        let n = Node(description, type: type)
        n.minimum = minimum
        n.maximum = maximum
        return n
    }

    static func ref(_ name: String, _ description: String) -> Node {
        let n = Node(description)
        n.reference = "#/definitions/\(name)"
        return n
    }

    static func any(_ description: String, _ options: [Node]) -> Node {
        let n = Node(description)
        n.anyOf = options
        return n
    }

    static let durationPattern = "^-?[0-9]+(\\.[0-9]+)?\\s*(m|h|d|w|bh|bd)$"
    static let ratePattern = "^([0-9]+(\\.[0-9]+)?\\s*/\\s*(hour|day|week|month)|unlimited)$"

    public struct Document: Encodable {
        let schema = "http://json-schema.org/draft-07/schema#"
        let id = "https://stackup.invalid/schemas/stackup-v1.json"
        let title = "Stackup organisation design, format v1"
        public let description = "A go-to-market organisation as an assembly line of specialists: customers, entries and stages."
        public let type = "object"
        let properties: [String: Node]
        let additionalProperties = false
        public let required: [String]
        let definitions: [String: Node]
        enum CodingKeys: String, CodingKey { case schema = "$schema", id = "$id", title, description, type, properties, additionalProperties, required, definitions }
    }

    static func document() -> Document {
        let duration = string("A duration: a number and a unit, m, h, d, w, or business bh, bd.", pattern: durationPattern)
        let rate = string("A rate such as 400/week, 80/day, 5/hour, 40/month (30 days), or unlimited.", pattern: ratePattern)
        let timeSpec = any("A time spec: a bare duration (read as within), or fixed, within, or percentiles with an optional max.",
                           [ref("duration", "Read as {within: D}."), object(Self.timeSpec)])
        let test = any("A test of one attribute: a quoted comparison such as \">= 60\" or \">= 50, < 80\", a number (equality), true/false, a list of values, or {except: [values]}.",
                       [string("Comparisons joined by commas."), number("Equality."), Node("A boolean.", type: "boolean"),
                        list("The attribute is one of these.", of: string("A value.")),
                        object(exclusion)])
        let condition = object(Self.condition)
        condition.additionalProperties = .schema(test)
        return Document(properties: Dictionary(uniqueKeysWithValues: root.keys.map { ($0.name, $0.node) }), required: root.required,
                        definitions: ["duration": duration, "rate": rate, "timeSpec": timeSpec, "condition": condition])
    }

    /// The schema as JSON text, with sorted keys so that it is byte-stable.
    public static func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document()) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
