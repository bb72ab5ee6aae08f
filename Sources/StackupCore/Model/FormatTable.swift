/// Format v1's maps and their keys, declared once: the decoder's unknown-key and missing-key
/// checks (and their did-you-means), the JSON Schema (`stackup schema`) and the key reference
/// (`docs/keys.md`, from `stackup schema --format markdown`) all read this table. The decoder
/// may read only keys declared here (`Fields` asserts it), so none of them can drift apart.
package struct FormatMap {
    /// How the docs name the map: `stage`, `route`, …
    package let name: String
    package let description: String
    package let keys: [FormatKey]

    /// The keys in the order the format lists them (messages list them so).
    var names: [String] { keys.map(\.name) }
    package var required: [String] { keys.filter(\.required).map(\.name) }

    init(_ name: String, _ description: String, _ keys: [FormatKey]) {
        self.name = name
        self.description = description
        self.keys = keys
    }
}

/// A map's key names and required keys, kept for the decoder (the table's nodes are built
/// on each read, for the schema and the docs).
package struct FormatKeys: Sendable {
    let names: [String]
    package let required: [String]

    init(_ map: FormatMap) {
        names = map.names
        required = map.required
    }
}

/// One key of a map: its name, its value's schema (type and description), and whether the
/// map must have it.
package struct FormatKey {
    package let name: String
    let node: FormatSchema.Node
    package let required: Bool

    init(_ name: String, _ node: FormatSchema.Node, required: Bool = false) {
        self.name = name
        self.node = node
        self.required = required
    }
}

extension FormatSchema {
    /// Every map of the format, in the order the docs list them.
    static var maps: [FormatMap] {
        [root, calendar, customer, promise, entry, mix, lognormalMix, range, stage, capacity, route, timeSpec, condition, exclusion]
    }

    static func names(_ what: String) -> Node { list(what, of: string("A name.")) }

    static var budgets: [FormatKey] {
        [FormatKey("p50", ref("duration", "Median.")), FormatKey("p90", ref("duration", "90th percentile.")),
         FormatKey("p99", ref("duration", "99th percentile.")), FormatKey("max", ref("duration", "Upper bound; truncates."))]
    }

    static var root: FormatMap {
        let version = Node("Format version; must be 1.")
        version.constant = 1
        return FormatMap("design", "A go-to-market organisation as an assembly line of specialists: customers, entries and stages.", [
            FormatKey("stackup", version, required: true),
            FormatKey("name", string("Shown in reports.")),
            FormatKey("include", names("Files whose stages and entries join this design, relative to this file.")),
            FormatKey("calendar", object(calendar)),
            FormatKey("customer", object(customer)),
            FormatKey("entries", map("Where customers come in, by name.", of: object(entry))),
            FormatKey("stages", map("The teams and the outcomes, by id.", of: object(stage))),
        ])
    }

    /// What an included file may hold: the root's keys but the design-wide `calendar` and
    /// `customer`.
    static var fragment: FormatMap {
        FormatMap("included file", "Stages and entries that join the including design.",
                  root.keys.filter { $0.name != "calendar" && $0.name != "customer" }.map { FormatKey($0.name, $0.node) })
    }

    static var calendar: FormatMap {
        FormatMap("calendar", "When business time runs (default Mon–Fri 09:00–17:00).", [
            FormatKey("workdays", list("Working days.", of: string("A day.", oneOf: Weekday.allCases.map(\.rawValue)))),
            FormatKey("hours", string("Working hours, HH:MM-HH:MM.", pattern: "^[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}$")),
        ])
    }

    static var customer: FormatMap {
        let attribute = any("A customer attribute: boolean, number, a list of values (enumeration), or a numeric range.", [
            string("boolean or number.", oneOf: ["boolean", "number"]),
            list("An enumeration's values.", of: string("A value.")),
            object(range),
            Node("A number with no bounds.", type: "null"),
        ])
        return FormatMap("customer", "The customer side of the design.", [
            FormatKey("attributes", map("What criteria and routes talk about, by name.", of: attribute)),
            FormatKey("committee", names("Buying-committee roles.")),
            FormatKey("never_ask_twice", names("Fields the customer must never be asked for twice.")),
            FormatKey("max_handoffs", number("Most changes of contact person allowed on a path.", type: "integer", minimum: 0)),
            FormatKey("max_loops", number("How often a customer may be sent back (default 1).", type: "integer", minimum: 0, maximum: 20)),
            FormatKey("max_owner_changes", number("Most changes of relationship owner on a path to won (default 1).", type: "integer", minimum: 0)),
            FormatKey("promises", map("End-to-end budgets, by name.", of: object(promise))),
            FormatKey("targets", map("Outcome (won, lost or an outcome stage) → rate the design must reach.", of: ref("rate", "Expected outcome rate."))),
        ])
    }

