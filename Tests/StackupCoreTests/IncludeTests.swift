import Foundation
import Testing
@testable import StackupCore

/// Includes read real files, so these run on a scratch folder on disk.
@Suite struct IncludeTests {
    let root = """
    stackup: 1
    include: [INCLUDES]
    entries:
      web: {to: sdr, rate: 100/week}
    stages:
      sdr:
        owns_relationship: true
        routes:
          - to: won
      won: {outcome: won}
    """

    func check(_ folder: ScratchFolder, includes: String, rootFolder: String? = nil) throws -> DesignReport {
        let file = try folder.write("main.stackup.yaml", root.replacingOccurrences(of: "INCLUDES", with: includes))
        return Checker().check(file: file, rootFolder: rootFolder ?? folder.path)
    }

    @Test func includedStagesJoinTheDesign() throws {
        let folder = try ScratchFolder()
        try folder.write("teams/ae.yaml", "stages:\n  ae:\n    routes:\n      - to: won\n")
        let file = try folder.write("main.stackup.yaml", root.replacingOccurrences(of: "INCLUDES", with: "teams/ae.yaml")
            .replacingOccurrences(of: "      - to: won\n  won", with: "      - to: ae\n  won"))
        let report = Checker().check(file: file, rootFolder: folder.path)
        #expect(report.findings.isEmpty, "\(positions(report))")
        #expect(report.design?.stage("ae") != nil)
        #expect(report.design?.stage("ae")?.location.file.hasSuffix("teams/ae.yaml") == true)
    }

    @Test func missingFile() throws {
        let report = try check(ScratchFolder(), includes: "nope.yaml")
        #expect(positions(report) == ["invalid-include@2:11"])
    }

    @Test func dotDotEscape() throws {
        let folder = try ScratchFolder()
        try folder.write("outside.yaml", "stages: {}\n")
        try folder.write("inner/placeholder", "")
        let file = try folder.write("inner/main.stackup.yaml", root.replacingOccurrences(of: "INCLUDES", with: "../outside.yaml"))
        let report = Checker().check(file: file, rootFolder: folder.path + "/inner")
        #expect(positions(report) == ["invalid-include@2:11"])
        #expect(report.findings[0].message.contains("escapes the root"))
    }

    @Test func symlinkEscape() throws {
        let folder = try ScratchFolder()
        try folder.write("secret/x.yaml", "stages: {}\n")
        try folder.write("inner/placeholder", "")
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("inner/link.yaml").path,
                                                   withDestinationPath: folder.url.appendingPathComponent("secret/x.yaml").path)
        let file = try folder.write("inner/main.stackup.yaml", root.replacingOccurrences(of: "INCLUDES", with: "link.yaml"))
        let report = Checker().check(file: file, rootFolder: folder.path + "/inner")
        #expect(positions(report) == ["invalid-include@2:11"])
        #expect(report.findings[0].message.contains("escapes the root"))
    }

    @Test func siblingFolderWithTheRootAsPrefixIsOutside() throws {
        let folder = try ScratchFolder()
        try folder.write("repo-evil/x.yaml", "stages: {}\n")
        try folder.write("repo/placeholder", "")
        let file = try folder.write("repo/main.stackup.yaml", root.replacingOccurrences(of: "INCLUDES", with: "../repo-evil/x.yaml"))
        let report = Checker().check(file: file, rootFolder: folder.path + "/repo")
        #expect(report.findings.first?.message.contains("escapes the root") == true)
    }

    @Test func absolutePath() throws {
        let report = try check(ScratchFolder(), includes: "/etc/passwd")
        #expect(positions(report) == ["invalid-include@2:11"])
        #expect(report.findings[0].message.contains("absolute"))
    }

    @Test func cycle() throws {
        let folder = try ScratchFolder()
        try folder.write("a.yaml", "include: [b.yaml]\n")
        try folder.write("b.yaml", "include: [a.yaml]\n")
        let report = try check(folder, includes: "a.yaml")
        #expect(positions(report) == ["invalid-include@1:11"])
        #expect(report.findings[0].message.contains("cycle: a.yaml → b.yaml → a.yaml"))
        #expect(report.findings[0].location.file.hasSuffix("b.yaml"))
    }

    @Test func selfInclusionOfTheRootIsACycle() throws {
        let report = try check(ScratchFolder(), includes: "main.stackup.yaml")
        #expect(report.findings.first?.message.contains("cycle") == true)
    }

    @Test func duplicateIncludeAndStageDefinedTwice() throws {
        let folder = try ScratchFolder()
        try folder.write("a.yaml", "stages:\n  sdr:\n    routes:\n      - to: won\n")
        let report = try check(folder, includes: "a.yaml, ./a.yaml")
        // Sorted by file: a.yaml comes before main.stackup.yaml.
        #expect(positions(report) == ["invalid-include@2:3", "invalid-include@2:19"])
        #expect(report.findings.map { $0.location.file.hasSuffix("/a.yaml") } == [true, false])
        #expect(report.findings[0].message.contains("stage `sdr` is defined twice"))
        #expect(report.findings[1].message.contains("already included"))
    }

    @Test func fifoAndFolderAreRejectedWithoutHanging() throws {
        let folder = try ScratchFolder()
        #expect(mkfifo(folder.url.appendingPathComponent("pipe.yaml").path, 0o600) == 0)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("dir.yaml"), withIntermediateDirectories: true)
        let report = try check(folder, includes: "pipe.yaml, dir.yaml")
        #expect(positions(report) == ["invalid-include@2:11", "invalid-include@2:22"])
        #expect(report.findings.allSatisfy { $0.message.contains("not a regular file") })
    }

    @Test func includedFileProblemsAreLocatedInThatFile() throws {
        let folder = try ScratchFolder()
        try folder.write("a.yaml", "stages:\n  ae:\n    sla: 2 weeks\n")
        try folder.write("b.yaml", "stages: [\n")
        try folder.write("c.yaml", "calendar: {}\n")
        let report = try check(folder, includes: "a.yaml, b.yaml, c.yaml")
        let byFile = report.findings.map { "\(($0.location.file as NSString).lastPathComponent):\($0.rule)@\($0.location.line):\($0.location.column)" }
        #expect(byFile.contains("a.yaml:schema@3:10"))
        #expect(byFile.contains("b.yaml:invalid-yaml@2:1"))
        #expect(byFile.contains("c.yaml:schema@1:1"))
    }
}
