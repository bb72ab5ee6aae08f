import StackupYAML

/// Decodes the YAML tree of format v1 into a `Design`, reporting every problem it finds and
/// skipping only the values it could not read.
package struct DesignDecoder {
    // The keys of each map, from the format's one table.
    static let rootKeys = FormatKeys(FormatSchema.root)
    static let fragmentKeys = FormatKeys(FormatSchema.fragment)
    static let calendarKeys = FormatKeys(FormatSchema.calendar)
    static let customerKeys = FormatKeys(FormatSchema.customer)
    static let rangeKeys = FormatKeys(FormatSchema.range)
    static let promiseKeys = FormatKeys(FormatSchema.promise)
    static let entryKeys = FormatKeys(FormatSchema.entry)
    static let mixKeys = FormatKeys(FormatSchema.mix)
    static let lognormalMixKeys = FormatKeys(FormatSchema.lognormalMix)
    static let stageKeys = FormatKeys(FormatSchema.stage)
    static let capacityKeys = FormatKeys(FormatSchema.capacity)
    static let routeKeys = FormatKeys(FormatSchema.route)
    static let conditionKeys = FormatKeys(FormatSchema.condition)
    static let supportedVersions = [1]

    let reader: NodeReader
    package var design: Design

    var diagnostics: Diagnostics { reader.diagnostics }

    /// Checks `stackup: 1` and returns the include list. `isRoot` is false for included files.
    func header(_ root: YAMLNode, isRoot: Bool) -> Fields? {
        let what = isRoot ? "the design" : "an included file"
        guard let f = reader.fields(root, what, isRoot ? Self.rootKeys : Self.fragmentKeys) else { return nil }
        if let version = f["stackup"] {
            if case .int(let v) = CoreSchema.resolve(version), Self.supportedVersions.contains(v) {
                // Supported.
            } else {
                reader.schema(.unsupportedVersion(version.scalar ?? version.kindDescription, supported: Self.supportedVersions), version)
            }
        }
        return f
    }

    // MARK: calendar

    func calendar(_ node: YAMLNode) -> BusinessCalendar {
        var calendar = BusinessCalendar.standard
        guard let f = reader.fields(node, "calendar", Self.calendarKeys) else { return calendar }
        if let days = f["workdays"], let list = reader.stringList(days, "calendar `workdays`") {
            var set = Set<Weekday>()
            for day in list {
                if let d = Weekday(rawValue: day.value) {
                    set.insert(d)
                } else {
                    diagnostics.add(SchemaRule.finding(.notAWeekday(day.value, hint: diagnostics.hint(for: day.value, among: Weekday.allCases.map(\.rawValue))), at: day.location))
                }
            }
            if list.isEmpty { reader.schema(.noWorkdays, days) }
            if !set.isEmpty { calendar.workdays = set }
        }
        if let hours = f["hours"], let text = reader.string(hours, "calendar `hours`") {
            switch ValueParsers.hours(text) {
            case .success(let (a, b)):
                calendar.startMinute = a
                calendar.endMinute = b
            case .failure(.syntax(let m)), .failure(.range(let m)), .failure(.notPositive(let m)):
                reader.schema(.badHours(m), hours)
            }
        }
        return calendar
    }

    // MARK: customer

    mutating func customer(_ node: YAMLNode) {
        guard let f = reader.fields(node, "customer", Self.customerKeys) else { return }
        var spec = CustomerSpec()
        let limits = diagnostics.limits
        if let attributes = f["attributes"] {
            let named = reader.namedEntries(attributes, "customer `attributes`")
            if named.count > limits.attributes {
                diagnostics.exceeded("attributes", count: named.count, what: "customer attributes", at: reader.location(named[limits.attributes].key))
                return
            }
            for (name, key, value) in named {
                if let a = attribute(name, key, value) { spec.attributes.append(a) }
            }
        }
        if let n = f["committee"] { spec.committee = reader.stringList(n, "customer `committee`") ?? [] }
        if spec.committee.count > limits.committeeRoles {
            diagnostics.exceeded("committee-roles", count: spec.committee.count, what: "committee roles", at: spec.committee[limits.committeeRoles].location)
            return
        }
        if let n = f["never_ask_twice"] { spec.neverAskTwice = reader.stringList(n, "customer `never_ask_twice`") ?? [] }
        if let n = f["max_handoffs"] { spec.maxHandoffs = reader.integer(n, "customer `max_handoffs`", max: 1000) }
        if let n = f["max_loops"], let v = reader.integer(n, "customer `max_loops`", max: 20) {
            spec.maxLoops = v
            spec.maxLoopsLocation = reader.location(n)
        }
        if let n = f["max_owner_changes"], let v = reader.integer(n, "customer `max_owner_changes`", max: 1000) { spec.maxOwnerChanges = v }
        design.customer = spec
        if let promises = f["promises"] {
            let named = reader.namedEntries(promises, "customer `promises`")
            if named.count > limits.promises {
                diagnostics.exceeded("promises", count: named.count, what: "promises", at: reader.location(named[limits.promises].key))
                return
            }
            for (name, key, value) in named {
                if let p = promise(name, key, value) { design.customer.promises.append(p) }
            }
        }
        if let targets = f["targets"] {
            for (name, key, value) in reader.namedEntries(targets, "customer `targets`") {
                if let r = reader.rate(value, "target `\(name)`") {
                    design.customer.targets.append(Target(outcome: Located(name, reader.location(key)), rate: r))
                }
            }
        }
    }

    func attribute(_ name: String, _ key: YAMLNode, _ value: YAMLNode) -> Attribute? {
        let location = reader.location(key)
        let what = "attribute `\(name)`"
        if let text = value.scalar, !value.isNull {
            switch text {
            case "boolean": return Attribute(name: name, kind: .boolean, location: location)
            case "number": return Attribute(name: name, kind: .number(min: nil, max: nil), location: location)
            default:
                reader.schema(.notAnAttributeKind(what, text: text, hint: diagnostics.hint(for: text, among: ["boolean", "number"])), value)
                return nil
            }
        }
        if value.sequence != nil {
            guard let values = reader.stringList(value, what), !values.isEmpty else {
                reader.schema(.noValues(what), value)
                return nil
            }
            guard values.count <= 64 else {
                reader.schema(.tooManyValues(what, values.count), value)
                return nil
            }
            return Attribute(name: name, kind: .enumeration(values.map(\.value)), location: location)
        }
        if value.mapping != nil || value.isNull {
            if value.isNull { return Attribute(name: name, kind: .number(min: nil, max: nil), location: location) }
            guard let f = reader.fields(value, what, Self.rangeKeys) else { return nil }
            // A bad bound is reported and left out; the attribute stays, so that conditions
            // on it are still checked rather than reported as undeclared.
            let lo = f["min"].flatMap { reader.number($0, "\(what) `min`") }
            let hi = f["max"].flatMap { reader.number($0, "\(what) `max`") }
            if let lo, let hi, lo > hi {
                reader.schema(.minAboveMax(what, lo, hi), value)
                return Attribute(name: name, kind: .number(min: nil, max: nil), location: location)
            }
            return Attribute(name: name, kind: .number(min: lo, max: hi), location: location)
        }
        reader.schema(.notAnAttribute(what), value)
        return nil
    }

    func promise(_ name: String, _ key: YAMLNode, _ value: YAMLNode) -> Promise? {
        let what = "promise `\(name)`"
        guard let f = reader.fields(value, what, Self.promiseKeys) else { return nil }
        var from = PromiseEnd.start
        if let n = f["from"], let s = reader.string(n, "\(what) `from`"), s != "start" {
            from = .stages([Located(s, reader.location(n))])
        }
        var to: PromiseEnd?
        if let n = f["to"] {
            if n.scalar == "first-contact" {
                to = .firstContact
            } else if let list = reader.stringList(n, "\(what) `to`") {
                if list.isEmpty { reader.schema(.noStagesToReach(what), n) } else { to = .stages(list) }
            }
        }
        var population: Condition?
        if let n = f["for"] {
            population = condition(n, "\(what) `for`")
            // A `for` that could not be read is reported; the promise is then not judged.
            if population == nil { return nil }
        }
        var untilDone = false
        if let n = f["until"], let s = reader.choice(n, "\(what) `until`", ["reached", "done"]) { untilDone = s == "done" }
        var budgets: [String: Duration] = [:]
        for k in ["p50", "p90", "p99", "max"] {
            if let n = f[k], let d = reader.duration(n, "\(what) `\(k)`") { budgets[k] = d }
        }
        if ["p50", "p90", "p99", "max"].allSatisfy({ f[$0] == nil }) {
            reader.schema(.noBudget(what), value)
        }
        reader.checkOrder(budgets, f, what)
        let kinds = Set(budgets.values.map { $0.unit.isBusiness })
        if kinds.count > 1 {
            let business = ["p50", "p90", "p99", "max"].filter { budgets[$0]?.unit.isBusiness == true }
            reader.schema(.mixedClocks(what, business: business), value)
            return nil
        }
        guard let to else { return nil }
        return Promise(name: name, from: from, to: to, untilDone: untilDone, population: population, populationLocation: f["for"].map(reader.location),
                       p50: budgets["p50"], p90: budgets["p90"], p99: budgets["p99"], max: budgets["max"], location: reader.location(key))
    }

    // MARK: entries

    func entry(_ name: String, _ key: YAMLNode, _ value: YAMLNode) -> Entry? {
        let what = "entry `\(name)`"
        guard let f = reader.fields(value, what, Self.entryKeys) else { return nil }
        let to = f["to"].flatMap { n in reader.string(n, "\(what) `to`").map { Located($0, reader.location(n)) } }
        let rate = f["rate"].flatMap { reader.rate($0, "\(what) `rate`") }
        if let rate, rate.isUnlimited, let n = f["rate"] {
            reader.schema(.infiniteRate(what), n)
        }
        var business = false
        if let n = f["arrives"], let s = reader.choice(n, "\(what) `arrives`", ["anytime", "business_hours"]) { business = s == "business_hours" }
        var cv = 1.0
        if let n = f["cv"], let v = reader.number(n, "\(what) `cv`") {
            if v > 0, v <= 100 { cv = v } else { reader.schema(.arrivalCV(what), n) }
        }
        var mix: [String: Located<MixDistribution>] = [:]
        if let n = f["mix"] {
            for (attribute, akey, avalue) in reader.namedEntries(n, "\(what) `mix`") {
                if let m = mixDistribution(attribute, akey, avalue, what) { mix[attribute] = Located(m, reader.location(akey)) }
            }
        }
        guard let to, let rate, !rate.isUnlimited else { return nil }
        return Entry(name: name, to: to, rate: rate, rateLocation: f["rate"].map(reader.location), arrivesInBusinessHours: business, cv: cv, mix: mix,
                     location: reader.location(key))
    }

    func mixDistribution(_ name: String, _ key: YAMLNode, _ value: YAMLNode, _ owner: String) -> MixDistribution? {
        let what = "\(owner) mix `\(name)`"
        guard let attribute = design.customer.attribute(named: name) else {
            diagnostics.add(UnknownReferenceRule.finding(
                .noAttribute(what, hint: diagnostics.hint(for: name, among: design.customer.attributes.map(\.name))),
                at: reader.location(key)))
            return nil
        }
        switch attribute.kind {
        case .number(let lo, let hi):
            guard let f = reader.fields(value, what, Self.mixKeys) else { return nil }
            guard f.order.count == 1, let kind = f.order.first, let n = f[kind] else {
                reader.schema(.oneMix(what), value)
                return nil
            }
            func inRange(_ x: Double, _ node: YAMLNode) -> Bool {
                if let lo, x < lo { reader.schema(.belowMin(what, x, lo), node); return false }
                if let hi, x > hi { reader.schema(.aboveMax(what, x, hi), node); return false }
                return true
            }
            switch kind {
            case "uniform":
                guard let items = n.sequence, items.count == 2 else {
                    reader.schema(.uniformTakesTwo(what), n)
                    return nil
                }
                guard let a = reader.number(items[0], "\(what) `uniform` bound"), let b = reader.number(items[1], "\(what) `uniform` bound") else { return nil }
                guard a <= b else { reader.schema(.uniformOrder(what, a, b), n); return nil }
                guard inRange(a, items[0]), inRange(b, items[1]) else { return nil }
                return .uniform(a, b)
            case "lognormal":
                guard let g = reader.fields(n, "\(what) `lognormal`", Self.lognormalMixKeys),
                      let p50n = g["p50"], let p90n = g["p90"],
                      let p50 = reader.number(p50n, "\(what) `p50`"), let p90 = reader.number(p90n, "\(what) `p90`") else { return nil }
                guard p50 > 0, p90 > p50 else {
                    reader.schema(.lognormalOrder(what), n)
                    return nil
                }
                return .lognormal(p50: p50, p90: p90)
            default:
                guard let x = reader.number(n, "\(what) `fixed`"), inRange(x, n) else { return nil }
                return .fixed(x)
            }
        case .enumeration(let values):
            return weights(value, what, allowed: values.map { AttributeValue.symbol($0) }, names: values)
        case .boolean:
            return weights(value, what, allowed: [.bool(true), .bool(false)], names: ["true", "false"])
        }
    }

    func weights(_ node: YAMLNode, _ what: String, allowed: [AttributeValue], names: [String]) -> MixDistribution? {
        var out: [(value: AttributeValue, weight: Double)] = []
        var unreadable = false
        for (name, key, value) in reader.namedEntries(node, what) {
            guard let index = names.firstIndex(of: name) else {
                diagnostics.add(UnknownReferenceRule.finding(
                    .notAValue(what, name, hint: diagnostics.hint(for: name, among: names)),
                    at: reader.location(key)))
                continue
            }
            guard let w = reader.number(value, "\(what) weight of `\(name)`") else { unreadable = true; continue }
            guard w >= 0 else { reader.schema(.negativeWeight(what), value); continue }
            out.append((allowed[index], w))
        }
        let total = out.reduce(0) { $0 + $1.weight }
        guard total > 0, total.isFinite else {
            // A weight that could not be read is reported at the weight; the sum says nothing more.
            if node.mapping != nil, !unreadable { reader.schema(.zeroWeights(what), node) }
            return nil
        }
        return .weights(out.map { ($0.value, $0.weight / total) })
    }

    // MARK: stages

    func stage(_ id: String, _ key: YAMLNode, _ value: YAMLNode) -> Stage? {
        let what = "stage `\(id)`"
        let location = reader.location(key)
        var stage = Stage(id: id, team: nil, description: nil, outcome: nil, contact: false, ownsRelationship: false,
                          accepts: nil, acceptsLocation: nil, rejectsTo: nil, sla: nil, slaLocation: nil,
                          responds: nil, respondsLocation: nil, capacity: .unlimited, requires: [], captures: [], handsOff: nil, handsOffLocation: nil,
                          engages: [], maxVisits: nil, routes: [], routesLocation: nil, location: location)
        guard let f = reader.fields(value, what, Self.stageKeys) else { return stage }
        if let n = f["team"] { stage.team = reader.string(n, "\(what) `team`") }
        if let n = f["description"] { stage.description = reader.string(n, "\(what) `description`") }
        if let n = f["outcome"], let s = reader.choice(n, "\(what) `outcome`", Outcome.allCases.map(\.rawValue)) {
            stage.outcome = Outcome(rawValue: s)
        }
        if let n = f["contact"] { stage.contact = reader.bool(n, "\(what) `contact`") ?? false }
        if let n = f["owns_relationship"] { stage.ownsRelationship = reader.bool(n, "\(what) `owns_relationship`") ?? false }
        if let n = f["accepts"] {
            stage.accepts = condition(n, "\(what) `accepts`")
            stage.acceptsLocation = reader.location(n)
            if stage.accepts == nil { stage.hasInvalidCondition = true }
        }
        if let n = f["rejects_to"], let s = reader.string(n, "\(what) `rejects_to`") { stage.rejectsTo = Located(s, reader.location(n)) }
        if let n = f["sla"] {
            stage.sla = reader.timeSpec(n, "\(what) `sla`")
            stage.slaLocation = reader.location(n)
        }
        if let n = f["responds"] {
            stage.responds = reader.timeSpec(n, "\(what) `responds`")
            stage.respondsLocation = reader.location(n)
            if let responds = stage.responds, let sla = stage.sla, let slaNode = f["sla"] { checkResponds(responds, within: sla, n, slaNode, what) }
        }
        if let n = f["capacity"], let c = capacity(n, "\(what) `capacity`") { stage.capacity = c }
        if let n = f["requires"] { stage.requires = reader.stringList(n, "\(what) `requires`") ?? [] }
        if let n = f["captures"] { stage.captures = reader.stringList(n, "\(what) `captures`") ?? [] }
        if let n = f["hands_off"] {
            stage.handsOff = n.sequence?.isEmpty == true ? [] : reader.stringList(n, "\(what) `hands_off`")
            stage.handsOffLocation = reader.location(n)
        }
        if let n = f["engages"] {
            stage.engages = reader.stringList(n, "\(what) `engages`") ?? []
            let roles = design.customer.committee.map(\.value)
            for role in stage.engages where !roles.contains(role.value) {
                diagnostics.add(UnknownReferenceRule.finding(
                    .notARole(what, role.value, hint: diagnostics.hint(for: role.value, among: roles)),
                    at: role.location, stage: id))
            }
        }
        if let n = f["max_visits"] { stage.maxVisits = reader.integer(n, "\(what) `max_visits`", min: 1, max: 100) }
        if let n = f["routes"] {
            stage.routesLocation = f.keyNodes["routes"].map(reader.location)
            if let items = n.sequence, items.count > diagnostics.limits.routesPerStage {
                diagnostics.exceeded("routes-per-stage", count: items.count, what: "routes in stage `\(id)`",
                                     at: reader.location(items[diagnostics.limits.routesPerStage]))
            } else if let items = n.sequence {
                for (index, item) in items.enumerated() {
                    if let r = route(item, "\(what) route \(index + 1)", isLast: index == items.count - 1) {
                        // A catch-all before the end is reported as a schema problem already.
                        if r.whenIsInvalid || (r.when == nil && r.takesAll && index < items.count - 1) { stage.hasInvalidCondition = true }
                        stage.routes.append(r)
                    }
                }
            } else {
                reader.schema(.routesNotAList(what, found: n.kindDescription), n)
            }
        }
        if stage.isOutcome {
            for k in ["routes", "rejects_to"] {
                if let keyNode = f.keyNodes[k] {
                    reader.schema(.outcomeWith(what, outcome: stage.outcome?.rawValue ?? "", key: k), keyNode)
                }
            }
        }
        return stage
    }

    /// `responds` must not exceed the stage's `sla` bound: nobody hands a customer on before
    /// touching them. Compared when both run on the same clock (a business duration's calendar
    /// length depends on when it starts, so across clocks no verdict would always be true).
    func checkResponds(_ responds: TimeSpec, within sla: TimeSpec, _ node: YAMLNode, _ slaNode: YAMLNode, _ what: String) {
        let r = responds.worstCase, b = sla.worstCase
        guard r.unit.isBusiness == b.unit.isBusiness else { return }
        let workday = design.calendar.workdayMinutes
        guard r.minutes(workdayMinutes: workday) > b.minutes(workdayMinutes: workday) + 1e-9 else { return }
        diagnostics.add(InvalidSlaRule.finding(
            .respondsAfterSla(what, responds: "\(r)", sla: "\(b)"),
            at: reader.location(node), related: [RelatedLocation(reader.location(slaNode), RuleMessage<InvalidSlaRule>.slaSetHere)]))
    }

    func capacity(_ node: YAMLNode, _ what: String) -> Capacity? {
        if node.scalar != nil {
            guard let r = reader.rate(node, what) else { return nil }
            return r.isUnlimited ? .unlimited : Capacity(people: 1, each: r)
        }
        guard let f = reader.fields(node, what, Self.capacityKeys) else { return nil }
        let people = f["people"].flatMap { reader.integer($0, "\(what) `people`", min: 1, max: 1_000_000) }
        let each = f["each"].flatMap { reader.rate($0, "\(what) `each`") }
        var cv = 1.0
        if let n = f["cv"], let v = reader.number(n, "\(what) `cv`") {
            if v >= 0, v <= 100 { cv = v } else { reader.schema(.effortCV(what), n) }
        }
        guard let people, let each else { return nil }
        return Capacity(people: people, each: each, cv: cv)
    }

    func route(_ node: YAMLNode, _ what: String, isLast: Bool) -> Route? {
        guard let f = reader.fields(node, what, Self.routeKeys) else { return nil }
        let to = f["to"].flatMap { n in reader.string(n, "\(what) `to`").map { Located($0, reader.location(n)) } }
        var when: Condition?
        if let n = f["when"] { when = condition(n, "\(what) `when`") }
        var share = 1.0
        var shareIsInvalid = false
        if let n = f["share"] {
            switch reader.number(n, "\(what) `share`") {
            case let v? where v > 0 && v <= 1:
                share = v
            case let v?:
                reader.schema(.shareOutOfRange(what, n.scalar ?? NumberFormatting.plain(v)), n)
                shareIsInvalid = true
            case nil:
                // Not a finite number: `number` has reported it.
                shareIsInvalid = true
            }
        }
        // Only a route that takes everyone left makes the routes after it unreachable (a share
        // that could not be read says nothing either way: it is reported, and that is all).
        if f["when"] == nil, share >= 1, !shareIsInvalid, !isLast {
            reader.schema(.whenBeforeLast(what), node)
        }
        let delay = f["delay"].flatMap { reader.timeSpec($0, "\(what) `delay`") }
        guard let to else { return nil }
        return Route(to: to, when: when, whenLocation: f["when"].map(reader.location),
                     whenIsInvalid: (f["when"] != nil && when == nil) || shareIsInvalid, delay: delay, share: share, location: reader.location(node),
                     shareLocation: f["share"].map(reader.location))
    }

    // MARK: conditions

    /// A condition map: attribute → test, plus `any: [COND…]` and `not: COND`.
    func condition(_ node: YAMLNode, _ what: String) -> Condition? {
        guard let pairs = node.mapping else {
            reader.schema(.mustBe(what, "a map of attribute → test", not: node.kindDescription), node)
            return nil
        }
        var parts: [Condition] = []
        var failed = false
        for pair in pairs {
            guard let key = pair.key.scalar else {
                reader.schema(.conditionKeys(what), pair.key)
                failed = true
                continue
            }
            switch key {
            case "any":
                guard let items = pair.value.sequence, !items.isEmpty else {
                    reader.schema(.emptyAny(what), pair.value)
                    failed = true
                    continue
                }
                let alternatives = items.map { condition($0, what) }
                if alternatives.contains(where: { $0 == nil }) { failed = true } else { parts.append(.any(alternatives.compactMap { $0 })) }
            case "not":
                if let c = condition(pair.value, what) { parts.append(.not(c)) } else { failed = true }
            default:
                if let t = test(key, pair.key, pair.value, what) { parts.append(t) } else { failed = true }
            }
        }
        if failed { return nil }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    func test(_ name: String, _ key: YAMLNode, _ value: YAMLNode, _ what: String) -> Condition? {
        guard let attribute = design.customer.attribute(named: name) else {
            let names = design.customer.attributes.map(\.name)
            diagnostics.add(UnknownReferenceRule.finding(
                .undeclaredAttribute(what, name, hint: diagnostics.hint(for: name, among: names + Self.conditionKeys.names)),
                at: reader.location(key)))
            return nil
        }
        let location = reader.location(value)
        let mismatch = { (given: String) -> Condition? in
            reader.diagnostics.add(TypeMismatchRule.finding(
                .mismatch(what, attribute: attribute, test: given),
                at: location, related: [RelatedLocation(attribute.location, RuleMessage<TypeMismatchRule>.declaredHere(name))],
                help: TypeMismatchRule.help(for: attribute)))
            return nil
        }
        switch attribute.kind {
        case .number:
            if value.scalar != nil, !value.isQuotedOrString {
                switch CoreSchema.resolve(value) {
                case .int(let i): return .test(attribute: name, .numeric([Comparison(.equal, Double(i))]), location)
                case .float(let d) where d.isFinite: return .test(attribute: name, .numeric([Comparison(.equal, d)]), location)
                case .bool: return mismatch("a boolean")
                default: break
                }
            }
            guard let text = value.scalar, !value.isNull else { return mismatch(value.sequence != nil ? "a list of values" : value.kindDescription) }
            switch ValueParsers.comparisons(text) {
            case .success(let cs): return .test(attribute: name, .numeric(cs), location)
            case .failure(.syntax(let m)), .failure(.range(let m)), .failure(.notPositive(let m)):
                if !text.contains(where: { "<>=!".contains($0) }) && Double(text) == nil { return mismatch("the value `\(text)`") }
                reader.schema(.unreadable(what, m), value)
                return nil
            }
        case .enumeration(let allowed):
            var values: [Located<String>]
            var negated = false
            if let f = value.mapping {
                guard f.count == 1, f[0].key.scalar == "except" else {
                    reader.schema(.enumerationTest(what), value)
                    return nil
                }
                negated = true
                guard let list = reader.stringList(f[0].value, "\(what) `except`") else { return nil }
                values = list
            } else if value.sequence != nil {
                guard let list = reader.stringList(value, what) else { return nil }
                values = list
            } else if let text = value.scalar, !value.isNull {
                if case .bool = CoreSchema.resolve(value), !value.isQuotedOrString { return mismatch("a boolean") }
                if text.first.map({ "<>=!".contains($0) }) == true { return mismatch("a number comparison `\(text)`") }
                values = [Located(text, location)]
            } else {
                return mismatch(value.kindDescription)
            }
            var ok = true
            for v in values where !allowed.contains(v.value) {
                ok = false
                diagnostics.add(UnknownReferenceRule.finding(
                    .notAValue(what, v.value, of: name, allowed: allowed, hint: diagnostics.hint(for: v.value, among: allowed)),
                    at: v.location))
            }
            guard ok else { return nil }
            let names = values.map(\.value)
            return .test(attribute: name, negated ? .noneOf(names) : .oneOf(names), location)
        case .boolean:
            guard value.scalar != nil, !value.isQuotedOrString, case .bool(let b) = CoreSchema.resolve(value) else {
                return mismatch(value.sequence != nil ? "a list of values" : "\(value.kindDescription) `\(value.scalar ?? "")`")
            }
            return .test(attribute: name, .isTrue(b), location)
        }
    }
}
