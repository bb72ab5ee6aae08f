import Foundation

/// How every JSON output is written: pretty, keys sorted (so output is byte-stable), slashes
/// unescaped, one trailing newline.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T, empty: String = "{}") -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return empty + "\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
