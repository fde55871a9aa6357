import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A change to a course's details, from the web form or the API: every field optional (nil
/// leaves it as it is), checked all at once so the person sees every problem together.
public struct CourseChange: Sendable {
    public var title: String?
    public var slug: String?
    public var summary: String?
    public var description: String?
    public var tags: [String]?
    public var category: String?
    public var competencyType: String?
    public var jp: Int?
    public var deliveryMethod: String?
    public var microMinutes: Int??
    public var level: String?
    public var language: String?
    public var audience: String?
    public var audienceTenants: [String]?
    public var enrolmentMode: String?
    public var quota: Int??
    public var enrolOpensAt: Date??
    public var enrolClosesAt: Date??
    public var startsAt: Date??
    public var endsAt: Date??
    public var featured: Bool?
    public var sequential: Bool?
    /// Emails of the tenant's trainers (pengajar).
    public var trainers: [String]?
    /// Emails of the tenant's coordinators (pengelola or admin).
    public var coordinators: [String]?
    /// Slugs of this tenant's courses that must be finished first.
    public var prerequisites: [String]?

    public init() {}

    /// The change with control characters (NUL among them, which PostgreSQL refuses) taken out of
    /// every text, line breaks kept; so nothing a form or a client sends can fail the write.
    func sanitised() -> CourseChange {
        func clean(_ text: String?) -> String? { text.map { $0.hasControlCharacters ? $0.trimmed(max: $0.count) : $0 } }
        func cleanList(_ list: [String]?) -> [String]? { list.map { $0.compactMap(clean) } }
        var c = self
        c.title = clean(title); c.slug = clean(slug); c.summary = clean(summary); c.description = clean(description)
        c.tags = cleanList(tags); c.category = clean(category); c.competencyType = clean(competencyType)
        c.deliveryMethod = clean(deliveryMethod); c.level = clean(level); c.language = clean(language);
        c.audience = clean(audience)
        c.audienceTenants = cleanList(audienceTenants); c.enrolmentMode = clean(enrolmentMode)
        c.trainers = cleanList(trainers); c.coordinators = cleanList(coordinators);
        c.prerequisites = cleanList(prerequisites)
        return c
    }

    /// What the checked change resolved to, ready to write.
    struct Resolved: Sendable {
        var categoryID: UUID??
        var audienceTenantIDs: [UUID]?
        var trainerIDs: [UUID]?
        var coordinatorIDs: [UUID]?
        var prerequisiteIDs: [UUID]?
    }

