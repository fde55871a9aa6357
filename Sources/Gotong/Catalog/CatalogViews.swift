import Fluent
import Foundation
import Vapor

extension Request {
    /// Who is searching: the tenants whose memberships the signed-in person holds. Only
    /// memberships count, which an institution granted (by import, assignment or its open
    /// join): the home institution a person picks on their profile proves nothing.
    func catalogViewer() async throws -> CatalogViewer {
        guard person != nil else { return .anonymous }
        return CatalogViewer(tenantIDs: Set(try await myTenants().map(\.id)))
    }

    /// A day in the reader's language, in Jakarta time: "23 Nov 2026".
    func day(_ date: Date?) -> String? {
        guard let date else { return nil }
        return (language == .id ? CatalogDates.dayID : CatalogDates.dayEN).string(from: date)
    }

    /// A moment in the reader's language, in Jakarta time: "5 Des 2026 08.00 WIB".
    func dayTime(_ date: Date) -> String {
        (language == .id ? CatalogDates.dayTimeID : CatalogDates.dayTimeEN).string(from: date) + " WIB"
    }
}

/// Dates typed into forms (`2026-11-23`) or sent to the API (ISO 8601), read in Jakarta time.
enum CatalogDates {
    struct BadDate: Error {}

    // Formatters are costly to make and safe to share for formatting, so each is made once.
    nonisolated(unsafe) static let dayID = formatter("d MMM yyyy", locale: "id_ID")
    nonisolated(unsafe) static let dayEN = formatter("d MMM yyyy", locale: "en_GB")
    nonisolated(unsafe) static let dayTimeID = formatter("d MMM yyyy HH.mm", locale: "id_ID")
    nonisolated(unsafe) static let dayTimeEN = formatter("d MMM yyyy HH:mm", locale: "en_GB")
    nonisolated(unsafe) static let isoDay = formatter("yyyy-MM-dd", locale: "en_US_POSIX")

    static func formatter(_ format: String, locale: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: locale)
        f.timeZone = zone
        f.dateFormat = format
        return f
    }

    static let zone = TimeZone(identifier: "Asia/Jakarta")!

    /// Nil for an empty value; `.some(nil)` never. A date-only value means the start of that day,
    /// or its end when `endOfDay` (a closing date includes the whole day).
    static func parse(_ raw: String?, endOfDay: Bool = false) -> Result<Date?, BadDate> {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .success(nil) }
        if raw.count == 10 {
            // Parsing is rare; a fresh formatter avoids sharing one across threads for it.
            guard let day = formatter("yyyy-MM-dd", locale: "en_US_POSIX").date(from: raw) else { return .failure(BadDate()) }
            return .success(endOfDay ? day.addingTimeInterval(86_399) : day)
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: raw) { return .success(date) }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: raw) { return .success(date) }
        return .failure(BadDate())
    }

    /// `2026-11-23` for a form field.
    static func formValue(_ date: Date?) -> String {
        guard let date else { return "" }
        return isoDay.string(from: date)
    }
}

/// A course as a result card shows it (catalogue, storefront, /saya).
struct CourseCard: Encodable, Sendable {
    let url: String
    let title: String
    let summary: String
    let tenantName: String
    let tenantColor: String
    let jp: Int
    let method: String
    let competency: String
    let microMinutes: Int?
    let open: Bool

    init(_ entry: CatalogEntry, req: Request, now: Date) {
        url = "/t/\(entry.tenantSlug)/pelatihan/\(entry.slug)"
        title = entry.title
        summary = entry.summary
        tenantName = entry.tenantName
        tenantColor = entry.tenantColor
        jp = entry.jp
        method = req.t("course.method.\(entry.deliveryMethod.rawValue)")
        competency = req.t("course.competency.\(entry.competencyType.rawValue)")
        microMinutes = entry.deliveryMethod == .mikro ? entry.microMinutes : nil
        open = entry.isOpen(at: now)
    }

    init(_ course: Course, tenant: Tenant, req: Request, now: Date) {
        url = "/t/\(tenant.slug)/pelatihan/\(course.slug)"
        title = course.title
        summary = course.summary
        tenantName = tenant.name
        tenantColor = tenant.primaryColor
        jp = course.jp
        method = req.t("course.method.\(course.deliveryMethod.rawValue)")
        competency = req.t("course.competency.\(course.competencyType.rawValue)")
        microMinutes = course.deliveryMethod == .mikro ? course.microMinutes : nil
        open = course.isEnrolmentOpen(at: now)
    }
}

/// The published courses a storefront shows: its featured courses, its newest others, and how
/// many courses each category holds. Tenancy's storefront reaches courses only through this.
public enum StorefrontCourses {
    struct Shelves: Sendable {
        let featured: [Course]
        let newest: [Course]
        let countByCategory: [UUID: Int]
    }

    static let shelfSize = 6

    static func shelves(tenantID: UUID, on db: any Database) async throws -> Shelves {
        let scope = TenantScope(tenantID: tenantID, db: db)
        async let featured = scope.query(Course.self).filter(\.$status == .published).filter(\.$featured == true)
            .sort(\.$publishedAt, .descending).limit(shelfSize).all()
        async let newest = scope.query(Course.self).filter(\.$status == .published).filter(\.$featured == false)
            .sort(\.$publishedAt, .descending).limit(shelfSize).all()
        async let categories = scope.query(Course.self).filter(\.$status == .published).field(\.$id).field(\.$categoryID).all()
        var counts: [UUID: Int] = [:]
        for course in try await categories { if let id = course.categoryID { counts[id, default: 0] += 1 } }
        return Shelves(featured: try await featured, newest: try await newest, countByCategory: counts)
    }

    /// One page of the tenant's published courses, newest first, optionally of one category.
    static func page(tenantID: UUID, categoryID: UUID?, page: Int, per: Int, on db: any Database) async throws -> (items: [Course], window: PageWindow) {
        var query = TenantScope(tenantID: tenantID, db: db).query(Course.self).filter(\.$status == .published)
        if let categoryID { query = query.filter(\.$categoryID == categoryID) }
        return try await query.sort(\.$featured, .descending).sort(\.$publishedAt, .descending).sort(\.$title)
            .page(page, per: per)
    }
}
