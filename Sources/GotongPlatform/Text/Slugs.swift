import Foundation

/// Readable address words made from a name: `Pelatihan Dasar CPNS` → `pelatihan-dasar-cpns`.
public enum Slugs {
    /// `text` folded to lower-case ASCII letters and digits, every other run of characters one
    /// hyphen, none at either end, at most `max` characters; empty when nothing is left.
    public static func make(_ text: String, max: Int) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var out = ""
        for ch in folded {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                out.append(ch)
            } else if !out.hasSuffix("-") {
                out.append("-")
            }
        }
        let dashes = CharacterSet(charactersIn: "-")
        return String(out.trimmingCharacters(in: dashes).prefix(max)).trimmingCharacters(in: dashes)
    }
}
