/// A path pattern of `exclude`: `*` and `?` within one folder name, `[abc]`, `[a-z]` and
/// `[!a]` classes, `**` across folders. Matching is dynamic programming over pattern and path,
/// so it takes time proportional to their product whatever the pattern.
package struct Glob: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case one
        case star
        /// `**`: anything, slashes included.
        case globstar
        /// `**/`: nothing, or anything that ends in a slash.
        case folders
        case set([ClosedRange<Unicode.Scalar>], negated: Bool)
    }

    let pattern: String
    let tokens: [Token]
    /// A pattern without a slash is matched against every file and folder name.
    let anyFolder: Bool

    struct SyntaxError: Error, Equatable, Sendable {
        var message: String
    }

    init(_ pattern: String) throws(SyntaxError) {
        self.pattern = pattern
        var body = Array(pattern.unicodeScalars)
        if body.first == "/" { body.removeFirst() }
        while body.count > 1, body.last == "/" { body.removeLast() }
        guard !body.isEmpty else { throw SyntaxError(message: "an empty pattern matches nothing") }
        anyFolder = !body.contains("/")
        var tokens: [Token] = []
        var i = 0
        while i < body.count {
            let c = body[i]
            switch c {
            case "*":
                if i + 1 < body.count, body[i + 1] == "*" {
                    if i + 2 < body.count, body[i + 2] == "/" {
                        tokens.append(.folders)
                        i += 3
                    } else {
                        tokens.append(.globstar)
                        i += 2
                    }
                    continue
                }
                tokens.append(.star)
            case "?":
                tokens.append(.one)
            case "[":
                var j = i + 1
                var negated = false
                if j < body.count, body[j] == "!" || body[j] == "^" {
                    negated = true
                    j += 1
                }
                var ranges: [ClosedRange<Unicode.Scalar>] = []
                var closed = false
                var first = true
                while j < body.count {
                    if body[j] == "]", !first {
                        closed = true
                        break
                    }
                    first = false
                    if j + 2 < body.count, body[j + 1] == "-", body[j + 2] != "]" {
                        guard body[j] <= body[j + 2] else {
                            throw SyntaxError(message: "the range `\(body[j])-\(body[j + 2])` in `\(pattern)` runs backwards")
                        }
                        ranges.append(body[j]...body[j + 2])
                        j += 3
                    } else {
                        ranges.append(body[j]...body[j])
                        j += 1
                    }
                }
                guard closed else { throw SyntaxError(message: "`[` in `\(pattern)` is never closed") }
                tokens.append(.set(ranges, negated: negated))
                i = j
            case "\\":
                guard i + 1 < body.count else { throw SyntaxError(message: "`\(pattern)` ends in a lone `\\`") }
                tokens.append(.literal(body[i + 1]))
                i += 1
            default:
                tokens.append(.literal(c))
            }
            i += 1
        }
        self.tokens = tokens
    }

    /// Whether `path` (relative, `/`-separated) or one of the folders it lies in matches.
    func matches(_ path: String) -> Bool {
        let scalars = Array(PathUtilities.normalize(path).unicodeScalars)
        var candidates: [ArraySlice<Unicode.Scalar>] = []
        // The path itself and each folder above it, so that a folder's pattern excludes its files.
        for (i, c) in scalars.enumerated() where c == "/" { candidates.append(scalars[..<i]) }
        candidates.append(scalars[...])
        if anyFolder {
            // Every name on the path, on its own.
            var start = 0
            for (i, c) in scalars.enumerated() where c == "/" {
                candidates.append(scalars[start..<i])
                start = i + 1
            }
            candidates.append(scalars[start...])
        }
        return candidates.contains { whole($0) }
    }

    /// Whether the tokens match all of `text`.
    func whole(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        let s = Array(text)
        let n = s.count
        // next[j]: tokens[t+1...] match s[j...]; computed from the last token backwards.
        var next = [Bool](repeating: false, count: n + 1)
        next[n] = true
        var current = [Bool](repeating: false, count: n + 1)
        for token in tokens.reversed() {
            // For `**/`: some k >= j has a slash at k and a match of the rest after it.
            var slashThenRest = false
            for j in stride(from: n, through: 0, by: -1) {
                switch token {
                case .literal(let c): current[j] = j < n && s[j] == c && next[j + 1]
                case .one: current[j] = j < n && s[j] != "/" && next[j + 1]
                case .set(let ranges, let negated):
                    current[j] = j < n && s[j] != "/" && (ranges.contains { $0.contains(s[j]) } != negated) && next[j + 1]
                case .star: current[j] = next[j] || (j < n && s[j] != "/" && current[j + 1])
                case .globstar: current[j] = next[j] || (j < n && current[j + 1])
                case .folders:
                    // Zero folders, or a run of characters that ends with a slash.
                    if j < n, s[j] == "/", next[j + 1] { slashThenRest = true }
                    current[j] = next[j] || slashThenRest
                }
            }
            swap(&next, &current)
        }
        return next[0]
    }
}
