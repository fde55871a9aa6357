import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
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

extension Request {
    /// The cards with the signed-in person's standing in each course, so a card says "Sudah
    /// terdaftar" rather than inviting them to a course they are in. One indexed read of their
    /// own enrolments (across institutions, as /saya reads them); nothing for a visitor.
    func withMyStanding(_ cards: [CourseCard]) async throws -> [CourseCard] {
        let ids = cards.compactMap(\.courseID)
        guard let personID = person?.id, !ids.isEmpty else { return cards }
        let statuses = [Enrolment.Status.enrolled, .waiting, .pending, .completed].map(\.rawValue)
        let rows = try await database.sql.raw(
            """
            SELECT course_id, status FROM enrolments \
            WHERE person_id = \(bind: personID) AND course_id IN (\(binds: ids)) AND status IN (\(binds: statuses))
            """
        ).all()
        var standing: [UUID: Enrolment.Status] = [:]
        for row in rows {
            standing[try row.decode(column: "course_id", as: UUID.self)] = Enrolment.Status(
                rawValue: try row.decode(column: "status", as: String.self))
        }
        return cards.map { card in
            var card = card
            card.standing = card.courseID.flatMap { standing[$0] }
            return card
        }
    }
}

extension Request {
    /// Courses to learn next after `course`: the most popular of the same competency type that
    /// the person may see and is not in yet (at most `limit`), for the page that closes a course.
    public func relatedCourses(to course: Course, limit: Int = 3) async throws -> [CourseCard] {
        let index = try await application.catalogSearch.index(on: database)
        var query = CatalogQuery()
        query.competencyTypes = [course.competencyType]
        query.sort = .popular
        query.perPage = limit + 12
        let now = Date()
        let hits = index.search(query, viewer: try await catalogViewer(), now: now).hits
        let cards = try await withMyStanding(
            hits.filter { $0.courseID != course.id }.map { CourseCard($0, req: self, now: now) })
        return Array(cards.filter { $0.standing == nil }.prefix(limit))
    }
}

extension HTMLText {
    /// Course cards in a list, as the catalogue shows them.
    @discardableResult
    public func courseCards(_ cards: [CourseCard], texts: Texts) -> HTMLText {
        raw("<ul class=\"cards\">\n")
        CatalogFragments.cards(cards, into: self, texts: texts)
        return raw("</ul>\n")
    }
}

/// A course as a result card shows it (catalogue, storefront, /saya).
public struct CourseCard: Encodable, Sendable {
    var courseID: UUID? = nil
    /// The signed-in person's standing in the course ("Sudah terdaftar"), set by
    /// ``Request/withMyStanding(_:)``; nil when they are not in it.
    var standing: Enrolment.Status? = nil
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
        courseID = entry.courseID
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
        courseID = course.id
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
