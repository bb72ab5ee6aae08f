import Foundation
import StackupCore

/// GitHub Actions workflow commands: one annotation per finding.
public enum GitHubReporter {
    /// `%`, CR and LF escaped in messages; properties also escape `:` and `,`.
    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    public static func render(_ findings: [Finding]) -> String {
        findings.map { f in
            let command = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
            let l = f.location
            var properties = ["file=\(escapeProperty(l.file))", "line=\(l.line)", "endLine=\(max(l.span.end.line, l.line))"]
            // GitHub accepts columns only on a single line.
            if l.span.end.line == l.line {
                properties += ["col=\(l.column)", "endColumn=\(max(l.span.end.column, l.column + 1))"]
            }
            properties.append("title=\(escapeProperty("stackup " + f.rule))")
            return "::\(command) \(properties.joined(separator: ","))::\(escapeData(f.message))\n"
        }.joined()
    }
}

extension GitHubReporter {
    /// The Markdown that `--format github` appends to `$GITHUB_STEP_SUMMARY`: the counts, and
    /// the first findings as a table.
    public static func stepSummary(_ findings: [Finding], files: Int, failOn: Severity, limit: Int = 50) -> String {
        func count(_ s: Severity) -> Int { findings.filter { $0.severity == s }.count }
        func cell(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 ? " " : $0 }))
                .replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
        }
        let failing = findings.filter { $0.severity >= failOn }.count
        var out = "### Stackup\n\n"
        out += "\(count(.error)) errors, \(count(.warning)) warnings and \(count(.note)) notes in \(files) file\(files == 1 ? "" : "s")"
        out += failing > 0 ? "; \(failing) at or above `--fail-on \(failOn.rawValue)`, so the check fails.\n" : "; none at or above `--fail-on \(failOn.rawValue)`.\n"
        guard !findings.isEmpty else { return out + "\n" }
        out += "\n| severity | rule | where | finding |\n|---|---|---|---|\n"
        for f in findings.prefix(limit) {
            out += "| \(f.severity.rawValue) | `\(f.rule)` | `\(cell(f.location.file)):\(f.location.line)` | \(cell(f.message)) |\n"
        }
        if findings.count > limit { out += "\n… and \(findings.count - limit) more; the annotations and the job log list them all.\n" }
        return out + "\n"
    }
}

/// GitLab Code Quality: a JSON array GitLab reads from `artifacts:reports:codequality`.
public enum GitLabReporter {
    struct Issue: Encodable {
        let description: String
        let check_name: String
        let fingerprint: String
        let severity: String
        let location: Place
    }

    struct Place: Encodable {
        let path: String
        let lines: Lines
    }

    struct Lines: Encodable { let begin: Int }

    public static func render(_ findings: [Finding]) -> String {
        var seen: [String: Int] = [:]
        let issues = findings.map { f -> Issue in
            // No line in the fingerprint, so that an edit above a finding leaves it the same
            // finding in the merge-request widget; identical ones would merge there, so repeats
            // are salted with their rank in report order.
            var print = Fingerprint.of(f)
            let n = seen[print, default: 0]
            seen[print] = n + 1
            if n > 0 { print += "-\(n)" }
            let severity = f.severity == .error ? "major" : f.severity == .warning ? "minor" : "info"
            return Issue(description: "\(f.rule): \(f.message)", check_name: f.rule, fingerprint: print, severity: severity,
                         location: Place(path: f.location.file, lines: Lines(begin: f.location.line)))
        }
        return JSONOutput.encode(issues, empty: "[]")
    }
}

/// JUnit XML: one test suite per design file, one test case per finding, and a passing case
/// for a clean file. Only findings at or above `--fail-on` fail; the others pass and carry
/// their message in `<system-out>`, so that a green run never shows a red report.
public enum JUnitReporter {
    static func xml(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" { out += "?" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A test case's name: rule, file, stage and subject, never a line or column, so that
    /// test history follows a finding across edits. Repeats get their rank.
    static func caseName(_ f: Finding) -> String {
        "\(f.rule) in \(f.location.file)" + (f.stage.map { " at `\($0)`" } ?? "") + ": " + FindingKey.signatureText(f)
    }

    public static func render(_ findings: [Finding], files: [String], failOn: Severity = .error) -> String {
        let failing = findings.filter { $0.severity >= failOn }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"stackup\" tests=\"\(findings.count + files.filter { f in !findings.contains { $0.location.file == f } }.count)\" failures=\"\(failing)\" time=\"0\">\n"
        var byFile: [String: [Finding]] = [:]
        for f in findings { byFile[f.location.file, default: []].append(f) }
        let names = Array(Set(files).union(byFile.keys)).sorted()
        for file in names {
            let list = byFile[file] ?? []
            let classname = file.replacingOccurrences(of: ".stackup.yaml", with: "").replacingOccurrences(of: ".yaml", with: "")
            let fails = list.filter { $0.severity >= failOn }.count
            // `time` is 0: Stackup does not time findings, and the report stays byte-identical.
            out += "  <testsuite name=\"\(xml(file))\" tests=\"\(max(list.count, 1))\" failures=\"\(fails)\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
            if list.isEmpty {
                out += "    <testcase name=\"no problems\" classname=\"\(xml(classname))\" file=\"\(xml(file))\" time=\"0\"/>\n"
            }
            var seen: [String: Int] = [:]
            for f in list {
                var name = caseName(f)
                let n = seen[name, default: 0]
                seen[name] = n + 1
                if n > 0 { name += " (\(n + 1))" }
                let detail = xml("\(f.location): \(f.severity.rawValue)[\(f.rule)] \(f.message)")
                out += "    <testcase name=\"\(xml(name))\" classname=\"\(xml(classname))\" file=\"\(xml(file))\" line=\"\(f.location.line)\" time=\"0\">\n"
                if f.severity >= failOn {
                    out += "      <failure message=\"\(xml(f.message))\" type=\"\(f.severity.rawValue)\">\(detail)</failure>\n"
                } else {
                    out += "      <system-out>\(detail)</system-out>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }
}
