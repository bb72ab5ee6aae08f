import StackupYAML

/// A span in a named file. `file` is the path as shown to users.
public struct Location: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var file: String
    public var span: Span

    public init(file: String, span: Span) {
        self.file = file
        self.span = span
    }

    public var line: Int { span.start.line }
    public var column: Int { span.start.column }

    public static func < (a: Location, b: Location) -> Bool {
        (a.file, a.span.start.line, a.span.start.column) < (b.file, b.span.start.line, b.span.start.column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}
