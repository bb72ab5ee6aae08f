import ArgumentParser
import Foundation
import StackupCore
import StackupReporters

enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions of designs: findings introduced, resolved and unchanged, and how the figures moved.",
        discussion: """
        Give two files or two folders (BASE HEAD), or --git REF with paths in the working tree, whose \
        versions at REF are the base. Exits 1 when the head version adds a finding at or above \
        --fail-on, or makes a promise's p90 slower by more than --max-regression percent.
        """
    )

    @Argument(help: "BASE HEAD, or with --git the paths to compare (default: the current folder).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Compare the working tree with this git revision (read with git, not checked out).", valueName: "ref"))
    var git: String?

    @Option(help: "Output format: text, or markdown for a pull-request comment.")
    var format: DiffFormat = .text

    @Option(name: .customLong("max-regression"), help: "Largest accepted slow-down of a promise's p90, in percent.")
    var maxRegression: Double = 10

    @OptionGroup var policy: PolicyOptions

    func validate() throws {
        if git == nil, paths.count != 2 {
            throw ValidationError("give BASE and HEAD (two files or two folders), or --git REF [PATH…]")
        }
        guard maxRegression.isFinite, maxRegression >= 0 else { throw ValidationError("--max-regression must be a percentage of 0 or more") }
    }

    func run() throws {
        let settings = try Settings(policy)
        var base: [DesignDiff.Side] = []
        var head: [DesignDiff.Side] = []
        let headName: (String) -> String

        func check(_ files: [String], provider: any SourceProvider, name: (String) -> String) -> [DesignDiff.Side] {
            let checker = Checker(provider: provider, options: settings.checkOptions)
            return files.filter { !settings.isExcluded(name($0)) }.map { file in
                var fileChecker = checker
                fileChecker.options = settings.options(for: name(file))
                let report = fileChecker.check(file: file, rootFolder: settings.rootFolder(for: file, provider: provider))
                return DesignDiff.Side(file: name(file), ownName: file, findings: report.findings, metrics: report.metrics)
            }
        }

        if let git {
            let targets = paths.isEmpty ? ["."] : paths
            let provider = try GitSourceProvider(revision: git)
            let baseFiles = targets.flatMap(provider.designFiles(under:))
            headName = { $0 }
            base = check(Array(Set(baseFiles)).sorted(), provider: provider, name: headName)
            head = check(try DesignDiscovery.files(for: targets), provider: DiskSourceProvider(), name: headName)
        } else {
            let (basePath, headPath) = (paths[0], paths[1])
            let baseIsFolder = try Self.isFolder(basePath)
            guard try baseIsFolder == Self.isFolder(headPath) else {
                throw UsageError("compare a file with a file or a folder with a folder: `\(basePath)` and `\(headPath)` differ")
            }
            // Files below BASE are named as the same files below HEAD; a lone design also
            // takes the head's name, so that its findings match.
            let baseRoot = PathUtilities.normalize(basePath)
            let headRoot = PathUtilities.normalize(headPath)
            let baseAnchor = baseIsFolder ? baseRoot : PathUtilities.directory(of: baseRoot)
            let headAnchor = baseIsFolder ? headRoot : PathUtilities.directory(of: headRoot)
            headName = { file in
                let f = PathUtilities.normalize(file)
                if !baseIsFolder, f == baseRoot { return headRoot }
                guard PathUtilities.isInside(f, baseAnchor) || baseAnchor == "." else { return f }
                let rest = baseAnchor == "." ? f : String(f.dropFirst(baseAnchor.count + 1))
                return PathUtilities.join(headAnchor, rest)
            }
            base = check(try DesignDiscovery.files(for: [basePath]), provider: DiskSourceProvider(), name: headName)
            head = check(try DesignDiscovery.files(for: [headPath]), provider: DiskSourceProvider(), name: { $0 })
        }

        // Named from the repository root, as every output names files, once matched.
        let root = try Settings.basePath(nil)
        let diff = DesignDiff(base: base, head: head, headName: headName).renamed { Settings.displayName($0, base: root) }
        let gate = DiffReporter.Gate(failOn: settings.failOn, maxRegression: maxRegression / 100)
        let rendered = format == .markdown ? DiffReporter.markdown(diff, gate: gate) : DiffReporter.text(diff, gate: gate)
        try Output.standardOutput(rendered)
        if diff.fails(failOn: gate.failOn, limit: gate.maxRegression) {
            throw ExitCode(1)
        }
    }

    static func isFolder(_ path: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UsageError("`\(path)`: no such file or folder")
        }
        return isDirectory.boolValue
    }
}
