import Foundation
import GotongPlatform

/// A tenant's list of everyday words and what they stand for ("bikin = buat", "akte = akta",
/// "kk = kartu keluarga"): the answerer reads a question in these standard words, so a citizen
/// who writes as they speak finds the service written in the office's words. Each line of the
/// list is `word = standard`; either side may be a few words. Tenants start with
/// ``defaultText`` and edit it on the answerer's page.
public struct Synonyms: Sendable {
    /// Each entry's words, and what they become; keyed by their first word, longest first.
    private let entries: [String: [(words: [String], standard: [String])]]

    public init(_ pairs: [(String, String)]) {
        var entries: [String: [(words: [String], standard: [String])]] = [:]
        for (from, to) in pairs {
            let words = IndonesianStemmer.words(from), standard = IndonesianStemmer.words(to)
            guard let first = words.first, words != standard else { continue }
            entries[first, default: []].append((words, standard))
        }
        self.entries = entries.mapValues { $0.sorted { $0.words.count > $1.words.count } }
    }

    /// `words` with every everyday word or phrase put in its standard words.
    public func standard(_ words: [String]) -> [String] {
        guard !entries.isEmpty else { return words }
        var out: [String] = []
        var i = 0
        while i < words.count {
            let match = entries[words[i]]?.first { entry in
                i + entry.words.count <= words.count && Array(words[i..<(i + entry.words.count)]) == entry.words
            }
            if let match {
                out += match.standard
                i += match.words.count
            } else {
                out.append(words[i])
                i += 1
            }
        }
        return out
    }

    /// A list's lines read: `word = standard`; blank lines and lines starting with `#` are
    /// skipped; anything else is a problem naming its line.
    public static func read(_ text: String, field: String, problems: inout ProblemList) -> [(String, String)] {
        var pairs: [(String, String)] = []
        // A browser sends a textarea's lines ending in CR LF: one Character, a newline.
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = line.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !IndonesianStemmer.words(parts[0]).isEmpty,
                !IndonesianStemmer.words(parts[1]).isEmpty
            else {
                problems.add(field, "info.error.synonym_line", ["line": "\(number + 1)"])
                continue
            }
            pairs.append((parts[0], parts[1]))
        }
        return pairs
    }

    /// The list a tenant starts with: spoken and texted forms of the words of asking for a
    /// service, and the names citizens give common documents.
    public static let defaultText = """
        # kata sehari-hari = kata baku
        bikin = buat
        gmn = bagaimana
        gimana = bagaimana
        gmana = bagaimana
        brp = berapa
        dmn = dimana
        dmna = dimana
        di mana = dimana
        yg = yang
        sy = saya
        tdk = tidak
        gak = tidak
        ga = tidak
        nggak = tidak
        udh = sudah
        udah = sudah
        blm = belum
        hrs = harus
        bs = bisa
        utk = untuk
        dgn = dengan
        krn = karena
        jg = juga
        ngurus = urus
        ngurusin = urus
        urusin = urus
        nyari = cari
        akte = akta
        ijin = izin
        kantor capil = disdukcapil
        capil = disdukcapil
        dukcapil = disdukcapil
        hp = telepon
        no = nomor
        kmn = kemana
        kemna = kemana
        knp = kenapa
        tgl = tanggal
        thn = tahun
        bln = bulan
        org = orang
        ortu = orang tua
        anak2 = anak
        """

    /// ``defaultText`` read.
    public static let defaults: [(String, String)] = {
        var problems = ProblemList()
        return read(defaultText, field: "synonyms", problems: &problems)
    }()
}
