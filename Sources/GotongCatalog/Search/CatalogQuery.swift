import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// A marketplace search: words, filters, sort and page, as parsed from `/katalog` or `/api/v1/catalog`.
public struct CatalogQuery: Sendable {
    public enum Sort: String, CaseIterable, Sendable { case relevance, newest, popular, soon }

    public var text = ""
    public var tenants: Set<String> = []
    public var competencyTypes: Set<Course.CompetencyType> = []
    public var deliveryMethods: Set<Course.DeliveryMethod> = []
    public var languages: Set<String> = []
    public var jpMin: Int?
    public var jpMax: Int?
    public var openOnly = false
    public var sort: Sort = .relevance
    public var page = 1
    public var perPage = 20

    public init() {}

    /// JP ranges offered as facets.
    public static let jpBuckets: [(min: Int?, max: Int?)] = [(nil, 4), (5, 10), (11, 20), (21, 40), (41, nil)]
}

/// One page of results with facet counts beside each filter.
public struct CatalogResult: Sendable {
    public struct Facet: Sendable, Equatable {
        public let value: String
        public let label: String
        public let count: Int
    }

    public let total: Int
    public let hits: [CatalogEntry]
    public let tenants: [Facet]
    public let competencyTypes: [Facet]
    public let deliveryMethods: [Facet]
    public let languages: [Facet]
    /// Keys `min-max` (either side may be empty), in bucket order.
    public let jpRanges: [Facet]
    public let openCount: Int
    public let page: Int
    public let pages: Int
    /// The words searched instead when the typed ones found nothing and look mistyped
    /// ("keuangn" → "keuangan"); nil when the typed words were searched.
    public let correctedText: String?
}

extension CatalogIndex {
    /// The filter dimensions as bits; facet counts for one dimension apply every filter but its own.
    private enum Bit {
        static let tenant: UInt8 = 1, competency: UInt8 = 2, method: UInt8 = 4, language: UInt8 = 8, jp: UInt8 = 16,
            open: UInt8 = 32
    }

