/// A set of small integers (field or role indices) as bits.
public struct BitSet: Hashable, Sendable {
    public var words: [UInt64]

    public init(count: Int, full: Bool = false) {
        let n = (count + 63) / 64
        words = Array(repeating: full ? UInt64.max : 0, count: max(n, 1))
        if full, count % 64 != 0 { words[words.count - 1] = (UInt64(1) << UInt64(count % 64)) - 1 }
        if full, count == 0 { words = [0] }
    }

    public func contains(_ i: Int) -> Bool { words[i / 64] & (UInt64(1) << UInt64(i % 64)) != 0 }
    public mutating func insert(_ i: Int) { words[i / 64] |= UInt64(1) << UInt64(i % 64) }
    public func union(_ o: BitSet) -> BitSet { BitSet(words: zip(words, o.words).map { $0 | $1 }) }
    public func intersection(_ o: BitSet) -> BitSet { BitSet(words: zip(words, o.words).map { $0 & $1 }) }
    public func subtracting(_ o: BitSet) -> BitSet { BitSet(words: zip(words, o.words).map { $0 & ~$1 }) }
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    init(words: [UInt64]) { self.words = words }
}

/// Facts about the customer's side of the journey, each one forward pass over the criteria-
/// active, loop-bounded unrolling (the unrolling is acyclic, so one pass is the fixpoint): what
/// is known and what was asked, how many people the customer meets, who owns the relationship,
/// and which buying-committee roles are engaged. Never by listing paths.
public struct JourneyDataflow: Sendable {
    /// An edge of the unrolling that customers take.
    public struct Edge: Hashable, Sendable {
        public var from: Int
        public var to: Int
        /// Index into the graph edges of the source stage.
        public var graphEdge: Int
        public var isReject: Bool
    }

    public let fields: [String]
    public let roles: [String]
    public let stageCount: Int
    /// Nodes some customer reaches.
    public let reached: [Bool]
    /// Entry seeds: node → entry.
    public let seeds: [Int: Int]
    public let incoming: [[Edge]]
    public let outgoing: [[Edge]]
    /// Per stage: fields captured, required, handed off (nil: all), roles engaged.
    public let captures: [BitSet]
    public let requires: [BitSet]
    public let handsOff: [BitSet?]
    public let engages: [BitSet]
    /// Must: fields known on arrival on every path. May: fields captured before, on some path.
    public private(set) var known: [BitSet]
    public private(set) var capturedBefore: [BitSet]
    /// Contact stages before the node (not counting it), at most over paths.
    public private(set) var contactsBefore: [Int]
    /// Owner stages before the node, at least and at most over paths.
    public private(set) var ownersMinBefore: [Int]
    public private(set) var ownersMaxBefore: [Int]
    /// May: committee roles not engaged before the node on some path.
    public private(set) var rolesMissing: [BitSet]
    /// The same facts over the paths that met at least one `contact` stage before the node,
    /// by node: on a self-serve path nobody can own the relationship or engage the committee,
    /// so the rules about those judge only paths where a person met the customer.
    public private(set) var metReached: [Bool]
    public private(set) var metOwnersMin: [Int]
    public private(set) var metOwnersMax: [Int]
    public private(set) var metRolesMissing: [BitSet]
    /// Reached on some path that met no contact stage before the node.
    private var unmetReached: [Bool]
    let isContact: [Bool]
    let isOwner: [Bool]

