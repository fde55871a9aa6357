import Foundation

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
}

extension CatalogIndex {
    /// The filter dimensions; facet counts for one dimension apply every filter but its own.
    private enum Dimension: Int, CaseIterable { case tenant, competency, method, language, jp, open }

    /// Runs `query` for `viewer` at `now`.
    public func search(_ query: CatalogQuery, viewer: CatalogViewer, now: Date = Date()) -> CatalogResult {
        let scored = scores(for: query.text)
        var candidates: [(doc: Int, score: Int32)] = []
        if let scored {
            candidates = scored.map { (Int($0.key), $0.value) }
        } else {
            candidates = entries.indices.map { ($0, 0) }
        }

        var matched: [(doc: Int, score: Int32)] = []
        var byTenant: [UUID: (entry: Int, count: Int)] = [:]
        var competency: [Course.CompetencyType: Int] = [:]
        var methods: [Course.DeliveryMethod: Int] = [:]
        var languages: [String: Int] = [:]
        var jpBuckets = [Int](repeating: 0, count: CatalogQuery.jpBuckets.count)
        var openCount = 0

        for candidate in candidates {
            let entry = entries[candidate.doc]
            guard entry.isVisible(to: viewer) else { continue }
            let isOpen = entry.isOpen(at: now)
            var failing = Set<Dimension>()
            if !query.tenants.isEmpty, !query.tenants.contains(entry.tenantSlug) { failing.insert(.tenant) }
            if !query.competencyTypes.isEmpty, !query.competencyTypes.contains(entry.competencyType) { failing.insert(.competency) }
            if !query.deliveryMethods.isEmpty, !query.deliveryMethods.contains(entry.deliveryMethod) { failing.insert(.method) }
            if !query.languages.isEmpty, !query.languages.contains(entry.language) { failing.insert(.language) }
            if let min = query.jpMin, entry.jp < min { failing.insert(.jp) }
            if let max = query.jpMax, entry.jp > max { failing.insert(.jp) }
            if query.openOnly, !isOpen { failing.insert(.open) }

            func countsFor(_ d: Dimension) -> Bool { failing.isEmpty || failing == [d] }
            if failing.isEmpty { matched.append(candidate) }
            if countsFor(.tenant) { byTenant[entry.tenantID, default: (candidate.doc, 0)].count += 1 }
            if countsFor(.competency) { competency[entry.competencyType, default: 0] += 1 }
            if countsFor(.method) { methods[entry.deliveryMethod, default: 0] += 1 }
            if countsFor(.language) { languages[entry.language, default: 0] += 1 }
            if countsFor(.jp) {
                for (i, bucket) in CatalogQuery.jpBuckets.enumerated()
                where entry.jp >= (bucket.min ?? Int.min) && entry.jp <= (bucket.max ?? Int.max) {
                    jpBuckets[i] += 1
                }
            }
            if countsFor(.open), isOpen { openCount += 1 }
        }

        sort(&matched, by: query.sort, now: now)
        let perPage = max(1, query.perPage)
        let pages = max(1, (matched.count + perPage - 1) / perPage)
        let page = min(max(1, query.page), pages)
        let slice = matched.dropFirst((page - 1) * perPage).prefix(perPage)

        // Institutions with most results first; chosen ones always listed.
        let tenantFacets = byTenant.values
            .map { (entries[$0.entry], $0.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.tenantName < $1.0.tenantName }
            .enumerated()
            .filter { $0.offset < 15 || query.tenants.contains($0.element.0.tenantSlug) }
            .map { CatalogResult.Facet(value: $0.element.0.tenantSlug, label: $0.element.0.tenantName, count: $0.element.1) }

        return CatalogResult(
            total: matched.count,
            hits: slice.map { entries[$0.doc] },
            tenants: tenantFacets,
            competencyTypes: Course.CompetencyType.allCases.map { .init(value: $0.rawValue, label: $0.rawValue, count: competency[$0] ?? 0) },
            deliveryMethods: Course.DeliveryMethod.allCases.map { .init(value: $0.rawValue, label: $0.rawValue, count: methods[$0] ?? 0) },
            languages: ["id", "en"].map { .init(value: $0, label: $0, count: languages[$0] ?? 0) },
            jpRanges: CatalogQuery.jpBuckets.enumerated().map { i, b in
                .init(value: "\(b.min.map(String.init) ?? "")-\(b.max.map(String.init) ?? "")", label: "", count: jpBuckets[i])
            },
            openCount: openCount, page: page, pages: pages
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
