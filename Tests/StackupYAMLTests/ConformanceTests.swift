import Foundation
import Testing
@testable import StackupYAML

/// Runs every case of the YAML test suite, read from outside the repository: from
/// `STACKUP_YAML_TEST_SUITE` when set, else `../shared/yaml-test-suite` beside the clone.
/// A clone without it skips these tests and says why; `.ci/run` provides it and fails when
/// they were skipped there (it sets `STACKUP_REQUIRE_SHARED=1`, which turns the skip into a
/// failure).
///
/// libyaml 0.2.5 disagrees with some cases; each one is listed with its reason in
/// `Fixtures/yaml-test-suite-disagreements.txt`. A disagreement outside that list, or a
/// listed case that now agrees, fails the test, so the list stays exact.
enum YAMLTestSuite {
    static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["STACKUP_YAML_TEST_SUITE"], !path.isEmpty {
            return URL(fileURLWithPath: path).standardizedFileURL
        }
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().appendingPathComponent("../../../shared/yaml-test-suite").standardizedFileURL
    }()

    static var isAvailable: Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// Set by `.ci/run`: there the suite must be present, so its absence fails rather than skips.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["STACKUP_REQUIRE_SHARED"] == "1" }
}

@Suite(.enabled(if: YAMLTestSuite.isAvailable || YAMLTestSuite.isRequired,
                "the YAML test suite is not here: put it at ../shared/yaml-test-suite or set STACKUP_YAML_TEST_SUITE"))
struct ConformanceTests {
    static var suiteRoot: URL { YAMLTestSuite.root }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/yaml-test-suite-disagreements.txt")

    struct Case {
        let id: String
        let directory: URL
    }

    static func cases() -> [Case] {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(at: suiteRoot, includingPropertiesForKeys: nil) else { return [] }
        var out: [Case] = []
        for case let url as URL in enumerator where url.lastPathComponent == "in.yaml" {
            let dir = url.deletingLastPathComponent()
            let id = dir.path.replacingOccurrences(of: suiteRoot.path + "/", with: "")
            out.append(Case(id: id, directory: dir))
        }
        return out.sorted { $0.id < $1.id }
    }

    enum Outcome: Equatable {
        case agrees
        case disagrees(String)
    }

    static func run(_ c: Case) -> Outcome {
        let fm = FileManager.default
        guard let input = fm.contents(atPath: c.directory.appendingPathComponent("in.yaml").path) else {
            return .disagrees("in.yaml unreadable")
        }
        let expectsError = fm.fileExists(atPath: c.directory.appendingPathComponent("error").path)
        let result: Result<[YAMLNode], YAMLError>
        do { result = .success(try YAMLParser.parseStream(Array(input))) } catch { result = .failure(error) }
        switch (result, expectsError) {
        case (.failure, true):
            return .agrees
        case (.success, true):
            return .disagrees("accepts invalid YAML")
        case (.failure(let e), false):
            return .disagrees("rejects valid YAML: \(e.kind.rawValue): \(e.message)")
        case (.success(let docs), false):
            guard let json = fm.contents(atPath: c.directory.appendingPathComponent("in.json").path) else {
                return .agrees
            }
            guard let expected = try? JSONStreamReader.values(Array(json)) else { return .disagrees("in.json unreadable") }
            let actual = docs.map(toJSON)
            return actual == expected ? .agrees : .disagrees("value differs from in.json")
        }
    }

    static func toJSON(_ node: YAMLNode) -> JSONValue {
        switch node.content {
        case .scalar:
            switch CoreSchema.resolve(node) {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .number(Double(i))
            case .float(let d): return .number(d)
            case .string(let s): return .string(s)
            }
        case .sequence(let items): return .array(items.map(toJSON))
        case .mapping(let pairs):
            var object: [String: JSONValue] = [:]
            for pair in pairs { object[pair.key.scalar ?? "?"] = toJSON(pair.value) }
            return .object(object)
        }
    }

    static func listedDisagreements() -> [String: String] {
        guard let text = try? String(contentsOf: fixture, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1)
            out[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    @Test func suiteIsPresent() {
        #expect(Self.cases().count == 402)
    }

    @Test func everyCaseAgreesOrIsListed() throws {
        let listed = Self.listedDisagreements()
        var agreed = 0
        var unexpected: [String] = []
        var report = ""
        for c in Self.cases() {
            switch Self.run(c) {
            case .agrees:
                agreed += 1
                if listed[c.id] != nil { unexpected.append("\(c.id): listed, but now agrees") }
            case .disagrees(let reason):
                report += "\(c.id) \(reason)\n"
                if listed[c.id] == nil { unexpected.append("\(c.id): \(reason)") }
            }
        }
        if ProcessInfo.processInfo.environment["STACKUP_WRITE_DISAGREEMENTS"] != nil {
            try report.write(to: URL(fileURLWithPath: "/tmp/yaml-disagreements.txt"), atomically: true, encoding: .utf8)
        }
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
        print("yaml-test-suite: \(agreed) of \(Self.cases().count) cases agree")
    }
}