    public init(design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis) {
        let n = design.stages.count
        stageCount = n
        let nodeCount = n * (graph.maxLoops + 1)
        var fieldNames: [String] = []
        var index: [String: Int] = [:]
        func id(_ f: String) -> Int {
            if let i = index[f] { return i }
            index[f] = fieldNames.count
            fieldNames.append(f)
            return fieldNames.count - 1
        }
        for stage in design.stages {
            for f in stage.requires + stage.captures + (stage.handsOff ?? []) { _ = id(f.value) }
        }
        for f in design.customer.neverAskTwice { _ = id(f.value) }
        fields = fieldNames
        roles = design.customer.committee.map(\.value)
        let fieldCount = fieldNames.count, roleCount = roles.count
        func set(_ names: [Located<String>], _ lookup: (String) -> Int?, _ count: Int) -> BitSet {
            var b = BitSet(count: count)
            for name in names { if let i = lookup(name.value) { b.insert(i) } }
            return b
        }
        captures = design.stages.map { set($0.captures, { index[$0] }, fieldCount) }
        requires = design.stages.map { set($0.requires, { index[$0] }, fieldCount) }
        handsOff = design.stages.map { $0.handsOff.map { set($0, { index[$0] }, fieldCount) } }
        let roleIndex = Dictionary(roles.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        engages = design.stages.map { set($0.engages, { roleIndex[$0] }, roleCount) }
        isContact = design.stages.map(\.contact)
        isOwner = design.stages.map(\.ownsRelationship)

        var incoming: [[Edge]] = Array(repeating: [], count: nodeCount)
        var outgoing: [[Edge]] = Array(repeating: [], count: nodeCount)
        for node in 0..<nodeCount {
            let s = node % max(n, 1), layer = node / max(n, 1)
            for (k, edge) in graph.edges[s].enumerated() where criteria.active[node][k] {
                guard let target = graph.target(of: edge, fromLayer: layer) else { continue }
                let e = Edge(from: node, to: target.layer * n + target.stage, graphEdge: k, isReject: edge.kind == .reject)
                outgoing[node].append(e)
                incoming[e.to].append(e)
            }
        }
        self.incoming = incoming
        self.outgoing = outgoing
        var seeds: [Int: Int] = [:]
        for (e, target) in graph.entryTargets.enumerated() {
            if let t = target, !criteria.entryRegions[e].isEmpty, seeds[t] == nil { seeds[t] = e }
        }
        self.seeds = seeds

        var reached = Array(repeating: false, count: nodeCount)
        var known = Array(repeating: BitSet(count: fieldCount, full: true), count: nodeCount)
        var captured = Array(repeating: BitSet(count: fieldCount), count: nodeCount)
        var contacts = Array(repeating: Int.min, count: nodeCount)
        // Owners and committee roles per node and state: state 0, no contact met yet; state 1,
        // at least one. Index node * 2 + state. The facts over all paths are the two states
        // together.
        var pReached = Array(repeating: false, count: 2 * nodeCount)
        var pOwnersMin = Array(repeating: Int.max, count: 2 * nodeCount)
        var pOwnersMax = Array(repeating: Int.min, count: 2 * nodeCount)
        var pMissing = Array(repeating: BitSet(count: roleCount), count: 2 * nodeCount)
        for (node, _) in seeds {
            pReached[2 * node] = true
            pOwnersMin[2 * node] = 0
            pOwnersMax[2 * node] = 0
            pMissing[2 * node] = BitSet(count: roleCount, full: true)
            reached[node] = true
            known[node] = BitSet(count: fieldCount)
            contacts[node] = 0
        }
        let allFields = BitSet(count: fieldCount, full: true)
        for u in graph.unrolledOrder where reached[u] {
            let s = u % n
            for e in outgoing[u] {
                // A rejected customer was not worked: nothing captured, engaged or met.
                let worked = !e.isReject
                let knownOut = (worked ? known[u].union(captures[s]) : known[u]).intersection(handsOff[s] ?? allFields)
                let capturedOut = worked ? captured[u].union(captures[s]) : captured[u]
                let contact = worked && isContact[s] ? 1 : 0
                let owner = worked && isOwner[s] ? 1 : 0
                let v = e.to
                if reached[v] {
                    known[v] = known[v].intersection(knownOut)
                    captured[v] = captured[v].union(capturedOut)
                } else {
                    reached[v] = true
                    known[v] = knownOut
                    captured[v] = capturedOut
                }
                contacts[v] = max(contacts[v], contacts[u] + contact)
                for state in 0..<2 where pReached[2 * u + state] {
                    let from = 2 * u + state
                    let to = 2 * v + (state == 1 || contact == 1 ? 1 : 0)
                    let missingOut = worked ? pMissing[from].subtracting(engages[s]) : pMissing[from]
                    pMissing[to] = pReached[to] ? pMissing[to].union(missingOut) : missingOut
                    pReached[to] = true
                    pOwnersMin[to] = min(pOwnersMin[to], pOwnersMin[from] + owner)
                    pOwnersMax[to] = max(pOwnersMax[to], pOwnersMax[from] + owner)
                }
            }
        }
        // A state not reached contributes the identity of each combination.
        func either<T>(_ values: [T], _ node: Int, _ combine: (T, T) -> T) -> T {
            let (a, b) = (2 * node, 2 * node + 1)
            return pReached[a] && pReached[b] ? combine(values[a], values[b]) : pReached[b] ? values[b] : values[a]
        }
        ownersMinBefore = (0..<nodeCount).map { either(pOwnersMin, $0, min) }
        ownersMaxBefore = (0..<nodeCount).map { either(pOwnersMax, $0, max) }
        rolesMissing = (0..<nodeCount).map { either(pMissing, $0) { $0.union($1) } }
        metReached = (0..<nodeCount).map { pReached[2 * $0 + 1] }
        unmetReached = (0..<nodeCount).map { pReached[2 * $0] }
        metOwnersMin = (0..<nodeCount).map { pOwnersMin[2 * $0 + 1] }
        metOwnersMax = (0..<nodeCount).map { pOwnersMax[2 * $0 + 1] }
        metRolesMissing = (0..<nodeCount).map { pMissing[2 * $0 + 1] }
        self.reached = reached
        self.known = known
        capturedBefore = captured
        contactsBefore = contacts
    }

    /// Contact stages on the way to and including the node, at most.
    public func contactsThrough(_ node: Int) -> Int { contactsBefore[node] + (isContact[node % stageCount] ? 1 : 0) }

    /// Walks back from `node` to an entry along reached predecessors, preferring edges that
    /// satisfy `prefer`; returns nodes entry-side first.
    public func walkBack(from node: Int, prefer: (Edge) -> Bool = { _ in true }) -> [Int] {
        var chain = [node]
        var current = node
        var steps = 0
        // Entries start paths; the unrolling is acyclic, so the walk ends.
        while seeds[current] == nil && steps <= incoming.count {
            steps += 1
            guard let e = incoming[current].first(where: { reached[$0.from] && prefer($0) })
                    ?? incoming[current].first(where: { reached[$0.from] }) else { break }
            current = e.from
            chain.append(current)
        }
        return chain.reversed()
    }

    /// `walkBack` over the paths that met a contact stage before `node` (which must be
    /// `metReached`): the chain passes at least one contact stage that worked the customer.
    public func walkBackMet(from node: Int, prefer: (Edge) -> Bool = { _ in true }) -> [Int] {
        var chain = [node]
        var current = node
        var met = metReached[node]
        var steps = 0
        // Each step goes to an earlier node of the acyclic unrolling, so the walk ends.
        while steps <= incoming.count {
            steps += 1
            if !met && seeds[current] != nil { break }
            let candidates = incoming[current].filter { e in
                let workedContact = !e.isReject && isContact[e.from % stageCount]
                return met ? metReached[e.from] || (workedContact && unmetReached[e.from]) : unmetReached[e.from] && !workedContact
            }
            guard let e = candidates.first(where: prefer) ?? candidates.first else { break }
            // Stay on the met side while the predecessor has it; otherwise the contact stage
            // just left behind is the first one met.
            if met && !metReached[e.from] { met = false }
            current = e.from
            chain.append(current)
        }
        return chain.reversed()
    }

    /// Stage ids of a node chain, entry name first.
    public func names(_ chain: [Int], design: Design) -> [String] {
        guard let first = chain.first else { return [] }
        let entry = seeds[first].map { [design.entries[$0].name] } ?? []
        return entry + chain.map { design.stages[$0 % stageCount].id }
    }
}
