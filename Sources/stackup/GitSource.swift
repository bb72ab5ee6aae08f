import Foundation
import StackupCore

/// Runs git and returns its standard output; a failure is a usage error (exit 2).
enum Git {
    /// Most bytes read from one git command (a tree listing, or one blob).
    static let defaultOutputLimit = 256 << 20

    /// Runs `git ARGUMENTS`, reading at most `limit` bytes of its output in bounded chunks;
    /// more is an error, and git is stopped.
    static func run(_ arguments: [String], in folder: String? = nil, failure: String? = nil,
                    limit: Int = defaultOutputLimit) throws(UsageError) -> [UInt8] {
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
            throw UsageError("cannot run git: \(error.localizedDescription)")
        }
        // Read before waiting, so that a full pipe cannot stall git.
        var data: [UInt8] = []
        var overLimit = false
        while true {
            guard let chunk = try? out.fileHandleForReading.read(upToCount: 1 << 16), !chunk.isEmpty else { break }
            data.append(contentsOf: chunk)
            if data.count > limit {
                overLimit = true
                process.terminate()
                break
            }
        }
        let message = (try? err.fileHandleForReading.read(upToCount: 1 << 16)) ?? nil
        process.waitUntilExit()
        if overLimit {
            throw UsageError("`git \(arguments.joined(separator: " "))` printed more than \(limit) bytes")
        }
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message ?? Data(), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)"
            throw UsageError(failure ?? "`git \(arguments.joined(separator: " "))` failed: \(text)")
        }
        return data
    }

    /// A revision as the user wrote it, refused when git could read it as an option or it
    /// holds characters no revision has (git is run without a shell, so nothing else can leak).
    static func checkRevision(_ revision: String) throws(UsageError) {
        if revision.isEmpty || revision.hasPrefix("-") || revision.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            throw UsageError("`\(revision.debugDescription.dropFirst().dropLast())` is not a git revision")
        }
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

    init(revision: String) throws(UsageError) {
        try Git.checkRevision(revision)
        let provider = DiskSourceProvider()
        let topText = String(decoding: try Git.run(["rev-parse", "--show-toplevel"]), as: UTF8.self).trimmingCharacters(in: .newlines)
        top = provider.canonicalPath(topText) ?? topText
        _ = try Git.run(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], failure: "`\(revision)` is not a commit in this repository")
        self.revision = revision
        var files = Set<String>()
        var folders = Set<String>()
        for record in try Git.run(["ls-tree", "-r", "-z", "--full-tree", revision], in: top).split(separator: 0) {
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
        // The size first, so that a huge blob is never read.
        let object = "\(revision):\(relative)"
        do {
            let sizeText = String(decoding: try Git.run(["cat-file", "-s", object], in: top, limit: 64), as: UTF8.self)
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                return .failure(SourceReadError("git gave no size for it at \(revision)"))
            }
            guard size <= limit else { return .failure(SourceReadError("file is \(size) bytes at \(revision), over the limit of \(limit) bytes")) }
            return .success(try Git.run(["cat-file", "blob", object], in: top, limit: limit))
        } catch {
            return .failure(SourceReadError(error.message))
        }
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
