import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// The course as the read paths take it: the marketplace's index, the course page and its
/// prerequisites all select ``columns`` and decode this value. Plain SQL into a plain value:
/// Fluent's model decoding reflects over every property of a 35-field model on every row, which
/// costs more than the query itself. ``course`` turns the row into a model for code that wants
/// one (the JSON API answers from that model).
///
/// The column list is the model's own (`Course.keys`): it is stated once, in `Course`, and a
/// test checks that this value names every one of them.
struct CourseRow: Decodable, Sendable {
    let id: UUID
    let tenant_id: UUID
    let slug: String
    let title: String
    let summary: String
    let description: String
    let cover_path: String?
    let category_id: UUID?
    let tags: String
    let competency_type: String
    let jp: Int
    let delivery_method: String
    let micro_minutes: Int?
    let level: String
    let language: String
    let audience: String
    let audience_tenants: String
    let enrolment_mode: String
    let quota: Int?
    let enrol_opens_at: Date?
    let enrol_closes_at: Date?
    let starts_at: Date?
    let ends_at: Date?
    let status: String
    let curation: String
    let curation_reason: String
    let curated_at: Date?
    let featured: Bool
    let sequential: Bool
    let enrolled_count: Int
    let published_at: Date?
    let created_at: Date?
    let updated_at: Date?

    /// Every column of the `courses` table, as the model declares them.
    static let columns: [String] = Course.keys.map(\.description)

    /// The columns, each prefixed with `table.` for joins.
    static func selectList(_ table: String) -> String { columns.map { "\(table).\($0)" }.joined(separator: ", ") }

    /// A model with these values that Fluent treats as stored (saving it updates the row).
    var course: Course {
        let c = Course(tenantID: tenant_id, slug: slug, title: title)
        c.id = id
        c.$id.exists = true
        c.summary = summary; c.description = description; c.coverPath = cover_path; c.categoryID = category_id;
        c.tags = tags
        c.competencyType = Course.CompetencyType(rawValue: competency_type) ?? .teknis
        c.jp = jp
        c.deliveryMethod = Course.DeliveryMethod(rawValue: delivery_method) ?? .mandiri
        c.microMinutes = micro_minutes
        c.level = Course.Level(rawValue: level) ?? .dasar
        c.language = language
        c.audience = Course.Audience(rawValue: audience) ?? .all
        c.audienceTenants = audience_tenants
        c.enrolmentMode = Course.EnrolmentMode(rawValue: enrolment_mode) ?? .open
        c.quota = quota
        c.enrolOpensAt = enrol_opens_at; c.enrolClosesAt = enrol_closes_at; c.startsAt = starts_at; c.endsAt = ends_at
        c.status = Course.Status(rawValue: status) ?? .draft
        c.curation = Course.Curation(rawValue: curation) ?? .none
        c.curationReason = curation_reason
        c.curatedAt = curated_at
        c.featured = featured
        c.sequential = sequential
        c.enrolledCount = enrolled_count
        c.publishedAt = published_at
        c.createdAt = created_at
        c.updatedAt = updated_at
        return c
    }
}
