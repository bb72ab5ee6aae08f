import Foundation
import Testing

/// `stackup calibrate` as users and CI run it, on the example in `Specs/calibration/`: a log
/// made from a line that runs slower than declared and sends deals back along no route.
@Suite struct CalibrateCLITests {
    let cli = CLITests()
    static let example = ["calibrate", "Specs/calibration/org.stackup.yaml", "Specs/calibration/stage-history.csv", "--as-of", "2026-02-16"]

    @Test func theExampleGivesItsExpectedReport() throws {
        let r = try cli.run(Self.example + ["--color", "never"])
        #expect(r.status == 1, "\(r.stderr)")
        let expected = try String(contentsOf: CLITests.repositoryRoot.appendingPathComponent("Specs/calibration/expected.txt"), encoding: .utf8)
        #expect(r.stdout == expected)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        // The planted slow stage and the planted move, at their lines.
        #expect(r.stdout.contains("error[sla-drift]: `sdr` is slower than its SLA"))
        #expect(r.stdout.contains("--> Specs/calibration/org.stackup.yaml:13:10"))
        #expect(r.stdout.contains("error[undeclared-transition]: 17 journeys"))
        #expect(r.stdout.contains("Nurture email (22)"))
    }

    @Test func everyFormatCarriesTheFindings() throws {
        let json = try cli.run(Self.example + ["--format", "json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["as_of"] as? String == "2026-02-16T00:00:00Z")
        let stages = try #require(object["stages"] as? [String: [String: Any]])
        #expect(stages["sdr"]?["verdict"] as? String == "drift")
        let conformance = try #require(object["conformance"] as? [String: Any])
        #expect((conformance["undeclared"] as? [[String: Any]])?.first?["cases"] as? Int == 17)
        // Byte-identical on a second run.
        #expect(try cli.run(Self.example + ["--format", "json"]).stdout == json.stdout)
        for (format, marker) in [("markdown", "| sdr | calendar | p50 2h, p90 6h |"), ("sarif", "\"ruleId\" : \"sla-drift\""),
                                 ("junit", "sla-drift"), ("github", "::error file=Specs/calibration/org.stackup.yaml,line=13"),
                                 ("gitlab", "\"check_name\" : \"undeclared-transition\"")] {
            let r = try cli.run(Self.example + ["--format", format])
            #expect(r.status == 1, "\(format)")
            #expect(r.stdout.contains(marker), "\(format): \(r.stdout.prefix(600))")
        }
    }

    /// `--write`: the design with its measured figures, comments kept; `check` reads it.
    @Test func writeGivesADesignThatChecks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("measured.stackup.yaml").path
        let r = try cli.run(Self.example + ["--write", out, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("stackup: wrote `\(out)` with 5 measured figures\n"), "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("    sla: {p50: 5.45h, p90: 20.46h}          # \"we answer every inbound lead within hours\""), "\(text)")
        #expect(text.contains("  web: {to: sdr, rate: 152.7/week}"))
        #expect(text.hasPrefix("# The inbound line as the sales leader declared it."))
        let check = try cli.run(["check", out, "--color", "never"])
        #expect(!check.stdout.contains("error[schema]") && !check.stdout.contains("error[invalid-sla]"), "\(check.stdout)")
        // `diff` shows the design as declared against the design as it runs: the promise slips.
        let diff = try cli.run(["diff", "Specs/calibration/org.stackup.yaml", out])
        #expect(diff.stdout.contains("decision  3.7 d       4.3 d      +16%"), "\(diff.stdout)")
        // Measured as it runs, the line no longer drifts: only the move back is left.
        let again = try cli.run(["calibrate", out, "Specs/calibration/stage-history.csv", "--as-of", "2026-02-16", "--format", "json"])
        let findings = try #require((try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(findings.compactMap { $0["rule"] as? String } == ["undeclared-transition"], "\(again.stdout.prefix(2000))")
    }

    @Test(arguments: [
        (["calibrate", "Specs/calibration/org.stackup.yaml"], "give one or more log files after the design"),
        (["calibrate", "Specs/calibration/org.stackup.yaml", "no/such.csv"], "error: no/such.csv: no such log file"),
        (["calibrate", "no/such.stackup.yaml", "Specs/calibration/stage-history.csv"], "error: `no/such.stackup.yaml`: no such design file"),
        (["calibrate", "Specs/calibration/org.stackup.yaml", "Specs/calibration/stage-history.csv", "--tz", "Mars/Olympus"], "--tz takes UTC, an offset"),
        (["calibrate", "Specs/calibration/org.stackup.yaml", "Specs/calibration/stage-history.csv", "--as-of", "yesterday"], "--as-of takes ISO 8601"),
        (["calibrate", "Specs/calibration/org.stackup.yaml", "Specs/calibration/stage-history.csv", "--map", "Nurture email"], "--map takes ACTIVITY=STAGE"),
        (["calibrate", "Specs/calibration/org.stackup.yaml", "Specs/calibration/stage-history.csv", "--map", "Nurture email=sdrr"], "the design has no stage `sdrr`"),
        (["calibrate", "Specs/calibration/org.stackup.yaml", "Specs/calibration/stage-history.csv", "--case", "Id"], "Specs/calibration/stage-history.csv:1: no column `Id` for the case id"),
        (["calibrate", "Specs/calibration/org.stackup.yaml", "Specs/calibration/stage-history.csv", "--format", "html"], "Please provide one of the following: text, json, markdown, sarif, junit, github, gitlab"),
    ])
    func badInputExitsTwoWithOneLine(arguments: [String], expected: String) throws {
        let r = try cli.run(arguments)
        #expect(r.status == 2, "\(r.stdout)")
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// A bad timestamp at line 7 is counted and located, never dropped silently; the rest is read.
    @Test func aBadTimestampAtLineSevenIsCountedWhereItIs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stackup-calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("log.csv")
        try """
        case_id,stage,timestamp
        c1,sdr,2026-01-05T09:00:00Z
        c1,ae,2026-01-05T11:00:00Z
        c2,sdr,2026-01-05T10:00:00Z
        c2,lost,2026-01-05T12:00:00Z
        c3,sdr,2026-01-05T10:30:00Z
        c3,ae,2026-01-05 25:00

        """.write(to: log, atomically: true, encoding: .utf8)
        let r = try cli.run(["calibrate", "Specs/calibration/org.stackup.yaml", log.path, "--color", "never", "--as-of", "2026-01-06"])
        #expect(r.stdout.contains("  skipped 1 row:\n    1 × bad timestamp (first at \(log.path):7)\n"), "\(r.stdout)")
        #expect(r.stdout.contains("against 6 events of 3 cases"), "\(r.stdout)")
        let json = try cli.run(["calibrate", "Specs/calibration/org.stackup.yaml", log.path, "--format", "json", "--as-of", "2026-01-06"])
        let skipped = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["skipped"] as? [String: Any])
        #expect(skipped["rows"] as? Int == 1)
        #expect((skipped["reasons"] as? [String: Int]) == ["bad timestamp": 1])
        #expect((skipped["first_at"] as? [String: String]) == ["bad timestamp": "\(log.path):7"])
    }

    /// A mapped activity becomes a stage; one the logs never hold is said, with a suggestion.
    @Test func mapsMapAndAMisspeltActivityIsSaid() throws {
        let mapped = try cli.run(Self.example + ["--map", "Nurture email=sdr", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(mapped.stdout.utf8)) as? [String: Any])
        #expect(((object["conformance"] as? [String: Any])?["unknown_activities"] as? [String: Any])?.isEmpty == true)
        let misspelt = try cli.run(Self.example + ["--map", "Nurture emial=sdr", "--format", "json"])
        #expect(misspelt.stderr.contains("--map `Nurture emial`: no event in the logs has this activity"), "\(misspelt.stderr)")
        #expect(misspelt.stderr.contains("Nurture email"))
    }
}

extension CalibrateCLITests {
    /// `.stackup.yml`'s `calibrate.map` maps like `--map`, and `check` does not call a
    /// suppression of a calibration rule unused.
    @Test func theConfigurationMapsAndCheckKeepsCalibrationSuppressions() throws {
        let folder = try cli.project([
            ".stackup.yml": "calibrate:\n  map:\n    Nurture email: sdr\n",
            "org.stackup.yaml": """
            stackup: 1
            entries:
              web: {to: sdr, rate: 150/week}
            stages:
              sdr:
                contact: true
                owns_relationship: true
                sla: {p50: 2h, p90: 6h}  # stackup: ignore[sla-drift] the SDR team is being hired
                routes:
                  - {to: ae, share: 0.4}
                  - to: lost
              ae:
                contact: true
                owns_relationship: true
                sla: {p50: 2d, p90: 6d}
                routes:
                  - {to: won, share: 0.35}
                  - to: lost
              won: {outcome: won}
              lost: {outcome: lost}
            """,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = CLITests.repositoryRoot.appendingPathComponent("Specs/calibration/stage-history.csv").path
        let r = try cli.run(["calibrate", "org.stackup.yaml", log, "--as-of", "2026-02-16", "--format", "json"], in: folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(((object["conformance"] as? [String: Any])?["unknown_activities"] as? [String: Any])?.isEmpty == true, "\(r.stdout.prefix(800))")
        let rules = (object["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
        // Suppressed where it is written; mapping the emails to `sdr` makes moves back to it from
        // wherever the case had gone (they are sent an hour in), each an undeclared move.
        #expect(rules?.contains("sla-drift") == false, "\(String(describing: rules))")
        #expect(rules?.filter { $0 == "undeclared-transition" }.count == 3, "\(String(describing: rules))")
        let check = try cli.run(["check", "org.stackup.yaml", "--color", "never"], in: folder)
        #expect(!check.stdout.contains("unused-suppression"), "\(check.stdout)")
    }
}
