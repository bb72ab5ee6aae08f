import CZlib

/// Inflates a gzip stream chunk by chunk through the system zlib, so that a compressed log is
/// read in bounded memory like a plain one. Concatenated gzip members (what `cat a.gz b.gz`
/// makes) are read one after another, as `gunzip` does.
package final class Gunzip {
    private var stream = z_stream()
    private var open = false
    /// Why the stream could not be inflated; nothing more is produced after it.
    package private(set) var failure: String?
    /// Compressed bytes taken; for messages.
    package private(set) var consumed = 0

    /// True for bytes that start as gzip does (1f 8b).
    package static func isGzip(_ prefix: some Collection<UInt8>) -> Bool {
        prefix.count >= 2 && prefix.first == 0x1F && prefix.dropFirst().first == 0x8B
    }

    package init() {
        // 16 + MAX_WBITS: a gzip header and trailer around the deflate stream.
        open = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        if !open { failure = "zlib could not start" }
    }

    deinit {
        if open { inflateEnd(&stream) }
    }

    /// Compressed bytes given and not yet inflated.
    private var pending: [UInt8] = []
    private var pendingOffset = 0

    /// Gives the next compressed bytes; `pull` inflates them.
    package func push(_ input: [UInt8]) {
        if pendingOffset >= pending.count {
            pending = input
        } else {
            pending = Array(pending[pendingOffset...]) + input
        }
        pendingOffset = 0
    }

    /// Up to `limit` inflated bytes of what was pushed; empty when it needs more input. Bounded,
    /// since a megabyte of gzip can inflate to a hundred (ten million log rows made 280 MB
    /// out of 2.6 MB in one go).
    package func pull(limit: Int) -> [UInt8] {
        var output: [UInt8] = []
        guard failure == nil else { return output }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while output.count < limit, failure == nil {
            let before = pendingOffset
            var produced = 0
            var code: Int32 = Z_OK
            let room = min(buffer.count, limit - output.count)
            pending.withUnsafeMutableBufferPointer { inBuffer in
                buffer.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = inBuffer.baseAddress.map { $0 + pendingOffset }
                    stream.avail_in = UInt32(clamping: inBuffer.count - pendingOffset)
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(room)
                    code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    pendingOffset = inBuffer.count - Int(stream.avail_in)
                    produced = room - Int(stream.avail_out)
                }
            }
            output.append(contentsOf: buffer[0..<produced])
            consumed += pendingOffset - before
            switch code {
            case Z_OK, Z_BUF_ERROR:
                // Nothing taken and nothing given: it needs more input.
                if pendingOffset == before && produced == 0 { return output }
            case Z_STREAM_END:
                // Another member may follow.
                if inflateReset(&stream) != Z_OK { failure = "zlib could not go on to the next gzip member" }
                if pendingOffset >= pending.count { return output }
            default:
                let why = stream.msg.map { String(cString: $0) } ?? "code \(code)"
                failure = "the gzip data is corrupt after \(consumed) compressed bytes (\(why))"
            }
        }
        return output
    }

    /// The bytes `input` inflates to, all of them (appended to `output`).
    package func inflate(_ input: [UInt8], into output: inout [UInt8]) {
        push(input)
        while true {
            let part = pull(limit: 1 << 20)
            if part.isEmpty { return }
            output += part
        }
    }

    /// Ends the stream; a failure when it stopped in the middle of a member.
    package func finish() {
        guard failure == nil, open else { return }
        // After a member's end the stream is reset, with nothing read of the next one.
        if stream.total_in > 0 { failure = "the gzip data ends in the middle (truncated after \(consumed) compressed bytes)" }
    }
}
