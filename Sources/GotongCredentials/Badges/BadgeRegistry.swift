import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// A badge someone holds: a certificate of a course that has a badge.
struct BadgeAward: Sendable {
    let certificate: Certificate
    let badge: BadgeClass
    /// The address the assertion's recipient hash is made of, as the person's account has it.
    let email: String
}

/// Badges: a tenant's, a course's, and the ones a certificate holder holds.
struct BadgeRegistry {
    let db: any Database

    func badge(_ scope: TenantScope, course: UUID) async throws -> BadgeClass? {
        try await scope.query(BadgeClass.self).filter(\.$courseID == course).first()
    }

    func list(_ scope: TenantScope) async throws -> [BadgeClass] {
        try await scope.query(BadgeClass.self).sort(\.$name).all()
    }

    /// The badge a certificate of the tenant carries, with its holder's address; nil when the
    /// code is another tenant's or its course has no badge.
    func award(_ code: VerificationCode, in scope: TenantScope) async throws -> BadgeAward? {
        guard let certificate = try await scope.query(Certificate.self).filter(\.$code == code.compact).first(),
            let badge = try await badge(scope, course: certificate.courseID),
            let person = try await Person.find(certificate.personID, on: db)
        else { return nil }
        return BadgeAward(certificate: certificate, badge: badge, email: person.email)
    }

    /// Which of these certificates carry a badge, each with its tenant's slug (its badge's
    /// addresses are the tenant's): two queries, however many certificates.
    func badgeSlugs(of certificates: [Certificate]) async throws -> [UUID: Param<TenantSlug>] {
        let courses = Array(Set(certificates.map(\.courseID)))
        guard !courses.isEmpty else { return [:] }
        let badged = Set(
            try await BadgeClass.query(on: db).filter(\.$courseID ~~ courses).field(\.$courseID).all().map(\.courseID))
        let holding = certificates.filter { badged.contains($0.courseID) }
        guard !holding.isEmpty else { return [:] }
        let tenants = try await Tenant.query(on: db).filter(\.$id ~~ Array(Set(holding.map(\.tenantID))))
            .field(\.$id).field(\.$slug).all()
        let slugs = Dictionary(
            tenants.compactMap { t in t.id.map { ($0, t.routeSlug) } }, uniquingKeysWith: { a, _ in a })
        var found: [UUID: Param<TenantSlug>] = [:]
        for certificate in holding {
            if let id = certificate.id, let slug = slugs[certificate.tenantID] { found[id] = slug }
        }
        return found
    }

    /// Revoked certificates of the tenant's badged courses, for the revocation list.
    func revoked(_ scope: TenantScope) async throws -> [Certificate] {
        let badged = try await scope.query(BadgeClass.self).field(\.$courseID).all().map(\.courseID)
        guard !badged.isEmpty else { return [] }
        return try await scope.query(Certificate.self).filter(\.$courseID ~~ badged).filter(\.$revokedAt != nil)
            .sort(\.$revokedAt).all()
    }

    /// The places in a year's sequence of the tenant's revoked certificates, and the last place
    /// given: a status list's bits.
    func statusBits(_ scope: TenantScope, year: Int) async throws -> (revoked: [Int], last: Int) {
        let revoked = try await scope.query(Certificate.self).filter(\.$year == year).filter(\.$revokedAt != nil)
            .field(\.$sequence).all().map(\.sequence)
        let last = try await scope.query(Certificate.self).filter(\.$year == year).max(\.$sequence) ?? 0
        return (revoked, last)
    }

    /// How many certificates of the course there are (a badge with holders is not deleted).
    func holders(_ scope: TenantScope, course: UUID) async throws -> Int {
        try await scope.query(Certificate.self).filter(\.$courseID == course).count()
    }
}

extension BadgeRegistry {
    /// What a badge is made of, as a form or the API sends it.
    struct Input {
        var name: String?
        var description: String?
        var criteria: String?

        /// The fields as saved, with a problem added for each one that is not right.
        func checked(_ problems: inout ProblemList) -> (name: String, description: String, criteria: String) {
            (
                problems.text(name, "name", max: 120, required: "badge.error.name_required"),
                problems.text(description, "description", max: 2000, required: "badge.error.description_required"),
                problems.text(criteria, "criteria", max: 2000, required: "badge.error.criteria_required")
            )
        }
    }

    /// Saves a course's badge (made when it has none) after checking it, and audits it, in one
    /// transaction. `image` is the new uploaded picture's key; `dropImage` goes back to the
    /// drawn one. Answers the badge and the key of a picture it no longer uses.
    static func save(
        _ req: Request, course: Course, input: Input, image: String? = nil, dropImage: Bool = false
    ) async throws -> (badge: BadgeClass, unusedImage: String?) {
        var problems = ProblemList()
        let (name, description, criteria) = input.checked(&problems)
        try problems.throwIfAny()
        let scope = try req.tenantScope
        let now = req.application.clock.now()
        let courseID = try course.requireID()
        return try await req.database.lockingTransaction { tx in
            let scoped = TenantScope(tenantID: scope.tenantID, db: tx)
            let badge = try await BadgeRegistry(db: tx).badge(scoped, course: courseID) ?? BadgeClass()
            let isNew = badge.id == nil
            var unused: String?
            if isNew {
                (badge.tenantID, badge.courseID, badge.createdAt) = (scope.tenantID, courseID, now)
            }
            (badge.name, badge.description, badge.criteria, badge.updatedAt) = (name, description, criteria, now)
            if let image {
                unused = badge.imageKey
                badge.imageKey = image
            } else if dropImage {
                unused = badge.imageKey
                badge.imageKey = nil
            }
            try await badge.save(on: tx)
            try await req.audit(
                isNew ? "badge.create" : "badge.update", subject: course.title, detail: "name=\(name)",
                tenantID: scope.tenantID, on: tx)
            return (badge, unused)
        }
    }

    /// Deletes a course's badge while nobody holds it (after that its assertions must stay
    /// checkable), audited; answers the key of its picture.
    static func remove(_ req: Request, course: Course) async throws -> String? {
        let scope = try req.tenantScope
        let courseID = try course.requireID()
        return try await req.database.lockingTransaction { tx in
            let scoped = TenantScope(tenantID: scope.tenantID, db: tx)
            let registry = BadgeRegistry(db: tx)
            guard let badge = try await registry.badge(scoped, course: courseID) else { throw Abort(.notFound) }
            guard try await registry.holders(scoped, course: courseID) == 0 else {
                throw InputError(field: "badge", key: "badge.error.has_holders", status: .conflict)
            }
            try await badge.delete(on: tx)
            try await req.audit("badge.delete", subject: course.title, detail: "", tenantID: scope.tenantID, on: tx)
            return badge.imageKey
        }
    }
}
