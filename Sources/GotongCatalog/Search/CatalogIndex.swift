import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// One course of the marketplace as the search sees it: what a result card shows and what the
/// filters and facets read. A class, so the search passes references rather than copying a
/// dozen strings for every candidate.
public final class CatalogEntry: Sendable {
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

    public init(
        courseID: UUID, tenantID: UUID, tenantSlug: String, tenantName: String, tenantColor: String, slug: String,
        title: String, summary: String, tags: [String], trainers: [String], competencyType: Course.CompetencyType,
        deliveryMethod: Course.DeliveryMethod, microMinutes: Int?, jp: Int, language: String, audience: Course.Audience,
        audienceTenantIDs: [UUID], enrolmentMode: Course.EnrolmentMode, enrolOpensAt: Date?, enrolClosesAt: Date?,
        startsAt: Date?, endsAt: Date?, enrolledCount: Int, publishedAt: Date
    ) {
        self.courseID = courseID
        self.tenantID = tenantID
        self.tenantSlug = tenantSlug
        self.tenantName = tenantName
        self.tenantColor = tenantColor
        self.slug = slug
        self.title = title
        self.summary = summary
        self.tags = tags
        self.trainers = trainers
        self.competencyType = competencyType
        self.deliveryMethod = deliveryMethod
        self.microMinutes = microMinutes
        self.jp = jp
        self.language = language
        self.audience = audience
        self.audienceTenantIDs = audienceTenantIDs
        self.enrolmentMode = enrolmentMode
        self.enrolOpensAt = enrolOpensAt
        self.enrolClosesAt = enrolClosesAt
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.enrolledCount = enrolledCount
        self.publishedAt = publishedAt
    }

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
        case .listed:
            return viewer.tenantIDs.contains(tenantID) || audienceTenantIDs.contains { viewer.tenantIDs.contains($0) }
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
    /// Each document's tenant as a small number, and one document of each tenant, so facets
    /// count into arrays instead of hashing ids.
    let tenantOrdinal: [Int32]
    let tenantFirstDoc: [Int]
    /// Each document's competency type and delivery method as their place in `allCases`, so
    /// filters and facets test bits instead of hashing.
    let competencyOrdinal: [UInt8]
    let methodOrdinal: [UInt8]
    /// The words of the courses everyone may see, for correcting a mistyped search
    /// (``corrected(_:)``) and completing a half-typed one (``suggestions(for:viewer:limit:now:)``).
    let spelling: Spelling
    /// The catalogue version the index was built from.
    public let version: Int
    public let builtAt: Date

