import StackupCore

/// A stable identity for a finding that does not depend on line numbers: rule, file, stage,
/// path and the signature of `FindingKey` (subject, or message without figures). Used by SARIF and GitLab to follow a finding
/// across edits.
enum Fingerprint {
    static func of(_ f: Finding) -> String {
        let key = [f.rule, f.location.file, f.stage ?? "", (f.path ?? []).joined(separator: ">"), FindingKey.signatureText(f)]
        return StableHash.hex(key.joined(separator: "\u{1F}"))
    }
}
