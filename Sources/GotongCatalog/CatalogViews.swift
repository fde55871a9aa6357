import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension Request {
    /// Who is searching: the tenants whose memberships the signed-in person holds. Only
    /// memberships count, which an institution granted (by import, assignment or its open
    /// join): the home institution a person picks on their profile proves nothing.
    func catalogViewer() async throws -> CatalogViewer {
        guard person != nil else { return .anonymous }
        return CatalogViewer(tenantIDs: Set(try await myTenants().map(\.id)))
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

    init(
        url: String, title: String, summary: String, tenantName: String, tenantColor: String, jp: Int, method: String,
        competency: String, microMinutes: Int?, open: Bool
    ) {
        (self.url, self.title, self.summary, self.tenantName, self.tenantColor) =
            (url, title, summary, tenantName, tenantColor)
        (self.jp, self.method, self.competency, self.microMinutes, self.open) =
            (jp, method, competency, microMinutes, open)
    }

    init(_ entry: CatalogEntry, req: Request, now: Date) {
        url =
            CatalogRoute.course(
                .value(TenantSlug(rawValue: entry.tenantSlug)), .value(CourseSlug(rawValue: entry.slug))
            ).path
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
        url = CatalogRoute.course(tenant.routeSlug, course.routeSlug).path
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
        async let categories = scope.query(Course.self).filter(\.$status == .published).field(\.$id).field(
            \.$categoryID
        ).all()
        var counts: [UUID: Int] = [:]
        for course in try await categories { if let id = course.categoryID { counts[id, default: 0] += 1 } }
        return Shelves(featured: try await featured, newest: try await newest, countByCategory: counts)
    }

    /// One page of the tenant's published courses, newest first, optionally of one category.
    static func page(
        tenantID: UUID, categoryID: UUID?, page: Int, per: Int, on db: any Database
    ) async throws -> (items: [Course], window: PageWindow) {
        var query = TenantScope(tenantID: tenantID, db: db).query(Course.self).filter(\.$status == .published)
        if let categoryID { query = query.filter(\.$categoryID == categoryID) }
        return try await query.sort(\.$featured, .descending).sort(\.$publishedAt, .descending).sort(\.$title)
            .page(page, per: per)
    }
}
