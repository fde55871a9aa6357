import Foundation
import GotongPlatform

/// A service as an officer sent it (the API's JSON or the editor's form), and the one place it
/// is checked: every problem at once, each naming its field, before anything is written.
public struct ServiceDraft: Sendable {
    public var name: String?
    public var category: String?
    public var summary: String?
    public var keywords: [String] = []
    public var requirements: [String] = []
    public var steps: [String] = []
    public var places: [ServicePlace] = []
    public var duration: String?
    /// As sent: a whole number of rupiah, blank for "depends".
    public var fee: String?
    public var legalBasis: String?
    public var contact: String?
    public var faq: [(question: String?, answer: String?)] = []

    public init() {}

    /// The limits of each field, shared with the form's `maxlength` and the API document.
    enum Limit {
        static let name = 120, category = 60, summary = 600, item = 500, items = 30, keywords = 20
        static let place = 300, places = 10, duration = 120, legal = 1000, contact = 300
        static let question = 300, answer = 2000, faq = 50
        static let fee = 0...1_000_000_000
    }

    /// The service the draft describes, checked.
    public struct Checked: Sendable {
        public var name, category, summary: String
        public var keywords, requirements, steps: [String]
        public var places: [ServicePlace]
        public var duration, legalBasis, contact: String
        public var feeRupiah: Int?
        public var faq: [(question: String, answer: String)]
    }

    public func checked() throws -> Checked {
        var p = ProblemList()
        let name = p.text(name, "name", max: Limit.name, required: "info.error.name")
        var category = p.text(category, "category", max: Limit.category)
        if category.isEmpty { category = "Lainnya" }
        let summary = p.text(summary, "summary", max: Limit.summary, required: "info.error.summary")
        let keywords = Self.list(keywords, "keywords", max: Limit.category, count: Limit.keywords, &p)
        let requirements = Self.list(requirements, "requirements", max: Limit.item, count: Limit.items, &p)
        let steps = Self.list(steps, "steps", max: Limit.item, count: Limit.items, &p)
        if places.count > Limit.places { p.add("places", "info.error.too_many", ["max": "\(Limit.places)"]) }
        // The editor writes a place as `name | address | hours`: a bar inside one would move
        // its fields when the form is saved again.
        if places.contains(where: { [$0.name, $0.address, $0.hours].contains { $0.contains("|") } }) {
            p.add("places", "info.error.place_bar")
        }
        let places = places.prefix(Limit.places).map { place in
            ServicePlace(
                name: p.text(place.name, "places", max: Limit.name, required: "info.error.place_name"),
                address: p.text(place.address, "places", max: Limit.place),
                hours: p.text(place.hours, "places", max: Limit.place))
        }
        let duration = p.text(duration, "duration", max: Limit.duration)
        let fee = WholeNumber.read(fee, field: "fee_rupiah", in: Limit.fee, problems: &p)
        let legal = p.text(legalBasis, "legal_basis", max: Limit.legal)
        let contact = p.text(contact, "contact", max: Limit.contact)
        if faq.count > Limit.faq { p.add("faq", "info.error.too_many", ["max": "\(Limit.faq)"]) }
        let faq = faq.prefix(Limit.faq).map { entry in
            (
                question: p.text(entry.question, "faq", max: Limit.question, required: "info.error.faq_question"),
                answer: p.text(entry.answer, "faq", max: Limit.answer, required: "info.error.faq_answer")
            )
        }
        if Slugs.make(name, max: 80).isEmpty, !name.isEmpty { p.add("name", "info.error.name_letters") }
        try p.throwIfAny()
        return Checked(
            name: name, category: category, summary: summary, keywords: keywords, requirements: requirements,
            steps: steps, places: places, duration: duration, legalBasis: legal, contact: contact, feeRupiah: fee,
            faq: faq)
    }

    /// The non-blank items of a list, each within `max`, at most `count` of them.
    static func list(_ items: [String], _ field: String, max: Int, count: Int, _ p: inout ProblemList) -> [String] {
        let kept = items.map { p.text($0, field, max: max) }.filter { !$0.isEmpty }
        if kept.count > count { p.add(field, "info.error.too_many", ["max": "\(count)"]) }
        return Array(kept.prefix(count))
    }

    /// A form's lines: one item each, blank lines skipped.
    public static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// A form's places: one a line, `name | address | hours`.
    public static func places(_ text: String?) -> [ServicePlace] {
        lines(text).map { line in
            let parts = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            return ServicePlace(
                name: parts[0], address: parts.count > 1 ? parts[1] : "", hours: parts.count > 2 ? parts[2] : "")
        }
    }
}
