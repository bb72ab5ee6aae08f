#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Everything the CLI writes goes through here, so that no write can trap: Foundation's
/// `FileHandle.write(_:)` traps on a full disk or a closed stream.
enum Output {
    /// Writes `text` to standard output. A reader that went away (`stackup check | head`)
    /// ends the run quietly, as it ends `cat`: by SIGPIPE. Any other failure is a usage error.
    static func standardOutput(_ text: String) throws(UsageError) {
        var bytes = Array(text.utf8)
        switch writeAll(STDOUT_FILENO, &bytes) {
        case 0: return
        case EPIPE:
            // SIGPIPE was ignored by whoever started us; the entry point ends the run by it.
            throw UsageError.readerGone
        case let code: throw UsageError("cannot write to standard output: \(reason(code))")
        }
    }

    /// Writes `text` to standard error, best effort: there is nowhere left to report a failure.
    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = writeAll(STDERR_FILENO, &bytes)
    }

    /// Writes `text` to the file at `path` without ever leaving it half written: into a new
    /// file in the same folder, then renamed over the target. A target that exists and is not
    /// a regular file (a FIFO, a device, a folder, a socket), or is a symlink, is refused, so
    /// that `--output /dev/full` or a link planted in the tree cannot redirect the write.
    static func file(_ text: String, to path: String, what: String? = nil) throws(UsageError) {
        let named = "\(what.map { $0 + " " } ?? "")`\(path)`"
        func failure(_ why: String) -> UsageError { UsageError("cannot write \(named): \(why)") }
        if let why = refusal(path) { throw failure(why) }
        var mode: mode_t
        var info = stat()
        if lstat(path, &info) == 0 {
            mode = info.st_mode & 0o7777
        } else {
            let mask = umask(0)
            umask(mask)
            mode = 0o666 & ~mask
        }

        let folder = folderPart(path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(folder)/.\(name).stackup-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw failure(reason(errno)) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var bytes = Array(text.utf8)
        var code = fchmod(fd, mode) == 0 ? writeAll(fd, &bytes) : errno
        if code == 0, fsync(fd) != 0 { code = errno }
        if close(fd) != 0, code == 0 { code = errno }
        if code == 0, rename(temporary, path) != 0 { code = errno }
        if code != 0 {
            unlink(temporary)
            throw failure(reason(code))
        }
    }

    /// Why `path` cannot be written to, or nil when it can be tried: checked before a run, so
    /// that a bad target stops it before anything is written, and again when writing.
    static func refusal(_ path: String) -> String? {
        guard !path.isEmpty, !path.utf8.contains(0) else { return "not a file name" }
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT ? nil : reason(errno) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFLNK: return "it is a symlink; stackup writes only regular files, and not through links"
        default: return "it is \(kind(info.st_mode)); stackup writes only regular files"
        }
    }

    /// Refuses the first of `targets` that cannot be written (see `refusal`).
    static func checkTargets(_ targets: [(path: String, what: String?)]) throws(UsageError) {
        for (path, what) in targets {
            if let why = refusal(path) { throw UsageError("cannot write \(what.map { $0 + " " } ?? "")`\(path)`: \(why)") }
        }
    }

    /// Appends `text` to the file at `path` (creating it), refusing a symlink or anything but a
    /// regular file, as `file(_:to:)` does.
    static func append(_ text: String, to path: String, what: String) throws(UsageError) {
        if let why = refusal(path) { throw UsageError("cannot write \(what) `\(path)`: \(why)") }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw UsageError("cannot write \(what) `\(path)`: \(reason(errno))") }
        var bytes = Array(text.utf8)
        var code = writeAll(fd, &bytes)
        if close(fd) != 0, code == 0 { code = errno }
        if code != 0 { throw UsageError("cannot write \(what) `\(path)`: \(reason(code))") }
    }

    /// Standard input, at most `limit` bytes; more is a usage error.
    static func readStandardInput(limit: Int) throws(UsageError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw UsageError("cannot read standard input: \(reason(errno))")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { throw UsageError("standard input is over the limit of \(limit) bytes (`file-bytes`)") }
        }
    }

    /// The folder a path names a file in (`.` for a bare name).
    private static func folderPart(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = path[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    /// Writes every byte, retrying short writes and interruptions; 0 or the errno.
    private static func writeAll(_ fd: Int32, _ bytes: inout [UInt8]) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in buffer.baseAddress.map { write(fd, $0 + offset, buffer.count - offset) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            offset += n
        }
        return 0
    }

    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a folder"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }
}