    static var range: FormatMap {
        FormatMap("numeric attribute", "A number, optionally bounded.",
                  [FormatKey("min", number("Lowest value.")), FormatKey("max", number("Highest value."))])
    }

    static var promise: FormatMap {
        FormatMap("promise", "An end-to-end budget the customer is promised.", [
            FormatKey("from", string("start (default: arrival at the entry) or a stage id: the clock starts when the customer reaches it.")),
            FormatKey("to", any("A stage, a list of stages (whichever comes first), or first-contact.", [string("A stage id, or first-contact."), names("Stage ids.")]),
                      required: true),
            FormatKey("until", string("reached (default): the clock stops on reaching `to`; done: when that stage hands the customer on.", oneOf: ["reached", "done"])),
            FormatKey("for", ref("condition", "The customers the promise is made to, as they enter (the syntax of `when`); default: everyone.")),
        ] + budgets)
    }

    static var entry: FormatMap {
        FormatMap("entry", "Where customers come in.", [
            FormatKey("to", string("The stage that receives them."), required: true),
            FormatKey("rate", ref("rate", "Arrivals; a positive, finite rate."), required: true),
            FormatKey("arrives", string("anytime (default) or business_hours.", oneOf: ["anytime", "business_hours"])),
            FormatKey("mix", map("How arriving customers are distributed, by attribute.", of: mixNode)),
            FormatKey("cv", number("Coefficient of variation of the time between arrivals (default 1: Poisson).")),
        ])
    }

    /// An entry's mix of one attribute: exactly one of these keys, or a map of weights.
    static var mix: FormatMap {
        let uniform = list("Two numbers [a, b].", of: number("A bound."))
        uniform.minItems = 2
        uniform.maxItems = 2
        return FormatMap("mix", "How arriving customers are distributed on one attribute: one of these, or value → weight.", [
            FormatKey("uniform", uniform),
            FormatKey("lognormal", object(lognormalMix)),
            FormatKey("fixed", number("The value.")),
        ])
    }

    static var lognormalMix: FormatMap {
        FormatMap("lognormal mix", "Percentiles.", [FormatKey("p50", number("Median, above 0."), required: true),
                                                      FormatKey("p90", number("90th percentile, above the median."), required: true)])
    }

    static var mixNode: Node {
        let descriptions = ["uniform": "Uniform on [a, b].", "lognormal": "Lognormal through two percentiles.", "fixed": "Always this value."]
        let weights = map("Value → weight, for an enumeration or a boolean; weights are normalised.", of: number("A weight, at least 0.", minimum: 0))
        let node = any("How arriving customers are distributed on one attribute.",
                       mix.keys.map { key in object(descriptions[key.name] ?? "", [key.name: key.node], required: [key.name]) } + [weights])
        node.mapName = mix.name
        return node
    }

    static var stage: FormatMap {
        FormatMap("stage", "A team, or an outcome.", [
            FormatKey("team", string("Display name.")),
            FormatKey("description", string("Display text.")),
            FormatKey("outcome", string("Marks a terminal stage.", oneOf: ["won", "lost"])),
            FormatKey("contact", Node("The customer deals with this stage's person (default false).", type: "boolean")),
            FormatKey("owns_relationship", Node("Accountable for the whole relationship (default false).", type: "boolean")),
            FormatKey("accepts", ref("condition", "Qualification criteria; default: everyone.")),
            FormatKey("rejects_to", string("Stage that receives customers failing accepts; default: dropped.")),
            FormatKey("sla", ref("timeSpec", "The stage's own time, from receiving a customer to handing them on, on an idle line.")),
            FormatKey("responds", ref("timeSpec", "Time from receiving a customer to the first touch (speed to lead on a contact stage); at most the `sla` bound.")),
            FormatKey("capacity", any("Capacity: {people, each}, a bare rate (one person), or unlimited (default).",
                                      [ref("rate", "One person at this rate, or unlimited."), object(capacity)])),
            FormatKey("requires", names("Fields the stage needs.")),
            FormatKey("captures", names("Fields the stage asks the customer for.")),
            FormatKey("hands_off", names("Fields its handoff carries; default: all known.")),
            FormatKey("engages", names("Committee roles it works with.")),
            FormatKey("max_visits", number("Most visits per customer: the customer arriving for the (N+1)-th time is dropped there.", type: "integer", minimum: 1, maximum: 100)),
            FormatKey("routes", list("Ordered routes; first match wins.", of: object(route))),
        ])
    }

