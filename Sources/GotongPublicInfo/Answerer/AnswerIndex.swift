import Foundation
import GotongPlatform

/// The answerer's search over one tenant's service catalogue: a citizen's everyday question
/// ("syarat bikin ktp hilang apa aja?") to the services and FAQ entries that answer it.
///
/// Unlike the marketplace search, a question is not a filter — most of its words ("mau",
/// "tanya", "ya") are not in any service — so every service is scored by the words it shares
/// with the question, each weighted by how rare it is among the services (a word every service
/// has says nothing) and by where the service has it (its name counts more than a step). The
/// question's words are first put in the tenant's standard words (``Synonyms``), then matched
/// in every form the Indonesian stemmer gives; a word no service has is corrected to the
/// nearest one that is (``Spelling``).
public struct AnswerIndex: Sendable {
    /// Where a word stands in a service: its weight for the score.
    enum Field: Int32 {
        case steps = 1, summary = 2, faq = 3, category = 4, place = 5, keyword = 6, name = 8
    }

    struct Posting {
        let service: Int32
        /// The field's weight, doubled, plus one when the service has the word as written
        /// (not only a stemmed form of it).
        let weight: Int32
    }

    let services: [ServiceFacts]
    private let postings: [String: [Posting]]
    /// Each FAQ entry's stemmed forms, per service, for picking the entry that answers.
    private let faqForms: [[Set<String>]]
    private let synonyms: Synonyms
    private let spelling: Spelling
    /// log(1 + services / services with the form): how much finding the form says.
    private let rarity: [String: Double]

    public init(services: [ServiceFacts], synonyms: Synonyms) {
        self.services = services
        self.synonyms = synonyms
        var postings: [String: [Posting]] = [:]
        var faqForms: [[Set<String>]] = []
        var usage: [String: Int] = [:]
        for (index, service) in services.enumerated() {
            var best: [String: Int32] = [:]
            func add(_ text: String, _ field: Field) {
                for word in synonyms.standard(Self.words(text)) {
                    usage[word, default: 0] += 1
                    for form in IndonesianStemmer.forms(of: word) {
                        let weight = field.rawValue * 2 + (form == word ? 1 : 0)
                        if weight > best[form, default: 0] { best[form] = weight }
                    }
                }
            }
            add(service.name, .name)
            service.keywords.forEach { add($0, .keyword) }
            add(service.category, .category)
            service.places.forEach { add($0.name, .place) }
            add(service.summary, .summary)
            service.faq.forEach { add($0.question, .faq) }
            (service.requirements + service.steps).forEach { add($0, .steps) }
            for (form, weight) in best {
                postings[form, default: []].append(Posting(service: Int32(index), weight: weight))
            }
            faqForms.append(service.faq.map { Self.forms(synonyms.standard(Self.words($0.question))) })
        }
        // How rare a word is counts the services that are about it (their name, other names,
        // summary or FAQ have it), not those that only list it: "KTP-el" is a requirement of
        // half the catalogue, yet only one service is about it.
        let count = Double(max(services.count, 1))
        rarity = postings.mapValues { list in
            let about = list.filter { $0.weight >= Field.summary.rawValue * 2 }.count
            return log(1 + count / Double(about > 0 ? about : list.count))
        }
        self.postings = postings
        self.faqForms = faqForms
        spelling = Spelling(frequencies: usage)
    }

    /// A service found for a question: its place in ``services``, its score (0–1: how much of
    /// what the question asks the service holds) and what the question asks of it.
    public struct Hit: Sendable, Equatable {
        public let service: Int
        public let score: Double
        /// The FAQ entry that answers the question, when one does.
        public let faq: Int?
    }

    /// What the answerer found: the services best first (at most `limit`), what the question asks
    /// about them, and whether the best is clearly the answer.
    public struct Result: Sendable {
        public let hits: [Hit]
        public let intent: Intent
        public let confident: Bool
    }

    /// The services that answer `question`, best first.
    public func answer(_ question: String, limit: Int = 3) -> Result {
        let raw = synonyms.standard(Self.words(question))
        let intent = Intent.of(raw)
        let words = raw.filter { !Self.questionWords.contains($0) && !Intent.words.contains($0) }.map(corrected)
        guard !words.isEmpty else { return Result(hits: [], intent: intent, confident: false) }
        var total = [Double](repeating: 0, count: services.count)
        var ideal = 0.0
        let top = Double(Field.name.rawValue * 2 + 1)
        for word in Set(words) {
            var best: [Int32: Double] = [:]
            // What the word could be worth: as rare as its form the services have (the word as
            // written first), or as rare as can be when none has it.
            var found: [Double] = []
            for form in IndonesianStemmer.forms(of: word) {
                guard let list = postings[form], let r = rarity[form] else { continue }
                // A stemmed form is worth less than the word as written.
                let exact = form == word
                found.append(exact ? .infinity : r)
                for posting in list {
                    let weight = Double(exact ? posting.weight : posting.weight & ~1) * r
                    if weight > best[posting.service, default: 0] { best[posting.service] = weight }
                }
            }
            let most = log(1 + Double(max(services.count, 1)))
            ideal += top * (found.contains(.infinity) ? rarity[word] ?? most : found.max() ?? most)
            for (service, weight) in best { total[Int(service)] += weight }
        }
        let ranked = total.indices.filter { total[$0] > 0 }
            .sorted { total[$0] != total[$1] ? total[$0] > total[$1] : $0 < $1 }
            .prefix(limit)
        let hits = ranked.map { index in
            Hit(service: index, score: min(1, total[index] / max(ideal, 1)), faq: faq(of: index, for: words))
        }
        return Result(hits: hits, intent: intent, confident: Self.confident(hits, total: total, ranked: Array(ranked)))
    }

