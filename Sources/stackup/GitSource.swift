import Foundation
import StackupCore

/// Runs git and returns its standard output; a failure is a usage error (exit 2).
enum Git {
    static func run(_ arguments: [String], in folder: String? = nil, failure: String? = nil) -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + (folder.map { ["-C", $0] } ?? []) + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            StackupCommand.failUsage("cannot run git: \(error.localizedDescription)")
        }
        // Read before waiting, so that a full pipe cannot stall git.
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)"
            StackupCommand.failUsage(failure ?? "`git \(arguments.joined(separator: " "))` failed: \(text)")
        }
        return data
    }
}

/// Design files as they were at a git revision: `stackup diff --git REF` reads the base
/// version through this, includes and all, without touching the working tree.
struct GitSourceProvider: SourceProvider {
    let revision: String
    /// The repository's top folder, canonical.
    let top: String
    /// Regular files at the revision, relative to `top`. Symlinks and submodules are left
    /// out, as the disk reader refuses symlinks.
    let files: Set<String>
    let folders: Set<String>

    init(revision: String) {
        let provider = DiskSourceProvider()
        let topText = String(decoding: Git.run(["rev-parse", "--show-toplevel"]), as: UTF8.self).trimmingCharacters(in: .newlines)
        top = provider.canonicalPath(topText) ?? topText
        _ = Git.run(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], failure: "`\(revision)` is not a commit in this repository")
        self.revision = revision
        var files = Set<String>()
        var folders = Set<String>()
        for record in Git.run(["ls-tree", "-r", "-z", "--full-tree", revision], in: top).split(separator: 0) {
            // "<mode> <type> <object>\t<path>"
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let mode = String(decoding: record[record.startIndex..<tab].prefix(6), as: UTF8.self)
            guard mode == "100644" || mode == "100755" else { continue }
            let path = String(decoding: record[(tab + 1)...], as: UTF8.self)
            files.insert(path)
            var folder = PathUtilities.directory(of: path)
            while folder != "." && folders.insert(folder).inserted { folder = PathUtilities.directory(of: folder) }
        }
        self.files = files
        self.folders = folders
    }

    /// `path` relative to the repository top, or nil when outside it.
    func repositoryPath(_ path: String) -> String? {
        let absolute = PathUtilities.normalize(PathUtilities.absolute(path))
        guard PathUtilities.isInside(absolute, top) else { return nil }
        return absolute == top ? "" : String(absolute.dropFirst(top == "/" ? 1 : top.count + 1))
    }

    func canonicalPath(_ path: String) -> String? {
        guard let relative = repositoryPath(path) else { return nil }
        guard relative.isEmpty || files.contains(relative) || folders.contains(relative) else { return nil }
        return PathUtilities.normalize(PathUtilities.absolute(path))
    }

    func read(_ canonicalPath: String, limit: Int) -> Result<[UInt8], SourceReadError> {
        guard let relative = repositoryPath(canonicalPath), files.contains(relative) else {
            return .failure(SourceReadError("not a regular file at \(revision)"))
        }
        let bytes = [UInt8](Git.run(["cat-file", "blob", "\(revision):\(relative)"], in: top))
        guard bytes.count <= limit else { return .failure(SourceReadError("file is \(bytes.count) bytes, over the limit of \(limit) bytes")) }
        return .success(bytes)
    }

    /// The design files under `path` (a file or folder of the working tree) at the revision,
    /// named as `DesignDiscovery` names their working-tree versions.
    func designFiles(under path: String) -> [String] {
        guard let prefix = repositoryPath(path) else { return [] }
        let base = PathUtilities.normalize(path)
        if files.contains(prefix) { return [base] }
        var found: [String] = []
        for file in files {
            let rest: String
            if prefix.isEmpty { rest = file } else {
                guard file.hasPrefix(prefix + "/") else { continue }
                rest = String(file.dropFirst(prefix.count + 1))
            }
            // Hidden files and folders are skipped, as on disk.
            guard !rest.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                  DesignDiscovery.suffixes.contains(where: { rest.hasSuffix($0) }) else { continue }
            found.append(PathUtilities.join(base, rest))
        }
        return found.sorted()
    }
}