    static var capacity: FormatMap {
        FormatMap("capacity", "People and what each handles.", [
            FormatKey("people", number("How many people.", type: "integer", minimum: 1), required: true),
            FormatKey("each", ref("rate", "What one person handles."), required: true),
            FormatKey("cv", number("Coefficient of variation of the effort (default 1).", minimum: 0)),
        ])
    }

    static var route: FormatMap {
        FormatMap("route", "A route: first match wins.", [
            FormatKey("to", string("The next stage."), required: true),
            FormatKey("when", ref("condition", "Who takes this route; only the last route may leave it out.")),
            FormatKey("delay", ref("timeSpec", "Time between the handoff and the next team picking it up.")),
            FormatKey("share", shareNode),
        ])
    }

    /// A route's conversion share: 0 < share <= 1.
    static var shareNode: Node {
        let node = number("Of the customers who reach the route and match its `when`, the share it takes at random (default 1); the others go on to the next route.", maximum: 1)
        node.exclusiveMinimum = 0
        return node
    }

    static var timeSpec: FormatMap {
        FormatMap("time spec", "Fixed, within, or percentiles with an optional max.", [
            FormatKey("fixed", ref("duration", "Always exactly this long.")),
            FormatKey("within", ref("duration", "A hard bound; uniform on [0, D] when sampled.")),
        ] + budgets)
    }

    /// A condition's keywords; its other keys are attribute names, each with a test.
    static var condition: FormatMap {
        FormatMap("condition", "A condition: attribute → test, all must hold; any: alternatives; not: negation.", [
            FormatKey("any", list("Holds when one alternative holds.", of: ref("condition", "An alternative."))),
            FormatKey("not", ref("condition", "Holds when this does not.")),
        ])
    }

    /// An enumeration test that excludes values.
    static var exclusion: FormatMap {
        FormatMap("exclusion", "The attribute is none of these.", [FormatKey("except", list("Values excluded.", of: string("A value.")), required: true)])
    }

    /// An object node with the map's keys as its properties.
    static func object(_ map: FormatMap) -> Node {
        let required = map.required
        let node = object(map.description, Dictionary(uniqueKeysWithValues: map.keys.map { ($0.name, $0.node) }), required: required.isEmpty ? nil : required)
        node.mapName = map.name
        return node
    }
}

/// The key reference the docs print: every map of the format with its keys, value types and
/// descriptions, read off the same table the decoder and the schema use.
public struct FormatReference: Sendable {
    public struct Map: Sendable {
        public let name: String
        public let description: String
        public let keys: [Key]
    }

    public struct Key: Sendable {
        public let name: String
        /// The value's type in words: `duration`, `list of names`, `won or lost`, …
        public let type: String
        public let required: Bool
        public let description: String
    }

    public let maps: [Map]

    public static var v1: FormatReference {
        FormatReference(maps: FormatSchema.maps.map { map in
            Map(name: map.name, description: map.description, keys: map.keys.map {
                Key(name: $0.name, type: FormatSchema.typeText($0.node), required: $0.required, description: $0.node.description ?? "")
            })
        })
    }
}

extension FormatSchema {
    /// A node's type in words, for the key reference.
    static func typeText(_ node: Node) -> String {
        if let name = node.mapName { return "[\(name)](#\(name.replacingOccurrences(of: " ", with: "-")))" }
        if let reference = node.reference {
            switch reference.split(separator: "/").last.map(String.init) ?? "" {
            case "timeSpec": return "time spec"
            case let name: return name
            }
        }
        if let options = node.anyOf { return options.map(typeText).joined(separator: " or ") }
        if let values = node.enumeration { return values.map { "`\($0)`" }.joined(separator: " or ") }
        if let constant = node.constant { return "`\(constant)`" }
        switch node.type {
        case "array"?: return "list of " + (node.items.map(typeText).map(plural) ?? "values")
        case "object"?:
            if case .schema(let value)? = node.additionalProperties { return "map of name → " + typeText(value) }
            return "map"
        case "null"?: return "empty"
        case let type?: return type
        case nil: return "value"
        }
    }

    private static func plural(_ type: String) -> String {
        switch type {
        case "string": return "names"
        case "number": return "numbers"
        case "map": return "maps"
        case "condition": return "conditions"
        default: return type
        }
    }
}
