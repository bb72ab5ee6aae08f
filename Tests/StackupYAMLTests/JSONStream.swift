import Foundation

/// A JSON value, for comparing YAML documents with the test suite's `in.json`.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// Reads a stream of concatenated JSON values (the test suite puts one per document).
struct JSONStreamReader {
    private let s: [UInt8]
    private var i = 0

    init(_ bytes: [UInt8]) { s = bytes }

    struct Failure: Error {}

    static func values(_ bytes: [UInt8]) throws -> [JSONValue] {
        var reader = JSONStreamReader(bytes)
        var out: [JSONValue] = []
        reader.skipSpace()
        while reader.i < reader.s.count {
            out.append(try reader.value())
            reader.skipSpace()
        }
        return out
    }

    private mutating func skipSpace() {
        while i < s.count, [0x20, 0x0A, 0x0D, 0x09].contains(s[i]) { i += 1 }
    }

    private mutating func value() throws -> JSONValue {
        skipSpace()
        guard i < s.count else { throw Failure() }
        switch s[i] {
        case UInt8(ascii: "{"):
            i += 1
            var object: [String: JSONValue] = [:]
            skipSpace()
            if i < s.count, s[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
            while true {
                skipSpace()
                guard case .string(let key) = try value() else { throw Failure() }
                skipSpace()
                guard i < s.count, s[i] == UInt8(ascii: ":") else { throw Failure() }
                i += 1
                object[key] = try value()
                skipSpace()
                guard i < s.count else { throw Failure() }
                if s[i] == UInt8(ascii: ",") { i += 1; continue }
                if s[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
                throw Failure()
            }
        case UInt8(ascii: "["):
            i += 1
            var array: [JSONValue] = []
            skipSpace()
            if i < s.count, s[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
            while true {
                array.append(try value())
                skipSpace()
                guard i < s.count else { throw Failure() }
                if s[i] == UInt8(ascii: ",") { i += 1; continue }
                if s[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
                throw Failure()
            }
        case UInt8(ascii: "\""):
            let start = i
            i += 1
            while i < s.count, s[i] != UInt8(ascii: "\"") {
                if s[i] == UInt8(ascii: "\\") { i += 1 }
                i += 1
            }
            i += 1
            let data = Data(s[start..<min(i, s.count)])
            guard let string = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) as? String else { throw Failure() }
            return .string(string)
        case UInt8(ascii: "t"): i += 4; return .bool(true)
        case UInt8(ascii: "f"): i += 5; return .bool(false)
        case UInt8(ascii: "n"): i += 4; return .null
        default:
            let start = i
            while i < s.count, "+-0123456789.eE".utf8.contains(s[i]) { i += 1 }
            guard let d = Double(String(decoding: s[start..<i], as: UTF8.self)) else { throw Failure() }
            return .number(d)
        }
    }
}
