import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension CatalogQuery {
    /// Reads a search from the address: `q`, `tenant`, `competency_type`, `delivery_method`,
    /// `language` (each may list several values, comma separated), `jp_min`, `jp_max`, `open`,
    /// `sort`, `page`. Every value that makes no sense is a problem.
    static func parse(_ req: Request) throws -> CatalogQuery {
        var query = CatalogQuery()
        var problems = ProblemList()
        // The query string is read once (each keyed read would parse it again).
        let values = (try? req.query.decode([String: String].self)) ?? [:]
        func list(_ key: String) -> [String] {
            (values[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
        }
        func int(_ key: String) -> Int? {
            WholeNumber.read(values[key], field: key, in: 0...100_000, problems: &problems)
        }
        query.text = String((values["q"] ?? "").prefix(200))
        query.tenants = Set(list("tenant"))
        for raw in list("competency_type") {
            if let v = Course.CompetencyType(rawValue: raw) {
                query.competencyTypes.insert(v)
            } else {
                problems.add("competency_type", "course.error.competency_type")
            }
        }
        for raw in list("delivery_method") {
            if let v = Course.DeliveryMethod(rawValue: raw) {
                query.deliveryMethods.insert(v)
            } else {
                problems.add("delivery_method", "course.error.delivery_method")
            }
        }
        for raw in list("language") {
            if ["id", "en"].contains(raw) {
                query.languages.insert(raw)
            } else {
                problems.add("language", "course.error.language")
            }
        }
        query.jpMin = int("jp_min")
        query.jpMax = int("jp_max")
        switch values["open"]?.lowercased() {
        case nil, "", "false", "0": query.openOnly = false
        case "true", "1": query.openOnly = true
        default: problems.add("open", "catalog.error.open")
        }
        if let raw = values["sort"], !raw.isEmpty {
            if let sort = Sort(rawValue: raw) { query.sort = sort } else { problems.add("sort", "catalog.error.sort") }
        }
        if let page = int("page") { query.page = max(1, page) }
        try problems.throwIfAny()
        return query
    }

    /// The address of this search, for links that change one part of it.
    func path(base: String = "/katalog") -> String {
        var items: [(String, String)] = []
        if !text.isEmpty { items.append(("q", text)) }
        if !tenants.isEmpty { items.append(("tenant", tenants.sorted().joined(separator: ","))) }
        if !competencyTypes.isEmpty {
            items.append(("competency_type", competencyTypes.map(\.rawValue).sorted().joined(separator: ",")))
        }
        if !deliveryMethods.isEmpty {
            items.append(("delivery_method", deliveryMethods.map(\.rawValue).sorted().joined(separator: ",")))
        }
        if !languages.isEmpty { items.append(("language", languages.sorted().joined(separator: ","))) }
        if let jpMin { items.append(("jp_min", "\(jpMin)")) }
        if let jpMax { items.append(("jp_max", "\(jpMax)")) }
        if openOnly { items.append(("open", "1")) }
        if sort != .relevance { items.append(("sort", sort.rawValue)) }
        if page > 1 { items.append(("page", "\(page)")) }
        guard !items.isEmpty else { return base }
        return base + "?" + items.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encoding of a query value: letters, digits and `-_.,` stay; every other byte of
    /// the UTF-8 is escaped. (Foundation's version is several times slower, and facet links are
    /// made by the dozen on every catalogue page.)
    static func encode(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ","):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// This search with one value of a set switched on or off (and back to page 1).
    func toggling<T: Hashable>(_ keyPath: WritableKeyPath<CatalogQuery, Set<T>>, _ value: T) -> CatalogQuery {
        var copy = self
        if copy[keyPath: keyPath].contains(value) {
            copy[keyPath: keyPath].remove(value)
        } else {
            copy[keyPath: keyPath].insert(value)
        }
        copy.page = 1
        return copy
    }
}