    /// Runs `query` for `viewer` at `now`.
    public func search(_ query: CatalogQuery, viewer: CatalogViewer, now: Date = Date()) -> CatalogResult {
        var candidates = scores(for: query.text) ?? entries.indices.map { (doc: $0, score: Int32(0)) }
        // Typed words that find nothing: the nearest words the catalogue holds, said on the page.
        var correctedText: String?
        if candidates.isEmpty, let fixed = corrected(query.text), let found = scores(for: fixed), !found.isEmpty {
            (candidates, correctedText) = (found, fixed)
        }

        var matched: [(doc: Int, score: Int32)] = []
        var tenantCounts = [Int](repeating: 0, count: tenantFirstDoc.count)
        var competency = [Int](repeating: 0, count: Course.CompetencyType.allCases.count)
        var methods = [Int](repeating: 0, count: Course.DeliveryMethod.allCases.count)
        var languages = [Int](repeating: 0, count: 2)
        var jpBuckets = [Int](repeating: 0, count: CatalogQuery.jpBuckets.count)
        var openCount = 0
        func mask<T: CaseIterable & Equatable>(_ chosen: Set<T>) -> UInt32 {
            Array(T.allCases).enumerated().reduce(0) { chosen.contains($1.element) ? $0 | 1 << UInt32($1.offset) : $0 }
        }
        let competencyMask = mask(query.competencyTypes), methodMask = mask(query.deliveryMethods)
        let restricted = !viewer.tenantIDs.isEmpty

        for candidate in candidates {
            let entry = entries[candidate.doc]
            if entry.audience != .all, !(restricted && entry.isVisible(to: viewer)) { continue }
            let isOpen = entry.isOpen(at: now)
            var failing: UInt8 = 0
            if !query.tenants.isEmpty, !query.tenants.contains(entry.tenantSlug) { failing |= Bit.tenant }
            let competencyOrd = Int(competencyOrdinal[candidate.doc]), methodOrd = Int(methodOrdinal[candidate.doc])
            if competencyMask != 0, competencyMask & (1 << UInt32(competencyOrd)) == 0 { failing |= Bit.competency }
            if methodMask != 0, methodMask & (1 << UInt32(methodOrd)) == 0 { failing |= Bit.method }
            if !query.languages.isEmpty, !query.languages.contains(entry.language) { failing |= Bit.language }
            if let min = query.jpMin, entry.jp < min { failing |= Bit.jp }
            if let max = query.jpMax, entry.jp > max { failing |= Bit.jp }
            if query.openOnly, !isOpen { failing |= Bit.open }

            if failing == 0 { matched.append(candidate) }
            // A facet counts a document when nothing but its own dimension excluded it.
            if failing & ~Bit.tenant == 0 { tenantCounts[Int(tenantOrdinal[candidate.doc])] += 1 }
            if failing & ~Bit.competency == 0 { competency[competencyOrd] += 1 }
            if failing & ~Bit.method == 0 { methods[methodOrd] += 1 }
            if failing & ~Bit.language == 0 { languages[entry.language == "en" ? 1 : 0] += 1 }
            if failing & ~Bit.jp == 0 {
                for (i, bucket) in CatalogQuery.jpBuckets.enumerated()
                where entry.jp >= (bucket.min ?? Int.min) && entry.jp <= (bucket.max ?? Int.max) {
                    jpBuckets[i] += 1
                }
            }
            if failing & ~Bit.open == 0, isOpen { openCount += 1 }
        }

        sort(&matched, by: query.sort, now: now)
        let perPage = max(1, query.perPage)
        let pages = max(1, (matched.count + perPage - 1) / perPage)
        let page = min(max(1, query.page), pages)
        let slice = matched.dropFirst((page - 1) * perPage).prefix(perPage)

        // Institutions with most results first; chosen ones always listed.
        let tenantFacets = tenantCounts.enumerated().filter { $0.element > 0 }
            .map { (entries[tenantFirstDoc[$0.offset]], $0.element) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.tenantName < $1.0.tenantName }
            .enumerated()
            .filter { $0.offset < 15 || query.tenants.contains($0.element.0.tenantSlug) }
            .map {
                CatalogResult.Facet(value: $0.element.0.tenantSlug, label: $0.element.0.tenantName, count: $0.element.1)
            }

        return CatalogResult(
            total: matched.count,
            hits: slice.map { entries[$0.doc] },
            tenants: tenantFacets,
            competencyTypes: Course.CompetencyType.allCases.enumerated().map {
                .init(value: $1.rawValue, label: $1.rawValue, count: competency[$0])
            },
            deliveryMethods: Course.DeliveryMethod.allCases.enumerated().map {
                .init(value: $1.rawValue, label: $1.rawValue, count: methods[$0])
            },
            languages: ["id", "en"].enumerated().map { .init(value: $1, label: $1, count: languages[$0]) },
            jpRanges: CatalogQuery.jpBuckets.enumerated().map { i, b in
                .init(
                    value: "\(b.min.map(String.init) ?? "")-\(b.max.map(String.init) ?? "")", label: "",
                    count: jpBuckets[i])
            },
            openCount: openCount, page: page, pages: pages, correctedText: correctedText
        )
    }

    private func sort(_ docs: inout [(doc: Int, score: Int32)], by sort: CatalogQuery.Sort, now: Date) {
        func newer(_ a: Int, _ b: Int) -> Bool {
            entries[a].publishedAt != entries[b].publishedAt ? entries[a].publishedAt > entries[b].publishedAt : a < b
        }
        switch sort {
        case .relevance:
            docs.sort { $0.score != $1.score ? $0.score > $1.score : newer($0.doc, $1.doc) }
        case .newest:
            docs.sort { newer($0.doc, $1.doc) }
        case .popular:
            docs.sort {
                let a = entries[$0.doc].enrolledCount, b = entries[$1.doc].enrolledCount
                return a != b ? a > b : newer($0.doc, $1.doc)
            }
        case .soon:
            // Courses starting from now on, soonest first; undated and past ones after.
            func key(_ d: Int) -> Date {
                guard let start = entries[d].startsAt, start >= now else { return .distantFuture }
                return start
            }
            docs.sort { key($0.doc) != key($1.doc) ? key($0.doc) < key($1.doc) : newer($0.doc, $1.doc) }
        }
    }
}
