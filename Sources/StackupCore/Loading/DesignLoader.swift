import StackupYAML

/// Loads a design: reads the root file and its includes, decodes the model, and checks every
/// reference. Each problem becomes a located finding; loading goes on past it.
package struct DesignLoader: Sendable {
    package var provider: any SourceProvider
    package var limits: Limits

    package init(provider: any SourceProvider = DiskSourceProvider(), limits: Limits = .default) {
        self.provider = provider
        self.limits = limits
    }

    /// What loading produced: the design when the root file could be read as format v1, the
    /// findings, and the text of every file read (for snippets).
    package struct Result: Sendable {
        package var design: Design?
        package var findings: [Finding]
        package var sources: [String: SourceText]
        /// The comments of every file read, by display path, for suppressions.
        package var comments: [String: [YAMLComment]] = [:]
    }

    /// Loads the design whose root file is `displayPath` (as the user named it), confining
    /// includes to `rootFolder` (canonical).
    package func load(displayPath: String, rootFolder: String) -> Result {
        load(path: displayPath, displayPath: displayPath, rootFolder: rootFolder)
    }

    /// Loads the design read from `path`, naming it `displayPath` in every location (for
    /// example relative to the repository root, whatever the working folder).
    package func load(path: String, displayPath: String, rootFolder: String) -> Result {
        let diagnostics = Diagnostics(limits: limits)
        var sources: [String: SourceText] = [:]
        func result(_ design: Design?) -> Result {
            Result(design: design, findings: diagnostics.findings, sources: sources, comments: diagnostics.comments)
        }
        let rootLocation = Location(file: displayPath, span: Span(at: .start))
        guard let canonical = provider.canonicalPath(path) else {
            diagnostics.add(InvalidIncludeRule.finding(.noSuchFile(displayPath), at: rootLocation))
            return result(nil)
        }
        // A design found in the tree may be a symlink planted by whoever wrote the tree: it is
        // read only when it leads to a file inside the root folder, as an include would be.
        guard PathUtilities.isInside(canonical, rootFolder), canonical != rootFolder else {
            diagnostics.add(InvalidIncludeRule.finding(.leadsOutside(displayPath, root: displayFolder(rootFolder)),
                                                       at: rootLocation, help: RuleMessage<InvalidIncludeRule>.leadsOutsideHelp))
            return result(nil)
        }
        guard let root = parse(displayPath: displayPath, canonical: canonical, diagnostics: diagnostics, sources: &sources,
                               failure: { InvalidYamlRule.finding(.unreadable($0), at: rootLocation) }) else {
            return result(nil)
        }
        guard let rootNode = root else {
            diagnostics.add(SchemaRule.finding(.emptyDesign, at: rootLocation))
            return result(nil)
        }
        let reader = NodeReader(file: displayPath, diagnostics: diagnostics)
        var decoder = DesignDecoder(reader: reader, design: Design(file: displayPath))
        guard let header = decoder.header(rootNode, isRoot: true) else {
            return result(nil)
        }
        if let n = header["name"] { decoder.design.name = reader.string(n, "`name`") }
        if let n = header["calendar"] { decoder.design.calendar = decoder.calendar(n) }
        if let n = header["customer"] { decoder.customer(n) }
        if diagnostics.overLimit { return result(nil) }
        var design = decoder.design
        var stageLocations: [String: Location] = [:]
        var entryLocations: [String: Location] = [:]

        func absorb(_ fields: Fields, _ reader: NodeReader) {
            let fileDecoder = DesignDecoder(reader: reader, design: design)
            if let n = fields["entries"] {
                for (name, key, value) in reader.namedEntries(n, "`entries`") {
                    if design.entries.count >= limits.entries {
                        diagnostics.exceeded("entries", what: "entries", at: reader.location(key))
                        return
                    }
                    if let first = entryLocations[name] {
                        diagnostics.add(InvalidIncludeRule.finding(.entryTwice(name), at: reader.location(key),
                                                                   related: [RelatedLocation(first, RuleMessage<InvalidIncludeRule>.firstDefined)]))
                        continue
                    }
                    entryLocations[name] = reader.location(key)
                    if let e = fileDecoder.entry(name, key, value) { design.entries.append(e) }
                }
            }
            if let n = fields["stages"] {
                for (id, key, value) in reader.namedEntries(n, "`stages`") {
                    if design.stages.count >= limits.stages {
                        diagnostics.exceeded("stages", what: "stages", at: reader.location(key))
                        return
                    }
                    if let first = stageLocations[id] {
                        diagnostics.add(InvalidIncludeRule.finding(.stageTwice(id), at: reader.location(key), stage: id,
                                                                   related: [RelatedLocation(first, RuleMessage<InvalidIncludeRule>.firstDefined)]))
                        continue
                    }
                    stageLocations[id] = reader.location(key)
                    if let s = fileDecoder.stage(id, key, value) {
                        design.stageIndex[id] = design.stages.count
                        design.stages.append(s)
                    }
                }
            }
        }
        absorb(header, reader)
        if diagnostics.overLimit { return result(nil) }

        // Includes, depth first in the order written, without recursion.
        struct Pending {
            var fields: Fields
            var reader: NodeReader
            var canonical: String
            var chain: [String]
        }
        var loaded: [String: Location] = [canonical: rootLocation]
        var work: [Pending] = [Pending(fields: header, reader: reader, canonical: canonical, chain: [canonical])]
        while let item = work.popLast() {
            guard let list = item.fields["include"] else { continue }
            guard let paths = item.reader.stringList(list, "`include`") else { continue }
            var children: [Pending] = []
            for (index, path) in paths.enumerated() {
                // Checked before anything else, so that a list of 20,000 copies of one path
                // costs one finding, not 20,000.
                guard index < limits.includedFiles, loaded.count <= limits.includedFiles else {
                    diagnostics.add(OverLimitRule.finding(.tooManyIncludes(limit: limits.includedFiles),
                                                          at: path.location, help: Limits.raise("included-files")))
                    break
                }
                guard item.chain.count < limits.includeDepth else {
                    diagnostics.add(OverLimitRule.finding(.nestedTooDeep(limit: limits.includeDepth, path: path.value),
                                                          at: path.location, help: Limits.raise("include-depth")))
                    continue
                }
                guard let child = resolveInclude(path, from: item.reader.file, canonicalFrom: item.canonical,
                                                 rootFolder: rootFolder, chain: item.chain, loaded: &loaded,
                                                 diagnostics: diagnostics) else { continue }
                guard let parsed = parse(displayPath: child.display, canonical: child.canonical, diagnostics: diagnostics,
                                         sources: &sources, failure: { InvalidIncludeRule.finding(.unreadable(path.value, $0), at: path.location) }),
                      let node = parsed else { continue }
                let childReader = NodeReader(file: child.display, diagnostics: diagnostics)
                let childDecoder = DesignDecoder(reader: childReader, design: design)
                guard let fields = childDecoder.header(node, isRoot: false) else { continue }
                absorb(fields, childReader)
                if diagnostics.overLimit { return result(nil) }
                children.append(Pending(fields: fields, reader: childReader, canonical: child.canonical, chain: item.chain + [child.canonical]))
            }
            work.append(contentsOf: children.reversed())
        }
        checkSize(design, diagnostics)
        if diagnostics.overLimit { return result(nil) }
        ReferenceChecker(design: design, diagnostics: diagnostics, hasEntryNames: !entryLocations.isEmpty).check()
        return result(design)
    }

    /// The limits that only the whole design can be held against.
    func checkSize(_ design: Design, _ diagnostics: Diagnostics) {
        var fields = Set<String>()
        var firstOver: Location?
        let named = design.customer.neverAskTwice + design.stages.flatMap { $0.requires + $0.captures + ($0.handsOff ?? []) }
        for field in named where fields.insert(field.value).inserted && fields.count > limits.fields && firstOver == nil {
            firstOver = field.location
        }
        if let firstOver {
            diagnostics.exceeded("fields", count: fields.count, what: "distinct fields", at: firstOver)
            return
        }
        let layers = design.customer.maxLoops + 1
        let (nodes, overflow) = design.stages.count.multipliedReportingOverflow(by: layers)
        if overflow || nodes > limits.unrolledNodes {
            let location = design.customer.maxLoopsLocation ?? design.stages[min(limits.unrolledNodes / layers, design.stages.count - 1)].location
            diagnostics.exceeded("unrolled-nodes", count: nodes,
                                 what: "unrolled nodes (\(design.stages.count) stages × \(layers) layers for `max_loops: \(design.customer.maxLoops)`)",
                                 at: location)
        }
    }

    /// Reads and parses one file. Returns nil on failure (reported), `.some(nil)` for an
    /// empty file.
    func parse(displayPath: String, canonical: String, diagnostics: Diagnostics, sources: inout [String: SourceText],
               failure: (String) -> Finding) -> YAMLNode?? {
        let bytes: [UInt8]
        switch provider.read(canonical, limit: limits.fileBytes) {
        case .success(let b): bytes = b
        case .failure(let e):
            diagnostics.add(failure(e.message))
            return nil
        }
        let text = SourceText(bytes)
        sources[displayPath] = text
        do {
            let document = try YAMLParser.parseDocument(bytes, limits: limits.yaml)
            let comments = YAMLComments.scan(text, root: document.root)
            diagnostics.comments[displayPath] = document.root.map { YAMLComments.attachKeys(comments, root: $0) } ?? comments
            if let root = document.root { reportTags(root, file: displayPath, diagnostics: diagnostics) }
            for duplicate in document.duplicateKeys {
                diagnostics.add(SchemaRule.finding(.duplicateKey(duplicate.message), at: Location(file: displayPath, span: duplicate.span),
                                                   related: duplicate.context.map { [RelatedLocation(Location(file: displayPath, span: Span(at: $0.position)), $0.message)] } ?? []))
            }
            return .some(document.root)
        } catch {
            // Without a tree, a ` #` inside a quoted scalar would read as a comment too.
            diagnostics.comments[displayPath] = YAMLComments.scan(text, root: nil)
            diagnostics.add(InvalidYamlRule.finding(for: error, file: displayPath, text: text))
            return nil
        }
    }

    /// Tags the format gives no meaning to (`!!python/object`, `!ruby/object`) are reported,
    /// not silently ignored; the core schema's own tags are fine.
    func reportTags(_ root: YAMLNode, file: String, diagnostics: Diagnostics) {
        let core: Set<String> = ["tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                                 "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge", "!"]
        var reported = 0
        func visit(_ node: YAMLNode) {
            if let tag = node.tag, !core.contains(tag), reported < 100 {
                reported += 1
                let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
                diagnostics.add(SchemaRule.finding(.unknownTag(shown),
                                                   at: Location(file: file, span: node.span)))
            }
        }
        // Depth first, last child first, as a plain stack of nodes would visit them (the order
        // decides which 100 are reported), but a frame per open collection instead of a copy of
        // every node pushed: this walk's retains were 4% of loading 10,000 stages.
        struct Frame {
            var items: [YAMLNode] = []
            var pairs: [YAMLPair] = []
            /// Counts down; in a map, key and value of pair `next / 2`.
            var next: Int

            init?(_ node: YAMLNode) {
                switch node.content {
                case .scalar: return nil
                case .sequence(let items): self.items = items; next = items.count - 1
                case .mapping(let pairs): self.pairs = pairs; next = 2 * pairs.count - 1
                }
            }

            /// The next child, or nil when every child was visited.
            mutating func pop() -> YAMLNode? {
                guard next >= 0 else { return nil }
                defer { next -= 1 }
                if !items.isEmpty { return items[next] }
                return next % 2 == 0 ? pairs[next / 2].key : pairs[next / 2].value
            }
        }
        visit(root)
        var stack: [Frame] = []
        if let frame = Frame(root) { stack.append(frame) }
        while !stack.isEmpty {
            guard let child = stack[stack.count - 1].pop() else { stack.removeLast(); continue }
            visit(child)
            if let frame = Frame(child) { stack.append(frame) }
        }
    }

    /// A folder as users see it: relative to the working directory when inside it.
    func displayFolder(_ canonical: String) -> String {
        PathUtilities.display(canonical, provider: provider)
    }

    /// Checks one include path and returns where it points, or nil after reporting why not.
    func resolveInclude(_ path: Located<String>, from display: String, canonicalFrom: String, rootFolder: String,
                        chain: [String], loaded: inout [String: Location],
                        diagnostics: Diagnostics) -> (display: String, canonical: String)? {
        let raw = path.value
        if raw.hasPrefix("/") {
            diagnostics.add(InvalidIncludeRule.finding(.absolute(raw), at: path.location))
            return nil
        }
        if raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) || raw.isEmpty {
            diagnostics.add(InvalidIncludeRule.finding(.controlOrEmpty, at: path.location))
            return nil
        }
        let displayPath = PathUtilities.join(PathUtilities.directory(of: display), raw)
        let wanted = PathUtilities.join(PathUtilities.directory(of: canonicalFrom), raw)
        guard let canonical = provider.canonicalPath(wanted) else {
            diagnostics.add(InvalidIncludeRule.finding(.missing(raw), at: path.location))
            return nil
        }
        guard PathUtilities.isInside(canonical, rootFolder), canonical != rootFolder else {
            diagnostics.add(InvalidIncludeRule.finding(.escapes(raw, root: displayFolder(rootFolder)), at: path.location,
                                                       help: RuleMessage<InvalidIncludeRule>.escapesHelp))
            return nil
        }
        if let position = chain.firstIndex(of: canonical) {
            let cycle = (chain[position...] + [canonical]).map { PathUtilities.relative($0, to: rootFolder) }
            diagnostics.add(InvalidIncludeRule.finding(.cycle(cycle), at: path.location))
            return nil
        }
        if let first = loaded[canonical] {
            diagnostics.add(InvalidIncludeRule.finding(.again(raw), at: path.location,
                                                       related: [RelatedLocation(first, RuleMessage<InvalidIncludeRule>.firstIncluded)]))
            return nil
        }
        loaded[canonical] = path.location
        return (displayPath, canonical)
    }
}
