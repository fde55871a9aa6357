import Foundation

/// Corrects a mistyped search word to a word the vocabulary holds ("keuangn" → "keuangan"), so a
/// typo still finds courses. Built with the index from the words of every course and how many
/// courses use each.
///
/// A word is found by symmetric deletion: every vocabulary word is filed under itself and each
/// form with one letter left out; a typed word is looked up the same way, so the words one slip
/// away (a letter missing, extra or changed, or two neighbours swapped) are found in a few
/// dictionary lookups instead of comparing the word with the whole vocabulary. The candidates
/// are then measured exactly; the nearest wins, and among equals the one more courses use.
public struct Spelling: Sendable {
    private let words: [String]
    private let courses: [Int32]
    private let filed: [String: [Int32]]
    /// The words in alphabetical order, for completing what is being typed.
    private let alphabetical: [Int32]

    /// Words shorter than this are not corrected: "tes" is a dozen other words one edit away.
    public static let shortest = 4

    /// `frequencies`: each word and the number of courses that use it.
    public init(frequencies: [String: Int]) {
        var words: [String] = []
        var courses: [Int32] = []
        var filed: [String: [Int32]] = [:]
        for (word, count) in frequencies where word.count >= Self.shortest && word.allSatisfy(\.isLetter) {
            let index = Int32(words.count)
            words.append(word)
            courses.append(Int32(clamping: count))
            for key in Self.keys(of: word) { filed[key, default: []].append(index) }
        }
        (self.words, self.courses, self.filed) = (words, courses, filed)
        alphabetical = words.indices.sorted { words[$0] < words[$1] }.map { Int32($0) }
    }

    /// Words that begin with `prefix` (two letters or more), those more courses use first: what
    /// someone typing "keu" may be after. Looks at the first few hundred in alphabetical order.
    public func completions(of prefix: String, limit: Int) -> [String] {
        guard prefix.count >= 2, limit > 0 else { return [] }
        var low = 0, high = alphabetical.count
        while low < high {
            let mid = (low + high) / 2
            if words[Int(alphabetical[mid])] < prefix { low = mid + 1 } else { high = mid }
        }
        var found: [Int32] = []
        var i = low
        while i < alphabetical.count, found.count < 400, words[Int(alphabetical[i])].hasPrefix(prefix) {
            if words[Int(alphabetical[i])] != prefix { found.append(alphabetical[i]) }
            i += 1
        }
        return found.sorted { courses[Int($0)] != courses[Int($1)] ? courses[Int($0)] > courses[Int($1)] : $0 < $1 }
            .prefix(limit).map { words[Int($0)] }
    }

    /// The vocabulary word nearest to `word`, or nil when `word` is known, too short, or has no
    /// word near enough (one edit for words of up to five letters, two for longer ones).
    public func correction(of word: String) -> String? {
        guard word.count >= Self.shortest, word.allSatisfy(\.isLetter) else { return nil }
        let limit = word.count <= 5 ? 1 : 2
        var best: (distance: Int, courses: Int32, word: String)?
        var seen: Set<Int32> = []
        for key in Self.keys(of: word) {
            for index in filed[key] ?? [] where seen.insert(index).inserted {
                let candidate = words[Int(index)]
                if candidate == word { return nil }
                let distance = Self.distance(word, candidate, limit: limit)
                guard distance <= limit else { continue }
                let better =
                    best.map {
                        distance != $0.distance
                            ? distance < $0.distance
                            : courses[Int(index)] != $0.courses ? courses[Int(index)] > $0.courses : candidate < $0.word
                    } ?? true
                if better { best = (distance, courses[Int(index)], candidate) }
            }
        }
        return best?.word
    }

    /// The word and each form of it with one letter left out.
    public static func keys(of word: String) -> Set<String> {
        let letters = Array(word)
        var keys: Set<String> = [word]
        for i in letters.indices {
            var shorter = letters
            shorter.remove(at: i)
            keys.insert(String(shorter))
        }
        return keys
    }

    /// Edits between `a` and `b` (insert, delete, change, or swap two neighbours), counted up to
    /// `limit + 1`.
    public static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a), b = Array(b)
        guard abs(a.count - b.count) <= limit else { return limit + 1 }
        guard !a.isEmpty, !b.isEmpty else { return min(a.count + b.count, limit + 1) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var smallest = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
                smallest = min(smallest, current[j])
            }
            if smallest > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return min(previous[b.count], limit + 1)
    }
}
