import Testing
@testable import StackupYAML

@Suite struct YAMLParserTests {
    func root(_ text: String, limits: YAMLLimits = .default) throws -> YAMLNode {
        try #require(try YAMLParser.parseDocument(Array(text.utf8), limits: limits).root)
    }

    func error(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
        do {
            _ = try YAMLParser.parseDocument(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    func error(_ text: String, limits: YAMLLimits = .default) -> YAMLError? { error(Array(text.utf8), limits: limits) }

    func value(_ node: YAMLNode, _ key: String) -> YAMLNode? {
        node.mapping?.first { $0.key.scalar == key }?.value
    }

    @Test func spansCountUnicodeScalarsAndBytes() throws {
        let doc = try root("k: é😀x\nname: v\n")
        let pairs = try #require(doc.mapping)
        let v = pairs[0].value
        #expect(v.span.start == SourcePosition(line: 1, column: 4, offset: 3))
        #expect(v.span.end == SourcePosition(line: 1, column: 7, offset: 10))
        #expect(pairs[1].key.span.start == SourcePosition(line: 2, column: 1, offset: 11))
    }

    @Test(arguments: ["\r\n", "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"])
    func everyLibyamlLineBreakStartsANewLine(br: String) throws {
        let doc = try root("a: 1" + br + "b: 2")
        let pairs = try #require(doc.mapping)
        #expect(pairs.count == 2)
        #expect(pairs[1].key.span.start.line == 2)
        #expect(pairs[1].key.span.start.column == 1)
        #expect(pairs[1].key.span.start.offset == 4 + br.utf8.count)
    }

    /// The cursor that converts marks in source order gives the positions that converting
    /// each mark from its line's start gives, on lines of multi-byte text.
    @Test func cursorPositionsMatchConversionFromTheLineStart() throws {
        let text = SourceText("a: {ké: 1, 日本: [x, 🚀y, z], q: \"é\"}\n- b\n  c: {d: é, e: f}\n")
        var cursor = SourceText.Cursor()
        var marks: [(Int, Int)] = []
        for line in 0..<3 { for column in [0, 2, 3, 5, 9, 14, 30, 1, 40] { marks.append((line, column)) } }
        for (line, column) in marks {
            #expect(cursor.position(in: text, line0: line, column0: column) == text.position(line0: line, column0: column), "\(line):\(column)")
        }
    }

    @Test func aLongFlowMappingOnOneLineIsLinear() throws {
        let keys = (0..<20_000).map { "k\($0): v" }.joined(separator: ", ")
        let node = try root("{\(keys)}")
        let last = try #require(node.mapping?.last)
        #expect(last.key.span.start.column == keys.count - "k19999: v".count + 2)
    }

    @Test func byteOrderMarkIsSkippedAndNotCounted() throws {
        let doc = try root("\u{FEFF}a: 1\n")
        let key = try #require(doc.mapping?.first?.key)
        #expect(key.span.start == SourcePosition(line: 1, column: 1, offset: 3))
    }

    @Test func emptyInputIsNoDocumentNotACrash() throws {
        #expect(try YAMLParser.parseDocument([]).root == nil)
        #expect(try YAMLParser.parseDocument(Array("# only a comment\n".utf8)).root == nil)
        #expect(try YAMLParser.parseDocument([0xEF, 0xBB, 0xBF]).root == nil)
    }

    @Test func nulByteIsLocated() throws {
        let e = try #require(error([UInt8]("a: b".utf8) + [0] + [UInt8]("c\n".utf8)))
        #expect(e.kind == .encoding)
        #expect(e.span.start == SourcePosition(line: 1, column: 5, offset: 4))
    }

    @Test func invalidUTF8IsLocated() throws {
        let e = try #require(error([UInt8]("a: 1\nb: é".utf8) + [0xFF, 0x0A]))
        #expect(e.kind == .encoding)
        #expect(e.span.start.line == 2)
        #expect(e.span.start.column == 5)
        let overlong = try #require(error([0x61, 0x3A, 0x20, 0xC0, 0xAF]))
        #expect(overlong.kind == .encoding)
        #expect(overlong.span.start.column == 4)
    }

    @Test func utf16IsRejectedAtTheStart() throws {
        let e = try #require(error([0xFF, 0xFE, 0x61, 0x00]))
        #expect(e.kind == .encoding)
        #expect(e.span.start == .start)
    }

    @Test func controlCharacterIsLocatedFromTheByteOffset() throws {
        let e = try #require(error("a: 1\nb: x\u{01}y\n"))
        #expect(e.kind == .encoding)
        #expect(e.span.start.line == 2)
        #expect(e.span.start.column == 5)
    }

    @Test func secondDocumentIsRejected() throws {
        let e = try #require(error("a: 1\n---\nb: 2\n"))
        #expect(e.kind == .multipleDocuments)
        #expect(e.span.start.line == 2)
        #expect(e.span.start.column == 1)
        #expect(try YAMLParser.parseStream(Array("a: 1\n---\nb: 2\n".utf8)).count == 2)
    }

    @Test func duplicateKeysAreAllReportedWithTheFirstLocation() throws {
        let doc = try YAMLParser.parseDocument(Array("a: 1\nb: 2\na: 3\nb: 4\n".utf8))
        #expect(doc.duplicateKeys.count == 2)
        let first = try #require(doc.duplicateKeys.first)
        #expect(first.kind == .duplicateKey)
        #expect(first.span.start.line == 3)
        #expect(first.context?.position.line == 1)
        // The first occurrence is kept.
        #expect(doc.root?.mapping?.first?.value.scalar == "1")
    }

    @Test func quotedAndPlainKeysWithTheSameTextAreDuplicates() throws {
        let doc = try YAMLParser.parseDocument(Array("a: 1\n\"a\": 2\n".utf8))
        #expect(doc.duplicateKeys.count == 1)
    }

    @Test func aliasesResolveAndAreLocatedAtTheAlias() throws {
        let doc = try root("base: &b {x: 1}\nuse: *b\n")
        let use = try #require(value(doc, "use"))
        #expect(use.mapping?.first?.key.scalar == "x")
        #expect(use.span.start.line == 2)
        #expect(use.span.start.column == 6)
    }

    @Test func undefinedAndRecursiveAliasesAreErrors() throws {
        let undefined = try #require(error("a: *nope\n"))
        #expect(undefined.kind == .undefinedAlias)
        #expect(undefined.span.start.column == 4)
        let recursive = try #require(error("a: &x [1, *x]\n"))
        #expect(recursive.kind == .recursiveAlias)
    }

    @Test func aliasBombStopsAtTheBudget() throws {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            let items = Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ")
            text += "l\(i): &l\(i) [\(items)]\n"
        }
        let e = try #require(error(text))
        #expect(e.kind == .aliasLimit)
        #expect(e.span.start.line >= 4)
    }

    @Test func mergeKeysFollowYAML11() throws {
        let doc = try root("""
        base: &base {x: 1, y: 2}
        other: &other {y: 20, z: 30}
        m: {<<: *base, y: 3}
        n:
          <<: [*base, *other]
          w: 0
        """)
        let m = try #require(value(doc, "m")?.mapping)
        #expect(m.map { $0.key.scalar ?? "" } == ["y", "x"])
        #expect(m.first { $0.key.scalar == "y" }?.value.scalar == "3")
        let n = try #require(value(doc, "n")?.mapping)
        #expect(n.first { $0.key.scalar == "y" }?.value.scalar == "2")
        #expect(n.first { $0.key.scalar == "z" }?.value.scalar == "30")
        #expect(n.count == 4)
    }

    @Test func mergeOfAScalarIsAnError() throws {
        let e = try #require(error("a:\n  <<: 5\n"))
        #expect(e.kind == .invalidMerge)
        #expect(e.span.start.line == 2)
    }

    @Test func depthIsCappedAtTheCollectionThatGoesTooDeep() throws {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let e = try #require(error(text))
        #expect(e.kind == .depthLimit)
        #expect(e.span.start == SourcePosition(line: 1, column: 65, offset: 64))
    }

    /// libyaml is quadratic on deep flow nesting; the cap must stop it early, not after minutes.
    @Test func hugeFlowNestingFailsFast() throws {
        let text = String(repeating: "[", count: 500_000)
        let e = try #require(error(text))
        #expect(e.kind == .depthLimit)
        let block = String((0..<1_000).map { String(repeating: " ", count: $0 * 2) + "-\n" }.joined())
        #expect(error(block)?.kind == .depthLimit)
    }

    @Test func sizeAndScalarLimitsAreConfigurable() throws {
        let small = YAMLLimits(maxDepth: 64, maxAliasNodes: 10, maxFileBytes: 10, maxScalarBytes: 4)
        #expect(error("a: 123456789012", limits: small)?.kind == .sizeLimit)
        let e = try #require(error("a: 12345", limits: YAMLLimits(maxScalarBytes: 4)))
        #expect(e.kind == .scalarLimit)
        #expect(e.span.start.column == 4)
    }

    @Test func stylesAndTagsAreKept() throws {
        let doc = try root("a: !!str 5\nb: \"q\"\nc: |\n  lit\nd: {x: 1}\ne: [1]\nf: plain\n")
        #expect(value(doc, "a")?.tag == "tag:yaml.org,2002:str")
        #expect(value(doc, "b")?.style == .doubleQuoted)
        #expect(value(doc, "c")?.style == .literal)
        #expect(value(doc, "d")?.style == .flow)
        #expect(value(doc, "e")?.style == .flow)
        #expect(value(doc, "f")?.style == .plain)
        #expect(doc.style == .block)
        #expect(CoreSchema.resolve(try #require(value(doc, "a"))) == .string("5"))
    }

    @Test func nulEscapesInsideScalarsAreKept() throws {
        let doc = try root("a: \"ok.yaml\\0../etc\"\n")
        #expect(value(doc, "a")?.scalar?.unicodeScalars.count == 14)
    }

    @Test func unterminatedQuoteGivesTheOpeningQuoteAsContext() throws {
        let e = try #require(error("a: 1\nb: \"abc\n"))
        #expect(e.kind == .syntax)
        let context = try #require(e.context)
        #expect(context.position.line == 2)
        #expect(context.position.column == 4)
    }

    @Test func coreSchemaResolvesPlainScalarsOnly() {
        #expect(CoreSchema.resolvePlain("12") == .int(12))
        #expect(CoreSchema.resolvePlain("-1.5e3") == .float(-1500))
        #expect(CoreSchema.resolvePlain("1e400") == .float(.infinity))
        #expect(CoreSchema.resolvePlain("99999999999999999999") == .float(1e20))
        #expect(CoreSchema.resolvePlain("true") == .bool(true))
        #expect(CoreSchema.resolvePlain("~") == .null)
        #expect(CoreSchema.resolvePlain("10m") == .string("10m"))
        #expect(CoreSchema.resolvePlain(">= 5") == .string(">= 5"))
    }

    /// Random bytes never crash the reader, and every error it gives lies inside the file.
    @Test func randomInputNeverCrashesAndErrorsAreLocatedInside() {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        let alphabet = Array("ab: -[]{},&*!|>'\"#\n\t?%@`é😀\0".utf8)
        var located = 0
        for _ in 0..<3_000 {
            let count = Int(next() % 64)
            let bytes = (0..<count).map { _ -> UInt8 in
                next() % 8 == 0 ? UInt8(truncatingIfNeeded: next()) : alphabet[Int(next() % UInt64(alphabet.count))]
            }
            if let e = error(bytes) {
                let lines = SourceText(bytes).lineCount
                #expect(e.span.start.line >= 1 && e.span.start.line <= lines + 1)
                #expect(e.span.start.column >= 1)
                located += 1
            }
        }
        #expect(located > 100)
    }
}
