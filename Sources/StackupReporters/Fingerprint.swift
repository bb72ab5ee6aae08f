import StackupCore

/// A stable identity for a finding that does not depend on line numbers: rule, file, stage,
/// path and message with its figures removed. Used by SARIF and GitLab to follow a finding
/// across edits.
enum Fingerprint {
    static func of(_ f: Finding) -> String {
        let message = String(f.message.unicodeScalars.filter { !("0"..."9").contains($0) })
        let key = [f.rule, f.location.file, f.stage ?? "", (f.path ?? []).joined(separator: ">"), message].joined(separator: "\u{1F}")
        // FNV-1a, 64 bits: the same value on every platform and run.
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
