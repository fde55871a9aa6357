import Foundation
import GotongPlatform

/// A service as the public site and the answerer read it: the row and its FAQ, lists decoded.
public struct ServiceFacts: Sendable, Equatable {
    public struct FAQ: Sendable, Equatable {
        public let id: UUID
        public let question: String
        public let answer: String
    }

    public let id: UUID
    public let slug: String
    public let name: String
    public let category: String
    public let summary: String
    public let keywords: [String]
    public let requirements: [String]
    public let steps: [String]
    public let places: [ServicePlace]
    public let duration: String
    public let feeRupiah: Int?
    public let legalBasis: String
    public let contact: String
    public let updatedAt: Date
    public let faq: [FAQ]
    /// The forms to download, in the officers' order.
    public let forms: [Form]

    public struct Form: Sendable, Equatable {
        public let id: UUID
        public let title: String
        public let fileName: String
        public let size: Int
    }

    init(_ row: InfoService, faq: [InfoFAQ], forms: [InfoServiceForm] = []) {
        id = row.id ?? UUID()
        (slug, name, category, summary) = (row.slug, row.name, row.category, row.summary)
        keywords = Self.decode(row.keywordsJSON)
        requirements = Self.decode(row.requirementsJSON)
        steps = Self.decode(row.stepsJSON)
        places = Self.decode(row.placesJSON)
        (duration, feeRupiah, legalBasis, contact, updatedAt) =
            (row.duration, row.feeRupiah, row.legalBasis, row.contact, row.updatedAt)
        self.faq = faq.map { FAQ(id: $0.id ?? UUID(), question: $0.question, answer: $0.answer) }
        self.forms = forms.map { Form(id: $0.id ?? UUID(), title: $0.title, fileName: $0.fileName, size: $0.fileSize) }
    }

    /// Test and benchmark facts without a row.
    public init(
        name: String, category: String = "Lainnya", summary: String = "", keywords: [String] = [],
        requirements: [String] = [], steps: [String] = [], places: [ServicePlace] = [], duration: String = "",
        feeRupiah: Int? = 0, faq: [(String, String)] = []
    ) {
        (id, slug, self.name, self.category, self.summary) = (
            UUID(), Slugs.make(name, max: 80), name, category, summary
        )
        (self.keywords, self.requirements, self.steps, self.places) = (keywords, requirements, steps, places)
        (self.duration, self.feeRupiah, legalBasis, contact, updatedAt) = (duration, feeRupiah, "", "", Date())
        self.faq = faq.map { FAQ(id: UUID(), question: $0.0, answer: $0.1) }
        forms = []
    }

    static func decode<T: Decodable>(_ json: String) -> [T] {
        (try? JSONDecoder().decode([T].self, from: Data(json.utf8))) ?? []
    }

    static func encode<T: Encodable>(_ value: [T]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The fee as people read it: "Gratis", "Rp 30.000", or nil when it depends.
    public func fee(_ free: String) -> String? {
        guard let feeRupiah else { return nil }
        return feeRupiah == 0 ? free : Rupiah.text(feeRupiah)
    }
}

/// Amounts of money as Indonesians write them: `Rp 1.250.000`.
public enum Rupiah {
    public static func text(_ amount: Int) -> String {
        let digits = String(amount.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(digit)
        }
        return (amount < 0 ? "-Rp " : "Rp ") + out
    }
}