    /// Sure enough to answer: the best covers enough of the question and stands clear of the next.
    static func confident(_ hits: [Hit], total: [Double], ranked: [Int]) -> Bool {
        guard let best = hits.first, best.score >= minimumScore else { return false }
        guard ranked.count > 1 else { return true }
        return total[ranked[0]] >= total[ranked[1]] * clearLead
    }

    static let minimumScore = 0.3
    static let clearLead = 1.15

    /// The FAQ entry of `service` that shares the most of the question's words, when it shares
    /// at least half of the entry's own.
    private func faq(of service: Int, for words: [String]) -> Int? {
        let asked = Self.forms(words)
        var best: (index: Int, share: Double)?
        for (index, forms) in faqForms[service].enumerated() where !forms.isEmpty {
            let share = Double(forms.intersection(asked).count) / Double(forms.count)
            if share >= 0.3, share > (best?.share ?? 0) { best = (index, share) }
        }
        return best?.index
    }

    /// `word`, or the word of the catalogue nearest to it when the catalogue has no form of it.
    private func corrected(_ word: String) -> String {
        if IndonesianStemmer.forms(of: word).contains(where: { postings[$0] != nil }) { return word }
        return spelling.correction(of: word) ?? word
    }

    static func words(_ text: String) -> [String] { IndonesianStemmer.words(text) }

    static func forms(_ words: [String]) -> Set<String> {
        Set(words.filter { !questionWords.contains($0) && !Intent.words.contains($0) }.flatMap(IndonesianStemmer.forms))
    }

    /// The words of asking rather than of what is asked about ("mau tanya dong kak").
    static let questionWords: Set<String> = [
        "apa", "apakah", "aja", "saja", "ya", "yah", "kak", "ka", "min", "admin", "mimin", "pak", "bu", "bapak",
        "ibu", "mas", "mbak", "mau", "ingin", "pengen", "tanya", "bertanya", "saya", "aku", "gue", "gw", "kami",
        "kita", "kalau", "kalo", "klo", "bisa", "tidak", "sudah", "belum", "harus", "dong", "nih", "sih", "deh",
        "gan", "sis", "mohon", "tolong", "terima", "kasih", "makasih", "halo", "hai", "selamat", "pagi", "siang",
        "sore", "malam", "assalamualaikum", "wr", "wb", "nya", "lagi", "ada", "adakah", "juga", "sama", "yang",
        "kok", "nanti", "skrg", "sekarang", "gitu", "begitu", "seperti", "gimana", "bagaimana", "bikin", "buat",
        "punya", "kena", "jadi", "soal", "tentang", "mengenai", "info", "informasi", "minta", "perlu", "butuh",
    ]
}

/// What a question asks of a service: its requirements, its procedure, where and when, what it
/// costs, how long it takes, on what law; or, without any of those words, what it is.
public enum Intent: String, Sendable, CaseIterable {
    case requirements, steps, places, fee, duration, legal, general

    /// The words that say so, each for one intent (the first that a question has wins).
    static let table: [(Intent, Set<String>)] = [
        (.requirements, ["syarat", "persyaratan", "dokumen", "berkas", "bawa", "dibawa", "kelengkapan", "lampiran"]),
        (.duration, ["lama", "lamanya", "kapan", "selesai", "jadinya"]),
        (.fee, ["biaya", "bayar", "tarif", "harga", "gratis", "berapa", "ongkos", "pungutan", "rp", "biayanya"]),
        (
            .places,
            [
                "dimana", "mana", "lokasi", "alamat", "tempat", "kantor", "jam", "buka", "tutup", "sabtu",
                "minggu", "libur", "operasional",
            ]
        ),
        (
            .steps,
            [
                "cara", "caranya", "prosedur", "langkah", "alur", "proses", "urus", "mengurus", "daftar",
                "online",
            ]
        ),
        (.legal, ["dasar", "hukum", "peraturan", "regulasi", "perda", "undang"]),
    ]

    static let words: Set<String> = Set(table.flatMap { $0.1 })

    static func of(_ words: [String]) -> Intent {
        let asked = Set(words)
        if asked.contains("lama") { return .duration }
        return table.first { !$0.1.isDisjoint(with: asked) }?.0 ?? .general
    }
}
