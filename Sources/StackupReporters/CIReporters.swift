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
            // Identical fingerprints merge in GitLab's widget: salt repeats.
            var print = Fingerprint.of(f) + ":" + String(f.location.line)
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

/// JUnit XML: one test suite per design file, one failing test case per finding, and a
/// passing case for a clean file.
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

    public static func render(_ findings: [Finding], files: [String]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"stackup\" tests=\"\(findings.count + files.filter { f in !findings.contains { $0.location.file == f } }.count)\" failures=\"\(findings.count)\">\n"
        var byFile: [String: [Finding]] = [:]
        for f in findings { byFile[f.location.file, default: []].append(f) }
        let names = Array(Set(files).union(byFile.keys)).sorted()
        for file in names {
            let list = byFile[file] ?? []
            let classname = file.replacingOccurrences(of: ".stackup.yaml", with: "").replacingOccurrences(of: ".yaml", with: "")
            out += "  <testsuite name=\"\(xml(file))\" tests=\"\(max(list.count, 1))\" failures=\"\(list.count)\" errors=\"0\" skipped=\"0\">\n"
            if list.isEmpty {
                out += "    <testcase name=\"no problems\" classname=\"\(xml(classname))\" file=\"\(xml(file))\"/>\n"
            }
            for (i, f) in list.enumerated() {
                // Names must be unique within a class: rule, place, and the index on ties.
                let name = "\(f.rule) at \(f.location.line):\(f.location.column)" + (list.prefix(i).contains { $0.rule == f.rule && $0.location.line == f.location.line && $0.location.column == f.location.column } ? " (\(i))" : "")
                out += "    <testcase name=\"\(xml(name))\" classname=\"\(xml(classname))\" file=\"\(xml(file))\" line=\"\(f.location.line)\">\n"
                out += "      <failure message=\"\(xml(f.message))\" type=\"\(f.severity.rawValue)\">\(xml("\(f.location): \(f.severity.rawValue)[\(f.rule)] \(f.message)"))</failure>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }
}
