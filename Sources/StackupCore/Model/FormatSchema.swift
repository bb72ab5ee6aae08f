import Foundation

/// The JSON Schema (draft-07) of format v1, for editors (yaml-language-server) and for
/// validating designs outside stackup. Built from typed nodes; `stackup schema` prints it and a
/// test keeps `Schema/stackup.schema.json` identical. Stackup's own checks go further (names,
/// references, orders); the schema gives shape and documentation.
public enum FormatSchema {
    /// One schema node; a class so that nodes can nest.
    final class Node: Encodable {
        var type: String?
        var description: String?
        var properties: [String: Node]?
        var additionalProperties: Additional?
        var required: [String]?
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

    struct Document: Encodable {
        let schema = "http://json-schema.org/draft-07/schema#"
        let id = "https://stackup.invalid/schemas/stackup-v1.json"
        let title = "Stackup organisation design, format v1"
        let description = "A go-to-market organisation as an assembly line of specialists: customers, entries and stages."
        let type = "object"
        let properties: [String: Node]
        let additionalProperties = false
        let required = ["stackup"]
        let definitions: [String: Node]
        enum CodingKeys: String, CodingKey { case schema = "$schema", id = "$id", title, description, type, properties, additionalProperties, required, definitions }
    }

    static func document() -> Document {
        let names = { (what: String) in list(what, of: string("A name.")) }
        let duration = string("A duration: a number and a unit, m, h, d, w, or business bh, bd.", pattern: durationPattern)
        let rate = string("A rate such as 400/week, 80/day, 5/hour, 40/month (30 days), or unlimited.", pattern: ratePattern)
        let budgets: [String: Node] = ["p50": ref("duration", "Median."), "p90": ref("duration", "90th percentile."),
                                       "p99": ref("duration", "99th percentile."), "max": ref("duration", "Upper bound; truncates.")]
        var specProperties = budgets
        specProperties["fixed"] = ref("duration", "Always exactly this long.")
        specProperties["within"] = ref("duration", "A hard bound; uniform on [0, D] when sampled.")
        let timeSpec = any("A time spec: a bare duration (read as within), or fixed, within, or percentiles with an optional max.",
                           [ref("duration", "Read as {within: D}."), object("Fixed, within, or percentiles with an optional max.", specProperties)])
        let test = any("A test of one attribute: a quoted comparison such as \">= 60\" or \">= 50, < 80\", a number (equality), true/false, a list of values, or {except: [values]}.",
                       [string("Comparisons joined by commas."), number("Equality."), Node("A boolean.", type: "boolean"),
                        list("The attribute is one of these.", of: string("A value.")),
                        object("The attribute is none of these.", ["except": list("Values excluded.", of: string("A value."))], required: ["except"])])
        let condition = Node("A condition: attribute → test, all must hold; any: alternatives; not: negation.", type: "object")
        condition.properties = ["any": list("Holds when one alternative holds.", of: ref("condition", "An alternative.")),
                                "not": ref("condition", "Holds when this does not.")]
        condition.additionalProperties = .schema(test)
        let weights = map("Value → weight, for an enumeration or a boolean; weights are normalised.", of: number("A weight, at least 0.", minimum: 0))
        let uniform = list("Two numbers [a, b].", of: number("A bound."))
        uniform.minItems = 2
        uniform.maxItems = 2
        let mix = any("How arriving customers are distributed on one attribute.", [
            object("Uniform on [a, b].", ["uniform": uniform], required: ["uniform"]),
            object("Lognormal through two percentiles.", ["lognormal": object("Percentiles.", ["p50": number("Median, above 0."), "p90": number("90th percentile, above the median.")], required: ["p50", "p90"])], required: ["lognormal"]),
            object("Always this value.", ["fixed": number("The value.")], required: ["fixed"]),
            weights,
        ])
        let attribute = any("A customer attribute: boolean, number, a list of values (enumeration), or a numeric range.", [
            string("boolean or number.", oneOf: ["boolean", "number"]),
            list("An enumeration's values.", of: string("A value.")),
            object("A number, optionally bounded.", ["min": number("Lowest value."), "max": number("Highest value.")]),
            Node("A number with no bounds.", type: "null"),
        ])
        let promise = object("An end-to-end budget the customer is promised.", [
            "from": string("start (default: arrival at the entry) or a stage id: the clock starts when the customer reaches it."),
            "to": any("A stage, a list of stages (whichever comes first), or first-contact.", [string("A stage id, or first-contact."), names("Stage ids.")]),
            "until": string("reached (default): the clock stops on reaching `to`; done: when that stage hands the customer on.", oneOf: ["reached", "done"]),
        ].merging(budgets) { a, _ in a }, required: ["to"])
        let customer = object("The customer side of the design.", [
            "attributes": map("What criteria and routes talk about, by name.", of: attribute),
            "committee": names("Buying-committee roles."),
            "never_ask_twice": names("Fields the customer must never be asked for twice."),
            "max_handoffs": number("Most changes of contact person allowed on a path.", type: "integer", minimum: 0),
            "max_loops": number("How often a customer may be sent back (default 1).", type: "integer", minimum: 0, maximum: 20),
            "max_owner_changes": number("Most changes of relationship owner on a path to won (default 1).", type: "integer", minimum: 0),
            "promises": map("End-to-end budgets, by name.", of: promise),
            "targets": map("Outcome (won, lost or an outcome stage) → rate the design must reach.", of: ref("rate", "Expected outcome rate.")),
        ])
        let entry = object("Where customers come in.", [
            "to": string("The stage that receives them."),
            "rate": ref("rate", "Arrivals; a positive, finite rate."),
            "arrives": string("anytime (default) or business_hours.", oneOf: ["anytime", "business_hours"]),
            "mix": map("How arriving customers are distributed, by attribute.", of: mix),
            "cv": number("Coefficient of variation of the time between arrivals (default 1: Poisson)."),
        ], required: ["to", "rate"])
        let capacity = any("Capacity: {people, each}, a bare rate (one person), or unlimited (default).", [
            ref("rate", "One person at this rate, or unlimited."),
            object("People and what each handles.", ["people": number("How many people.", type: "integer", minimum: 1),
                                                      "each": ref("rate", "What one person handles."),
                                                      "cv": number("Coefficient of variation of the effort (default 1).", minimum: 0)],
                   required: ["people", "each"]),
        ])
        let route = object("A route: first match wins.", [
            "to": string("The next stage."),
            "when": ref("condition", "Who takes this route; only the last route may leave it out."),
            "delay": ref("timeSpec", "Time between the handoff and the next team picking it up."),
        ], required: ["to"])
        let stage = object("A team, or an outcome.", [
            "team": string("Display name."),
            "description": string("Display text."),
            "outcome": string("Marks a terminal stage.", oneOf: ["won", "lost"]),
            "contact": Node("The customer deals with this stage's person (default false).", type: "boolean"),
            "owns_relationship": Node("Accountable for the whole relationship (default false).", type: "boolean"),
            "accepts": ref("condition", "Qualification criteria; default: everyone."),
            "rejects_to": string("Stage that receives customers failing accepts; default: dropped."),
            "sla": ref("timeSpec", "The stage's own time, from receiving a customer to handing them on, on an idle line."),
            "responds": ref("timeSpec", "Time from receiving a customer to the first touch (speed to lead on a contact stage); at most the `sla` bound."),
            "capacity": capacity,
            "requires": names("Fields the stage needs."),
            "captures": names("Fields the stage asks the customer for."),
            "hands_off": names("Fields its handoff carries; default: all known."),
            "engages": names("Committee roles it works with."),
            "max_visits": number("Most visits per customer: the customer arriving for the (N+1)-th time is dropped there.", type: "integer", minimum: 1, maximum: 100),
            "routes": list("Ordered routes; first match wins.", of: route),
        ])
        let calendar = object("When business time runs (default Mon–Fri 09:00–17:00).", [
            "workdays": list("Working days.", of: string("A day.", oneOf: Weekday.allCases.map(\.rawValue))),
            "hours": string("Working hours, HH:MM-HH:MM.", pattern: "^[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}$"),
        ])
        let version = Node("Format version; must be 1.")
        version.constant = 1
        return Document(
            properties: ["stackup": version, "name": string("Shown in reports."),
                         "include": names("Files whose stages and entries join this design, relative to this file."),
                         "calendar": calendar, "customer": customer,
                         "entries": map("Where customers come in, by name.", of: entry),
                         "stages": map("The teams and the outcomes, by id.", of: stage)],
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
