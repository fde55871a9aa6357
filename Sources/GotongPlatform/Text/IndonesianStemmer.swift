import Foundation

/// Indonesian word forms for search. Without a root-word dictionary a stemmer cannot always know
/// which affix a word carries (is `pengelola` peng-+`kelola` or peng-+`elola`?), so this one
/// returns every plausible base form of a word; a query word matches a document word when their
/// forms meet. `kelola` thus finds "Pengelolaan", `layanan` "Pelayanan", `latih` "Pelatihan".
public enum IndonesianStemmer {
    /// Words too common to help a search.
    public static let stopWords: Set<String> = [
        "dan", "yang", "di", "ke", "dari", "untuk", "dengan", "pada", "dalam", "atau", "bagi", "ini", "itu",
        "the", "and", "of", "for", "in", "to", "a", "an",
    ]

    /// Lower-case, diacritic-free words of `text`, split at anything that is not a letter or digit.
    public static func words(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
            .filter { !stopWords.contains($0) }
    }

    /// The word itself and its plausible base forms.
    public static func forms(of word: String) -> Set<String> {
        var forms: Set<String> = [word]
        guard word.count >= 4, word.allSatisfy(\.isLetter) else { return forms }
        var bases = [word]
        for group in [["lah", "kah", "tah", "pun"], ["nya", "ku", "mu"], ["kan", "an", "i"]] {
            for base in bases {
                for suffix in group where base.hasSuffix(suffix) && base.count - suffix.count >= 4 {
                    bases.append(String(base.dropLast(suffix.count)))
                }
            }
        }
        forms.formUnion(bases)
        // Up to three prefixes deep: mem-per-baharu-i, di-per-ke-…
        var frontier = Set(bases)
        for _ in 0..<3 {
            var next: Set<String> = []
            for base in frontier {
                for stripped in strippingPrefix(base) where stripped.count >= 3 && !forms.contains(stripped) {
                    next.insert(stripped)
                }
            }
            forms.formUnion(next)
            frontier = next
            if frontier.isEmpty { break }
        }
        return forms
    }

    private static let vowels: Set<Character> = ["a", "i", "u", "e", "o"]

    /// The forms left after taking one prefix off, with the letter a nasal prefix swallowed put
    /// back (meny-/peny- ate an `s`, mem-/pem- a `p`, men-/pen- a `t`, meng-/peng- a `k`).
    public static func strippingPrefix(_ word: String) -> [String] {
        var out: [String] = []
        func rest(after prefix: String) -> String? {
            guard word.hasPrefix(prefix), word.count - prefix.count >= 3 else { return nil }
            return String(word.dropFirst(prefix.count))
        }
        func startsWithVowel(_ s: String) -> Bool { s.first.map { vowels.contains($0) } ?? false }

        for plain in ["di", "ke", "se", "ber", "be", "ter", "te", "per", "me", "pe"] {
            if let r = rest(after: plain) { out.append(r) }
        }
        for lead in ["bel", "pel"] {
            if let r = rest(after: lead), startsWithVowel(r) { out.append(r) }
        }
        for nasal in ["me", "pe"] {
            if let r = rest(after: nasal + "nge") { out.append(r) }
            if let r = rest(after: nasal + "ng") {
                out.append(r)
                if startsWithVowel(r) { out.append("k" + r) }
            }
            if let r = rest(after: nasal + "ny"), startsWithVowel(r) { out.append("s" + r) }
            if let r = rest(after: nasal + "m") {
                out.append(r)
                if startsWithVowel(r) { out.append("p" + r) }
            }
            if let r = rest(after: nasal + "n") {
                out.append(r)
                if startsWithVowel(r) { out.append("t" + r) }
            }
        }
        return out
    }
}