    public init(entries: [CatalogEntry], version: Int, builtAt: Date = Date()) {
        self.entries = entries
        self.version = version
        self.builtAt = builtAt
        var ordinals: [UUID: Int32] = [:]
        var firstDocs: [Int] = []
        var tenantOrdinal: [Int32] = []
        tenantOrdinal.reserveCapacity(entries.count)
        for (doc, entry) in entries.enumerated() {
            if let known = ordinals[entry.tenantID] {
                tenantOrdinal.append(known)
            } else {
                let next = Int32(firstDocs.count)
                ordinals[entry.tenantID] = next
                firstDocs.append(doc)
                tenantOrdinal.append(next)
            }
        }
        self.tenantOrdinal = tenantOrdinal
        self.tenantFirstDoc = firstDocs
        let competencies = Course.CompetencyType.allCases, methods = Course.DeliveryMethod.allCases
        competencyOrdinal = entries.map { UInt8(competencies.firstIndex(of: $0.competencyType) ?? 0) }
        methodOrdinal = entries.map { UInt8(methods.firstIndex(of: $0.deliveryMethod) ?? 0) }
        var postings: [String: [Posting]] = [:]
        // Courses share most of their words: each distinct text and word is split and stemmed
        // once per build, which makes the build several times faster.
        var wordsOf: [String: [String]] = [:]
        var formsOf: [String: Set<String>] = [:]
        var coursesUsing: [String: Int] = [:]
        for (doc, entry) in entries.enumerated() {
            var best: [String: Int32] = [:]
            var used: Set<String> = []
            func add(_ text: String, _ weight: Int32) {
                let words =
                    wordsOf[text]
                    ?? {
                        let split = IndonesianStemmer.words(text)
                        wordsOf[text] = split
                        return split
                    }()
                for word in words {
                    used.insert(word)
                    let forms =
                        formsOf[word]
                        ?? {
                            let found = IndonesianStemmer.forms(of: word)
                            formsOf[word] = found
                            return found
                        }()
                    for form in forms {
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
            // Only the words of courses everyone may see are offered back (corrections and
            // completions): a course for one institution's people must not spell itself out
            // to a stranger typing prefixes.
            if entry.audience == .all { for word in used { coursesUsing[word, default: 0] += 1 } }
        }
        self.postings = postings
        spelling = Spelling(frequencies: coursesUsing)
    }

    /// What someone typing `text` may be looking for, for the search box's suggestions: the
    /// last word completed with the catalogue's words, then the titles of the courses the
    /// viewer may see that the text (so completed) finds best. At most `limit`, none repeated.
    public func suggestions(for text: String, viewer: CatalogViewer, limit: Int = 8, now: Date = Date()) -> [String] {
        let words = IndonesianStemmer.words(text)
        guard let last = words.last else { return [] }
        let head = words.dropLast().joined(separator: " ")
        var found: [String] = []
        for word in spelling.completions(of: last, limit: 3) { found.append(head.isEmpty ? word : head + " " + word) }
        var query = CatalogQuery()
        query.text = found.first ?? words.joined(separator: " ")
        query.perPage = limit
        for hit in search(query, viewer: viewer, now: now).hits where !found.contains(hit.title) {
            found.append(hit.title)
        }
        return Array(found.prefix(limit))
    }

    /// The search text with each word that no course holds (in any of its forms) replaced by the
    /// nearest word one does; nil when no word needed or found a correction.
    func corrected(_ text: String) -> String? {
        var changed = false
        let words = IndonesianStemmer.words(text).map { word in
            if IndonesianStemmer.forms(of: word).contains(where: { postings[$0] != nil }) { return word }
            guard let fixed = spelling.correction(of: word) else { return word }
            changed = true
            return fixed
        }
        return changed ? words.joined(separator: " ") : nil
    }

    /// Relevance of every document that matches all words of `text`; nil when `text` has no words
    /// (then every document matches with relevance 0).
    func scores(for text: String) -> [(doc: Int, score: Int32)]? {
        let words = IndonesianStemmer.words(text)
        guard !words.isEmpty else { return nil }
        // total[doc] sums the best weight of each word; matchedWords[doc] counts the words found.
        var total = [Int32](repeating: 0, count: entries.count)
        var matchedWords = [Int32](repeating: 0, count: entries.count)
        var best = [Int32](repeating: 0, count: entries.count)
        var touched: [Int32] = []
        for (i, word) in words.enumerated() {
            touched.removeAll(keepingCapacity: true)
            for form in IndonesianStemmer.forms(of: word) {
                // A query word's stemmed form scores like the document's: exact beats stemmed.
                let exact = form == word
                guard let list = postings[form] else { continue }
                for posting in list {
                    let doc = Int(posting.doc)
                    // Only documents that matched every earlier word can still match.
                    guard matchedWords[doc] == Int32(i) else { continue }
                    let w = exact ? posting.weight : posting.weight & ~1
                    if best[doc] == 0 { touched.append(posting.doc) }
                    if w > best[doc] { best[doc] = w }
                }
            }
            for doc in touched {
                let d = Int(doc)
                total[d] += best[d]
                matchedWords[d] += 1
                best[d] = 0
            }
            if touched.isEmpty { return [] }
        }
        let all = Int32(words.count)
        var result: [(doc: Int, score: Int32)] = []
        for doc in touched.map(Int.init) where matchedWords[doc] == all { result.append((doc, total[doc])) }
        return result
    }
}
