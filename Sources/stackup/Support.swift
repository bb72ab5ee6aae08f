import Foundation
import StackupCore
import StackupYAML

/// Whether to colour output: the flag first, then NO_COLOR / FORCE_COLOR, then whether the
/// stream is a terminal (and TERM is not `dumb`).
enum ColorPolicy {
    static func enabled(choice: ColorChoice, isTerminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            if let v = environment["NO_COLOR"], !v.isEmpty { return false }
            if let v = environment["FORCE_COLOR"], !v.isEmpty { return true }
            return isTerminal && environment["TERM"] != "dumb"
        }
    }
}

/// Finds the design files named on the command line.
enum DesignDiscovery {
    static let suffixes = [".stackup.yaml", ".stackup.yml"]

    /// Files in the order given; each folder's designs sorted by path. A missing path exits 2.
    static func files(for paths: [String]) throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError("`\(path)`: no such file or folder")
            }
            if !isDirectory.boolValue {
                out.append(PathUtilities.normalize(path))
                continue
            }
            var found: [String] = []
            let base = PathUtilities.normalize(path)
            guard let walker = fm.enumerator(atPath: path) else { throw UsageError("`\(path)`: cannot read the folder") }
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    walker.skipDescendants()
                    continue
                }
                if suffixes.contains(where: { name.hasSuffix($0) }) {
                    found.append(PathUtilities.join(base, relative))
                }
            }
            if found.isEmpty {
                throw UsageError("`\(path)` holds no *.stackup.yaml or *.stackup.yml files")
            }
            out.append(contentsOf: found.sorted())
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }
}

/// The disk, with one more file whose bytes came from standard input (`stackup check -`): it
/// is named and placed by `--stdin-filename`, so that locations, includes and the root folder
/// work as if it were on disk there.
struct StandardInputSourceProvider: SourceProvider {
    let disk = DiskSourceProvider()
    /// Canonical, as the disk reader would name the file.
    let path: String
    let bytes: [UInt8]

    init(name: String, bytes: [UInt8]) {
        path = disk.placedPath(name)
        self.bytes = bytes
    }

    func canonicalPath(_ p: String) -> String? {
        disk.placedPath(p) == path ? path : disk.canonicalPath(p)
    }

    func read(_ canonicalPath: String, limit: Int) -> Result<[UInt8], SourceReadError> {
        guard canonicalPath == path else { return disk.read(canonicalPath, limit: limit) }
        return bytes.count <= limit ? .success(bytes) : .failure(SourceReadError("standard input is over the limit of \(limit) bytes"))
    }
}
