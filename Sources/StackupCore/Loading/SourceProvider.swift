#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Why a file could not be read.
public struct SourceReadError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Where design files come from: the disk, or memory in tests.
public protocol SourceProvider: Sendable {
    /// The absolute path with every symlink, `.` and `..` resolved, or nil when nothing is there.
    func canonicalPath(_ path: String) -> String?
    /// The bytes of a regular file, at most `limit` of them; larger files are an error.
    func read(_ canonicalPath: String, limit: Int) -> Result<[UInt8], SourceReadError>
}

/// Reads files from disk defensively: only regular files, opened without following a final
/// symlink or blocking on a FIFO, and read with a bound.
public struct DiskSourceProvider: SourceProvider {
    public init() {}

    /// `path` made absolute with its folder's symlinks resolved and its own name kept: where a
    /// file is (or would be), as outputs and standard input name it, even when the file itself
    /// is a symlink or does not exist.
    public func placedPath(_ path: String) -> String {
        let absolute = PathUtilities.normalize(PathUtilities.absolute(path))
        guard absolute != "/" else { return absolute }
        let folder = PathUtilities.directory(of: absolute)
        let name = String(absolute.split(separator: "/").last ?? "")
        return PathUtilities.join(canonicalPath(folder) ?? folder, name)
    }

    public func canonicalPath(_ path: String) -> String? {
        guard !path.isEmpty, !path.utf8.contains(0), let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func read(_ canonicalPath: String, limit: Int) -> Result<[UInt8], SourceReadError> {
        let fd = open(canonicalPath, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SourceReadError("cannot open: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(SourceReadError("cannot stat: \(String(cString: strerror(errno)))")) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(SourceReadError("not a regular file")) }
        if Int(info.st_size) > limit {
            return .failure(SourceReadError("file is \(info.st_size) bytes, over the limit of \(limit) bytes"))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SourceReadError("read failed: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { return .failure(SourceReadError("file is over the limit of \(limit) bytes")) }
        }
        return .success(bytes)
    }
}

/// Files held in memory, for tests and for checking text that is not on disk.
public struct MemorySourceProvider: SourceProvider {
    public var files: [String: [UInt8]]

    public init(_ files: [String: String]) {
        self.init(bytes: files.mapValues { Array($0.utf8) })
    }

    /// Files as bytes, which need not be UTF-8 (the fuzzer's inputs).
    public init(bytes files: [String: [UInt8]]) {
        var out: [String: [UInt8]] = [:]
        for (path, bytes) in files { out[PathUtilities.normalize(PathUtilities.absolute(path))] = bytes }
        self.files = out
    }

    public func canonicalPath(_ path: String) -> String? {
        let p = PathUtilities.normalize(PathUtilities.absolute(path))
        if files[p] != nil { return p }
        // A folder exists when some file lies below it.
        return files.keys.contains { $0.hasPrefix(p == "/" ? "/" : p + "/") } ? p : nil
    }

    public func read(_ canonicalPath: String, limit: Int) -> Result<[UInt8], SourceReadError> {
        guard let bytes = files[canonicalPath] else { return .failure(SourceReadError("not a regular file")) }
        guard bytes.count <= limit else { return .failure(SourceReadError("file is over the limit of \(limit) bytes")) }
        return .success(bytes)
    }
}

/// Path arithmetic on strings, so that results do not depend on Foundation's platform quirks.
public enum PathUtilities {
    /// Removes `.` and empty components and resolves `..` textually.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/") {
            if component == "." || component.isEmpty { continue }
            if component == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if component == "..", absolute { continue }
            parts.append(component)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The folder part of a path (`.` for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = path[path.startIndex..<slash]
        return dir.isEmpty ? "/" : String(dir)
    }

    public static func join(_ a: String, _ b: String) -> String {
        if b.hasPrefix("/") { return b }
        if a == "." { return normalize(b) }
        return normalize(a + "/" + b)
    }

    /// The working directory, for making paths absolute.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : join(currentDirectory(), path)
    }

    /// A canonical path as users see it: relative to the working directory (as `provider`
    /// resolves it) when inside it, `.` for the directory itself.
    public static func display(_ canonical: String, provider: any SourceProvider) -> String {
        let cwd = currentDirectory()
        let base = provider.canonicalPath(cwd) ?? cwd
        if canonical == base { return "." }
        return relative(canonical, to: base)
    }

    /// `path` relative to `base` when it lies below it, otherwise `path` unchanged.
    public static func relative(_ path: String, to base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// True when `path` is `folder` or lies below it; compares whole components.
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }
}
