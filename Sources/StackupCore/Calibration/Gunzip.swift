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

    /// The bytes `input` inflates to (appended to `output`).
    package func inflate(_ input: [UInt8], into output: inout [UInt8]) {
        guard failure == nil, !input.isEmpty else { return }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        var offset = 0
        // zlib may hold output back when the buffer fills: go on until it leaves room.
        var full = false
        while (offset < input.count || full), failure == nil {
            let before = offset
            var produced = 0
            var code: Int32 = Z_OK
            input.withUnsafeMutableBufferPointer { inBuffer in
                buffer.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = inBuffer.baseAddress.map { $0 + offset }
                    stream.avail_in = UInt32(clamping: inBuffer.count - offset)
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    offset = inBuffer.count - Int(stream.avail_in)
                    produced = outBuffer.count - Int(stream.avail_out)
                }
            }
            full = produced == buffer.count
            output.append(contentsOf: buffer[0..<produced])
            consumed += offset - before
            switch code {
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR with input left cannot happen; with none left it asks for more.
                if offset == before && produced == 0 { return }
            case Z_STREAM_END:
                // Another member may follow.
                if inflateReset(&stream) != Z_OK { failure = "zlib could not go on to the next gzip member" }
            default:
                let why = stream.msg.map { String(cString: $0) } ?? "code \(code)"
                failure = "the gzip data is corrupt after \(consumed) compressed bytes (\(why))"
            }
        }
    }

    /// Ends the stream; a failure when it stopped in the middle of a member.
    package func finish() {
        guard failure == nil, open else { return }
        // After a member's end the stream is reset, with nothing read of the next one.
        if stream.total_in > 0 { failure = "the gzip data ends in the middle (truncated after \(consumed) compressed bytes)" }
    }
}
