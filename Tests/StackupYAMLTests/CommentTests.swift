import Testing
@testable import StackupYAML

/// Comments are found beside libyaml, which drops them: never inside a quoted or block scalar.
@Suite struct CommentTests {
    func comments(_ text: String) throws -> [String] {
        let source = SourceText(text)
        let root = try YAMLParser.parseDocument(Array(text.utf8)).root
        return YAMLComments.scan(source, root: root).map { "\($0.position.line):\($0.position.column) \($0.text)" }
    }

    @Test func findsOwnLineAndTrailingComments() throws {
        let text = """
        # top
        a: 1 # trailing
          # indented
        b: "x # not a comment" # after quotes
        c: 'it''s # quoted' #tight
        d: plain#notacomment
        e: |
          # inside a literal block
          text
        f: >-
          folded # no
        # after the block
        ü: 日本 # wide
        """
        #expect(try comments(text) == [
            "1:1  top",
            "2:6  trailing",
            "3:3  indented",
            "4:24  after quotes",
            "5:21 tight",
            "12:1  after the block",
            "13:7  wide",
        ])
    }

    @Test func withoutATreeEveryHashAfterABlankCounts() {
        let found = YAMLComments.scan(SourceText("a: \"x # y\"\n"), root: nil)
        #expect(found.map(\.position.column) == [7])
    }
}
