/// A set of small integers (field or role indices) as bits.
package struct BitSet: Hashable, Sendable {
    var words: [UInt64]

    init(count: Int, full: Bool = false) {
        let n = (count + 63) / 64
        words = Array(repeating: full ? UInt64.max : 0, count: max(n, 1))
        if full, count % 64 != 0 { words[words.count - 1] = (UInt64(1) << UInt64(count % 64)) - 1 }
        if full, count == 0 { words = [0] }
    }

    func contains(_ i: Int) -> Bool { words[i / 64] & (UInt64(1) << UInt64(i % 64)) != 0 }
    mutating func insert(_ i: Int) { words[i / 64] |= UInt64(1) << UInt64(i % 64) }
    func union(_ o: BitSet) -> BitSet { BitSet(words: zip(words, o.words).map { $0 | $1 }) }
    func intersection(_ o: BitSet) -> BitSet { BitSet(words: zip(words, o.words).map { $0 & $1 }) }
    func subtracting(_ o: BitSet) -> BitSet { BitSet(words: zip(words, o.words).map { $0 & ~$1 }) }
    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    init(words: [UInt64]) { self.words = words }
}

/// Facts about the customer's side of the journey, each one forward pass over the criteria-
/// active, loop-bounded unrolling (the unrolling is acyclic, so one pass is the fixpoint): what
/// is known and what was asked, how many people the customer meets, who owns the relationship,
/// and which buying-committee roles are engaged. Never by listing paths.
package struct JourneyDataflow: Sendable {
    /// An edge of the unrolling that customers take.
    package struct Edge: Hashable, Sendable {
        var from: JourneyNode
        package var to: JourneyNode
        /// Index into the graph edges of the source stage.
        var graphEdge: Int
        var isReject: Bool
    }

    package let fields: [String]
    let roles: [String]
    /// Nodes some customer reaches.
    package let reached: NodeTable<Bool>
    /// Entry seeds: node → entry.
    let seeds: [JourneyNode: Int]
    let incoming: NodeTable<[Edge]>
    let outgoing: NodeTable<[Edge]>
    /// Per stage: fields captured, required, handed off (nil: all), roles engaged.
    let captures: [BitSet]
    let requires: [BitSet]
    let handsOff: [BitSet?]
    let engages: [BitSet]
    /// Must: fields known on arrival on every path. May: fields captured before, on some path.
    package private(set) var known: NodeTable<BitSet>
    private(set) var capturedBefore: NodeTable<BitSet>
    /// Contact stages before the node (not counting it), at most over paths.
    private(set) var contactsBefore: NodeTable<Int>
    /// Owner stages before the node, at least and at most over paths.
    private(set) var ownersMinBefore: NodeTable<Int>
    private(set) var ownersMaxBefore: NodeTable<Int>
    /// May: committee roles not engaged before the node on some path.
    private(set) var rolesMissing: NodeTable<BitSet>
    /// The same facts over the paths that met at least one `contact` stage before the node,
    /// by node: on a self-serve path nobody can own the relationship or engage the committee,
    /// so the rules about those judge only paths where a person met the customer.
    private(set) var metReached: NodeTable<Bool>
    private(set) var metOwnersMin: NodeTable<Int>
    private(set) var metOwnersMax: NodeTable<Int>
    private(set) var metRolesMissing: NodeTable<BitSet>
    /// Reached on some path that met no contact stage before the node.
    private var unmetReached: NodeTable<Bool>
    /// Nodes of the unrolling: no chain is longer.
    let nodeCount: Int
    let isContact: [Bool]
    let isOwner: [Bool]

    package init(design: Design, graph: JourneyGraph, criteria: CriteriaAnalysis) {
        nodeCount = graph.nodeCount
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

        var incoming: NodeTable<[Edge]> = graph.table(repeating: [])
        var outgoing: NodeTable<[Edge]> = graph.table(repeating: [])
        for node in graph.nodesBySlot {
            for (k, edge) in graph.edges[node.stage].enumerated() where criteria.active[node][k] {
                guard let target = graph.target(of: edge, from: node) else { continue }
                let e = Edge(from: node, to: target, graphEdge: k, isReject: edge.kind == .reject)
                outgoing[node].append(e)
                incoming[e.to].append(e)
            }
        }
        self.incoming = incoming
        self.outgoing = outgoing
        var seeds: [JourneyNode: Int] = [:]
        for (e, target) in graph.entryTargets.enumerated() {
            guard let t = target, !criteria.entryRegions[e].isEmpty else { continue }
            let node = graph.node(stage: t, pass: 0)
            if seeds[node] == nil { seeds[node] = e }
        }
        self.seeds = seeds

        var reached = graph.table(repeating: false)
        var known = graph.table(repeating: BitSet(count: fieldCount, full: true))
        var captured = graph.table(repeating: BitSet(count: fieldCount))
        var contacts = graph.table(repeating: Int.min)
        // Owners and committee roles per state and node: state 0, no contact met yet; state 1,
        // at least one. The facts over all paths are the two states together.
        var pReached = [graph.table(repeating: false), graph.table(repeating: false)]
        var pOwnersMin = [graph.table(repeating: Int.max), graph.table(repeating: Int.max)]
        var pOwnersMax = [graph.table(repeating: Int.min), graph.table(repeating: Int.min)]
        var pMissing = [graph.table(repeating: BitSet(count: roleCount)), graph.table(repeating: BitSet(count: roleCount))]
        for (node, _) in seeds {
            pReached[0][node] = true
            pOwnersMin[0][node] = 0
            pOwnersMax[0][node] = 0
            pMissing[0][node] = BitSet(count: roleCount, full: true)
            reached[node] = true
            known[node] = BitSet(count: fieldCount)
            contacts[node] = 0
        }
        let allFields = BitSet(count: fieldCount, full: true)
        for u in graph.unrolledOrder where reached[u] {
            let s = u.stage
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
                for state in 0..<2 where pReached[state][u] {
                    let next = state == 1 || contact == 1 ? 1 : 0
                    let missingOut = worked ? pMissing[state][u].subtracting(engages[s]) : pMissing[state][u]
                    pMissing[next][v] = pReached[next][v] ? pMissing[next][v].union(missingOut) : missingOut
                    pReached[next][v] = true
                    pOwnersMin[next][v] = min(pOwnersMin[next][v], pOwnersMin[state][u] + owner)
                    pOwnersMax[next][v] = max(pOwnersMax[next][v], pOwnersMax[state][u] + owner)
                }
            }
        }
        // A state not reached contributes the identity of each combination.
        let bothReached = pReached
        func either<T>(_ values: [NodeTable<T>], _ combine: @escaping (T, T) -> T) -> NodeTable<T> {
            graph.table { node in
                let (a, b) = (bothReached[0][node], bothReached[1][node])
                return a && b ? combine(values[0][node], values[1][node]) : b ? values[1][node] : values[0][node]
            }
        }
        ownersMinBefore = either(pOwnersMin, min)
        ownersMaxBefore = either(pOwnersMax, max)
        rolesMissing = either(pMissing) { $0.union($1) }
        metReached = pReached[1]
        unmetReached = pReached[0]
        metOwnersMin = pOwnersMin[1]
        metOwnersMax = pOwnersMax[1]
        metRolesMissing = pMissing[1]
        self.reached = reached
        self.known = known
        capturedBefore = captured
        contactsBefore = contacts
    }

    /// Contact stages on the way to and including the node, at most.
    func contactsThrough(_ node: JourneyNode) -> Int { contactsBefore[node] + (isContact[node.stage] ? 1 : 0) }

    /// Walks back from `node` to an entry along reached predecessors, preferring edges that
    /// satisfy `prefer`; returns nodes entry-side first.
    func walkBack(from node: JourneyNode, prefer: (Edge) -> Bool = { _ in true }) -> [JourneyNode] {
        var chain = [node]
        var current = node
        var steps = 0
        // Entries start paths; the unrolling is acyclic, so the walk ends.
        while seeds[current] == nil && steps <= nodeCount {
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
    func walkBackMet(from node: JourneyNode, prefer: (Edge) -> Bool = { _ in true }) -> [JourneyNode] {
        var chain = [node]
        var current = node
        var met = metReached[node]
        var steps = 0
        // Each step goes to an earlier node of the acyclic unrolling, so the walk ends.
        while steps <= nodeCount {
            steps += 1
            if !met && seeds[current] != nil { break }
            let candidates = incoming[current].filter { e in
                let workedContact = !e.isReject && isContact[e.from.stage]
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

    /// The journey of a node chain, its entry first.
    package func steps(_ chain: [JourneyNode], graph: JourneyGraph) -> [JourneyStep] {
        guard let first = chain.first else { return [] }
        return graph.steps(chain, entry: seeds[first])
    }
}
