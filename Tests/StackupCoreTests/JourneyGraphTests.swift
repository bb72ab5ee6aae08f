import Testing
@testable import StackupCore

@Suite struct JourneyGraphTests {
    func graph(_ text: String) throws -> (Design, JourneyGraph) {
        let report = Checker.check(text: text)
        let design = try #require(report.design)
        return (design, JourneyGraph(design: design))
    }

    let loop = """
    stackup: 1
    customer:
      attributes:
        ok: boolean
      max_loops: 2
    entries:
      web: {to: a, rate: 1/day}
    stages:
      a:
        routes:
          - to: b
      b:
        routes:
          - to: a
            when: {ok: false}
          - to: c
      c:
        accepts: {ok: true}
        rejects_to: b
        routes:
          - to: won
      won: {outcome: won}
    """

    @Test func backEdgesFollowEntriesThenRoutes() throws {
        let (d, g) = try graph(loop)
        let idx = { (id: String) in d.stageIndex[id] ?? -1 }
        let back = g.edges.flatMap { $0 }.filter(\.isBack).map { "\(d.stages[$0.from].id)->\(d.stages[$0.to].id)" }
        #expect(back == ["b->a", "c->b"])
        #expect(g.order.firstIndex(of: idx("a"))! < g.order.firstIndex(of: idx("b"))!)
        #expect(g.order.firstIndex(of: idx("b"))! < g.order.firstIndex(of: idx("c"))!)
    }

    @Test func unrollingIsTopologicalAndBoundedByMaxLoops() throws {
        let (d, g) = try graph(loop)
        let order = g.unrolledOrder
        let n = d.stages.count
        #expect(order.count == n * 3)
        #expect(Set(order).count == order.count)
        #expect(Set(order.map(\.pass)) == [0, 1, 2])
        var position: [JourneyNode: Int] = [:]
        for (i, node) in order.enumerated() { position[node] = i }
        for node in order {
            for edge in g.edges[node.stage] {
                if let target = g.target(of: edge, from: node) {
                    #expect(position[node]! < position[target]!, "edge \(node) -> \(target) goes backwards")
                    #expect(target.pass == node.pass + (edge.isBack ? 1 : 0))
                } else {
                    #expect(edge.isBack && node.pass == 2)
                }
            }
        }
    }

    @Test func witnessPathsStartAtAnEntry() throws {
        let (d, g) = try graph(loop)
        #expect(g.witnessPath(to: d.stageIndex["c"]!)?.map(\.name) == ["web", "a", "b", "c"])
        #expect(g.witnessPath(to: d.stageIndex["c"]!)?.map(\.kind) == [.entry, .stage, .stage, .stage])
        #expect(g.reachable.allSatisfy { $0 })
    }

    @Test func closedLoopIsADeadEndButUpstreamOfANoRouteStageIsNot() throws {
        let text = """
        stackup: 1
        entries:
          web: {to: a, rate: 1/day}
        stages:
          a:
            routes:
              - to: b
          b:
            routes:
              - to: a
        """
        let report = Checker.check(text: text)
        // Customers also go round the loop until the limit drops them.
        #expect(positions(report) == ["dead-end@5:3", "dead-end@8:3", "unbounded-loop@10:13"])
        let upstream = Checker.check(text: "stackup: 1\nentries:\n  web: {to: a, rate: 1/day}\nstages:\n  a:\n    routes:\n      - to: b\n  b: {team: x}\n")
        #expect(positions(upstream, only: ["dead-end"]) == ["dead-end@8:3"])
    }

    /// A design with thousands of stages in one chain must not recurse or take long.
    @Test func longChainsAreHandledIteratively() throws {
        var text = "stackup: 1\nentries:\n  web: {to: s0, rate: 1/day}\nstages:\n"
        for i in 0..<5_000 { text += "  s\(i):\n    routes:\n      - to: s\(i + 1)\n" }
        text += "  s5000: {outcome: won}\n"
        let report = Checker.check(text: text)
        #expect(report.findings.filter { $0.rule != "relationship-owner" }.isEmpty)
        #expect(JourneyGraph(design: try #require(report.design)).witnessPath(to: 5000)?.count == 5002)
    }
}