    /// Checks the change against `course` (new or existing) in `tenantID`; throws every problem.
    func check(for course: Course, tenantID: UUID, on db: any Database) async throws -> Resolved {
        var p = ProblemList()
        let scope = TenantScope(tenantID: tenantID, db: db)
        var resolved = Resolved()
        if let title {
            let t = title.trimmed(max: 201)
            if t.count < 3 || t.count > 200 { p.add("title", "course.error.title") }
        } else if course.id == nil {
            p.add("title", "course.error.title")
        }
        if let slug, !Self.isValidSlug(slug) { p.add("slug", "course.error.slug") }
        if let summary, summary.count > 500 { p.add("summary", "course.error.summary") }
        if let description, description.count > 20_000 { p.add("description", "course.error.description") }
        if let tags, tags.count > 15 || tags.contains(where: { $0.count > 40 }) { p.add("tags", "course.error.tags") }
        if let competencyType, Course.CompetencyType(rawValue: competencyType) == nil {
            p.add("competency_type", "course.error.competency_type")
        }
        if let jp, !(1...1000).contains(jp) { p.add("jp", "course.error.jp") }
        if let deliveryMethod, Course.DeliveryMethod(rawValue: deliveryMethod) == nil {
            p.add("delivery_method", "course.error.delivery_method")
        }
        let method =
            deliveryMethod.flatMap(Course.DeliveryMethod.init(rawValue:))
            ?? (course.id == nil && deliveryMethod == nil ? .mandiri : course.deliveryMethod)
        let minutes = microMinutes ?? (course.id == nil ? nil : course.microMinutes)
        if method == .mikro {
            if minutes == nil || !(1...60).contains(minutes!) { p.add("micro_minutes", "course.error.micro_minutes") }
        }
        if let level, Course.Level(rawValue: level) == nil { p.add("level", "course.error.level") }
        if let language, !["id", "en"].contains(language) { p.add("language", "course.error.language") }
        if let audience, Course.Audience(rawValue: audience) == nil { p.add("audience", "course.error.audience") }
        if let enrolmentMode, Course.EnrolmentMode(rawValue: enrolmentMode) == nil {
            p.add("enrolment_mode", "course.error.enrolment_mode")
        }
        if let quota, let q = quota, !(1...100_000).contains(q) { p.add("quota", "course.error.quota") }
        let opens = enrolOpensAt ?? course.enrolOpensAt, closes = enrolClosesAt ?? course.enrolClosesAt
        if let o = opens, let c = closes, c <= o { p.add("enrol_closes_at", "course.error.enrol_window") }
        let starts = startsAt ?? course.startsAt, ends = endsAt ?? course.endsAt
        if let s = starts, let e = ends, e < s { p.add("ends_at", "course.error.dates") }

        if let category {
            if category.isEmpty {
                resolved.categoryID = .some(nil)
            } else if let found = try await scope.query(TenantCategory.self).filter(\.$slug == category).first() {
                resolved.categoryID = found.id
            } else {
                p.add("category", "course.error.category")
            }
        }
        let chosenAudience =
            audience.flatMap(Course.Audience.init(rawValue:)) ?? (course.id == nil ? .all : course.audience)
        if let audienceTenants {
            let slugs = Array(
                Set(audienceTenants.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
            )
            let found = slugs.isEmpty ? [] : try await Tenant.listed(on: db).filter(\.$slug ~~ slugs).all()
            let missing = Set(slugs).subtracting(found.map(\.slug))
            if !missing.isEmpty {
                p.add(
                    "audience_tenants", "course.error.audience_tenants",
                    ["slugs": missing.sorted().joined(separator: ", ")])
            }
            resolved.audienceTenantIDs = found.compactMap(\.id)
        }
        if chosenAudience == .listed, (resolved.audienceTenantIDs ?? course.audienceTenantIDs).isEmpty,
            !p.problems.contains(where: { $0.field == "audience_tenants" })
        {
            p.add("audience_tenants", "course.error.audience_tenants_required")
        }
        if let trainers {
            resolved.trainerIDs = try await staff(
                trainers, roles: [.pengajar], field: "trainers", scope: scope, db: db, problems: &p)
        }
        if let coordinators {
            resolved.coordinatorIDs = try await staff(
                coordinators, roles: [.pengelola, .admin], field: "coordinators", scope: scope, db: db, problems: &p)
        }
        if let prerequisites {
            let slugs = Array(Set(prerequisites.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
            let found = slugs.isEmpty ? [] : try await scope.query(Course.self).filter(\.$slug ~~ slugs).all()
            let missing = Set(slugs).subtracting(found.map(\.slug))
            if !missing.isEmpty {
                p.add(
                    "prerequisites", "course.error.prerequisites", ["slugs": missing.sorted().joined(separator: ", ")])
            }
            if let id = course.id, found.contains(where: { $0.id == id }) {
                p.add("prerequisites", "course.error.prerequisite_self")
            } else if let id = course.id, let loop = try await Self.leadsBack(to: id, from: found, scope: scope) {
                p.add("prerequisites", "course.error.prerequisite_cycle", ["course": loop.title])
            }
            resolved.prerequisiteIDs = found.compactMap(\.id)
        }
        try p.throwIfAny()
        return resolved
    }

    /// The first of `candidates` whose own chain of prerequisites already needs `courseID`:
    /// choosing it would make both courses impossible to enter.
    static func leadsBack(to courseID: UUID, from candidates: [Course], scope: TenantScope) async throws -> Course? {
        guard !candidates.isEmpty else { return nil }
        let edges = Dictionary(grouping: try await scope.query(CoursePrerequisite.self).all(), by: \.courseID)
            .mapValues { $0.map(\.requiredCourseID) }
        for candidate in candidates {
            var seen: Set<UUID> = [], stack = [candidate.id].compactMap { $0 }
            while let next = stack.popLast() {
                if next == courseID { return candidate }
                if seen.insert(next).inserted { stack += edges[next] ?? [] }
            }
        }
        return nil
    }

    /// People of this tenant holding one of `roles`, by email; unknown ones are problems.
    private func staff(
        _ emails: [String], roles: Set<Role>, field: String, scope: TenantScope, db: any Database,
        problems: inout ProblemList
    ) async throws -> [UUID] {
        let wanted = Array(Set(emails.map(Person.normalise(email:)).filter { !$0.isEmpty }))
        guard !wanted.isEmpty else { return [] }
        let people = try await Person.query(on: db).filter(\.$email ~~ wanted).all()
        let ids = people.compactMap(\.id)
        let holders = Set(
            try await scope.query(Membership.self).filter(\.$personID ~~ ids).filter(\.$role ~~ Array(roles)).all().map(
                \.personID))
        let ok = people.filter { holders.contains($0.id!) }
        let bad = Set(wanted).subtracting(ok.map(\.email))
        if !bad.isEmpty {
            problems.add(field, "course.error.\(field)", ["emails": bad.sorted().joined(separator: ", ")])
        }
        return ok.compactMap(\.id)
    }

    /// Writes the checked change onto `course` (not saved) and returns whether curation must
    /// look again (a rejected course that was edited goes back to the curator).
    func apply(to course: Course, _ resolved: Resolved) {
        if let title {
            course.title = title.trimmed(max: 200)
            if course.id == nil, slug == nil, course.slug.isEmpty { course.slug = Self.slugify(course.title) }
        }
        if let slug { course.slug = slug }
        if let summary { course.summary = summary.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let description { course.description = description }
        if let tags { course.tags = tags.map { $0.trimmed(max: 40) }.filter { !$0.isEmpty }.joined(separator: ", ") }
        if let c = resolved.categoryID { course.categoryID = c }
        if let v = competencyType.flatMap(Course.CompetencyType.init(rawValue:)) { course.competencyType = v }
        if let jp { course.jp = jp }
        if let v = deliveryMethod.flatMap(Course.DeliveryMethod.init(rawValue:)) { course.deliveryMethod = v }
        if let microMinutes { course.microMinutes = microMinutes }
        if course.deliveryMethod != .mikro { course.microMinutes = nil }
        if let v = level.flatMap(Course.Level.init(rawValue:)) { course.level = v }
        if let language { course.language = language }
        if let v = audience.flatMap(Course.Audience.init(rawValue:)) { course.audience = v }
        if let ids = resolved.audienceTenantIDs {
            course.audienceTenants = ids.map(\.uuidString).joined(separator: ",")
        }
        if let v = enrolmentMode.flatMap(Course.EnrolmentMode.init(rawValue:)) { course.enrolmentMode = v }
        if let quota { course.quota = quota }
        if let enrolOpensAt { course.enrolOpensAt = enrolOpensAt }
        if let enrolClosesAt { course.enrolClosesAt = enrolClosesAt }
        if let startsAt { course.startsAt = startsAt }
        if let endsAt { course.endsAt = endsAt }
        if let featured { course.featured = featured }
        if let sequential { course.sequential = sequential }
        if course.status == .published, course.curation == .rejected { course.curation = .pending }
    }

    /// Writes staff and prerequisites named by the change, replacing the old lists.
    func writeLinks(of course: Course, _ resolved: Resolved, on db: any Database) async throws {
        let courseID = try course.requireID()
        let scope = TenantScope(tenantID: course.tenantID, db: db)
        for (role, ids) in [(Role.pengajar, resolved.trainerIDs), (Role.pengelola, resolved.coordinatorIDs)] {
            guard let ids else { continue }
            try await scope.query(CourseStaff.self).filter(\.$courseID == courseID).filter(\.$role == role).delete()
            for id in ids {
                try await CourseStaff(tenantID: course.tenantID, courseID: courseID, personID: id, role: role).create(
                    on: db)
            }
        }
        if let ids = resolved.prerequisiteIDs {
            try await scope.query(CoursePrerequisite.self).filter(\.$courseID == courseID).delete()
            for id in ids {
                try await CoursePrerequisite(tenantID: course.tenantID, courseID: courseID, requiredCourseID: id)
                    .create(on: db)
            }
        }
    }

    public static func isValidSlug(_ slug: String) -> Bool {
        (2...80).contains(slug.count)
            && slug.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            && !slug.hasPrefix("-") && !slug.hasSuffix("-")
    }

    /// `Pelatihan Dasar CPNS` → `pelatihan-dasar-cpns`.
    public static func slugify(_ text: String) -> String {
        let slug = Slugs.make(text, max: 70)
        return slug.count >= 2 ? slug : "pelatihan"
    }
}
