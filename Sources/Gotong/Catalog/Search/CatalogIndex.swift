import Foundation

/// One course of the marketplace as the search sees it: what a result card shows and what the
/// filters and facets read.
public struct CatalogEntry: Sendable {
    public let courseID: UUID
    public let tenantID: UUID
    public let tenantSlug: String
    public let tenantName: String
    public let tenantColor: String
    public let slug: String
    public let title: String
    public let summary: String
    public let tags: [String]
    public let trainers: [String]
    public let competencyType: Course.CompetencyType
    public let deliveryMethod: Course.DeliveryMethod
    public let microMinutes: Int?
    public let jp: Int
    public let language: String
    public let audience: Course.Audience
    public let audienceTenantIDs: [UUID]
    public let enrolmentMode: Course.EnrolmentMode
    public let enrolOpensAt: Date?
    public let enrolClosesAt: Date?
    public let startsAt: Date?
    public let endsAt: Date?
    public let enrolledCount: Int
    public let publishedAt: Date

    /// Whether a person can enrol by themselves now (a full course still takes waiting-list entries).
    public func isOpen(at now: Date) -> Bool {
        guard enrolmentMode != .assigned else { return false }
        if let opens = enrolOpensAt, now < opens { return false }
        if let closes = enrolClosesAt, now > closes { return false }
        if let ends = endsAt, now > ends { return false }
        return true
    }

    /// Whether `viewer` may see and enter the course.
    public func isVisible(to viewer: CatalogViewer) -> Bool {
        switch audience {
        case .all: return true
        case .own: return viewer.tenantIDs.contains(tenantID)
        case .listed: return viewer.tenantIDs.contains(tenantID) || audienceTenantIDs.contains { viewer.tenantIDs.contains($0) }
        }
    }
}

/// Who is searching: the tenants a person belongs to decide which restricted courses they see.
public struct CatalogViewer: Sendable {
    public var tenantIDs: Set<UUID>
    public static let anonymous = CatalogViewer(tenantIDs: [])
}

/// An in-memory inverted index of the marketplace, built from the database and replaced whole
/// when the catalogue changes (see ``CatalogSearch``). Every server process holds its own copy,
/// so it is derived state only: nothing is lost when a process stops.
public struct CatalogIndex: Sendable {
    struct Posting: Sendable { let doc: Int32; let weight: Int32 }

    /// How much a match in each field counts toward relevance.
    enum Weight {
        static let title: Int32 = 8, tag: Int32 = 4, trainer: Int32 = 3, summary: Int32 = 2, tenant: Int32 = 1
    }

    public let entries: [CatalogEntry]
    let postings: [String: [Posting]]
    /// The catalogue version the index was built from.
    public let version: Int
    public let builtAt: Date

    public init(entries: [CatalogEntry], version: Int, builtAt: Date = Date()) {
        self.entries = entries
        self.version = version
        self.builtAt = builtAt
        var postings: [String: [Posting]] = [:]
        for (doc, entry) in entries.enumerated() {
            var best: [String: Int32] = [:]
            func add(_ text: String, _ weight: Int32) {
                for word in IndonesianStemmer.words(text) {
                    for form in IndonesianStemmer.forms(of: word) {
                        // An exact word scores one more than a form reached by stemming.
                        let w = weight * 2 + (form == word ? 1 : 0)
                        if w > best[form, default: 0] { best[form] = w }
                    }
                }
            }
            add(entry.title, Weight.title)
            entry.tags.forEach { add($0, Weight.tag) }
            entry.trainers.forEach { add($0, Weight.trainer) }
            add(entry.summary, Weight.summary)
            add(entry.tenantName, Weight.tenant)
            for (form, weight) in best { postings[form, default: []].append(Posting(doc: Int32(doc), weight: weight)) }
        }
        self.postings = postings
    }

    /// Relevance of every document that matches all words of `text`; nil when `text` has no words
    /// (then every document matches with relevance 0).
    func scores(for text: String) -> [Int32: Int32]? {
        let words = IndonesianStemmer.words(text)
        guard !words.isEmpty else { return nil }
        var total: [Int32: Int32]?
        for word in words {
            var best: [Int32: Int32] = [:]
            for form in IndonesianStemmer.forms(of: word) {
                // A query word's stemmed form scores like the document's: exact beats stemmed.
                let exact = form == word
                for posting in postings[form] ?? [] {
                    let w = exact ? posting.weight : posting.weight & ~1
                    if w > best[posting.doc, default: 0] { best[posting.doc] = w }
                }
            }
            if let sofar = total {
                var merged: [Int32: Int32] = [:]
                for (doc, score) in sofar { if let w = best[doc] { merged[doc] = score + w } }
                total = merged
            } else {
                total = best
            }
            if total?.isEmpty == true { break }
        }
        return total ?? [:]
    }
}
