import StackupCore

/// ANSI styling, applied only when colour is on. The decision is made by the caller.
struct Style {
    let enabled: Bool

    private func wrap(_ code: String, _ text: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ s: String) -> String { wrap("1", s) }
    func blue(_ s: String) -> String { wrap("1;34", s) }
    func severity(_ severity: Severity, _ s: String) -> String {
        switch severity {
        case .error: return wrap("1;31", s)
        case .warning: return wrap("1;33", s)
        case .note: return wrap("1;36", s)
        }
    }
}
