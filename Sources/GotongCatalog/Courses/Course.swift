import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// A training course (pelatihan) offered by one tenant. It reaches the tenant's storefront when
/// published and the marketplace only after a platform curator approves it.
public final class Course: TenantOwned, @unchecked Sendable {
    public static let schema = "courses"
    public static var tenantKey: KeyPath<Course, FieldProperty<Course, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// Address part, unique within the tenant: `/t/{tenant}/pelatihan/{slug}`.
    @Field(key: "slug") public var slug: String
    @Field(key: "title") public var title: String
    @Field(key: "summary") public var summary: String
    /// Markdown, rendered safely by ``SafeMarkdown``.
    @Field(key: "description") public var description: String
    @OptionalField(key: "cover_path") public var coverPath: String?
    @OptionalField(key: "category_id") public var categoryID: UUID?
    /// Free tags, comma separated (see ``tagList``).
    @Field(key: "tags") public var tags: String
    @Enum(key: "competency_type") public var competencyType: CompetencyType
    /// Lesson hours; 1 JP = 45 minutes.
    @Field(key: "jp") public var jp: Int
    @Enum(key: "delivery_method") public var deliveryMethod: DeliveryMethod
    /// Length of a microlearning unit, for delivery method `mikro`.
    @OptionalField(key: "micro_minutes") public var microMinutes: Int?
    @Enum(key: "level") public var level: Level
    /// `id` or `en`.
    @Field(key: "language") public var language: String
    @Enum(key: "audience") public var audience: Audience
    /// For audience `listed`: the ids of the tenants whose people may enrol, comma separated.
    @Field(key: "audience_tenants") public var audienceTenants: String
    @Enum(key: "enrolment_mode") public var enrolmentMode: EnrolmentMode
    /// Seats; nil means unlimited.
    @OptionalField(key: "quota") public var quota: Int?
    @OptionalField(key: "enrol_opens_at") public var enrolOpensAt: Date?
    @OptionalField(key: "enrol_closes_at") public var enrolClosesAt: Date?
    /// Nil start and end: always open (self-paced).
    @OptionalField(key: "starts_at") public var startsAt: Date?
    @OptionalField(key: "ends_at") public var endsAt: Date?
    @Enum(key: "status") public var status: Status
    @Enum(key: "curation") public var curation: Curation
    @Field(key: "curation_reason") public var curationReason: String
    @OptionalField(key: "curated_at") public var curatedAt: Date?
    @Field(key: "featured") public var featured: Bool
    /// Step-by-step release: each activity opens only when the previous required one is done.
    @Field(key: "sequential") public var sequential: Bool
    /// Seats taken; changed only by the enrolment service's atomic updates.
    @Field(key: "enrolled_count") public var enrolledCount: Int
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $slug, $title, $summary, $description, $coverPath, $categoryID, $tags, $competencyType, $jp,
            $deliveryMethod, $microMinutes, $level, $language, $audience, $audienceTenants, $enrolmentMode, $quota,
            $enrolOpensAt, $enrolClosesAt, $startsAt, $endsAt, $status, $curation, $curationReason, $curatedAt,
            $featured, $sequential, $enrolledCount, $publishedAt, $createdAt, $updatedAt,
        ]
    }

    public init(tenantID: UUID, slug: String, title: String) {
        self.tenantID = tenantID
        self.slug = slug
        self.title = title
        summary = ""
        description = ""
        tags = ""
        competencyType = .teknis
        jp = 2
        deliveryMethod = .mandiri
        level = .dasar
        language = "id"
        audience = .all
        audienceTenants = ""
        enrolmentMode = .open
        status = .draft
        curation = .none
        curationReason = ""
        featured = false
        sequential = false
        enrolledCount = 0
    }

    public enum CompetencyType: String, Codable, CaseIterable, Sendable {
        case manajerial, teknis, sosialKultural = "sosial_kultural"
    }

    public enum DeliveryMethod: String, Codable, CaseIterable, Sendable {
        case mandiri, mikro, blended, sinkron, klasikal
    }

    public enum Level: String, Codable, CaseIterable, Sendable {
        case dasar, menengah, lanjut
    }

    public enum Audience: String, Codable, CaseIterable, Sendable {
        /// Every ASN.
        case all
        /// People of the offering tenant only.
        case own
        /// People of the tenants listed in `audienceTenants`.
        case listed
    }

    public enum EnrolmentMode: String, Codable, CaseIterable, Sendable {
        case open, approval, assigned
    }

    /// The editorial workflow: draft → submitted → published → archived.
    public enum Status: String, Codable, CaseIterable, Sendable {
        case draft, submitted, published, archived
    }

    /// The platform curator's decision on entering the marketplace.
    public enum Curation: String, Codable, CaseIterable, Sendable {
        case none, pending, approved, rejected
    }

    public var tagList: [String] { Self.tagList(tags) }

    public var audienceTenantIDs: [UUID] { Self.tenantIDs(audienceTenants) }

    /// The tags as stored (`"anggaran, apbn"`), as a list.
    static func tagList(_ stored: String) -> [String] {
        stored.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The audience's tenants as stored (comma-separated ids), as a list.
    static func tenantIDs(_ stored: String) -> [UUID] {
        stored.split(separator: ",").compactMap { UUID(uuidString: String($0)) }
    }

    /// Whether the course is in the marketplace: published and approved by a curator.
    public var isInMarketplace: Bool { status == .published && curation == .approved }

    /// What the marketplace shows of a course and the curator approved: a change to any of it
    /// must be seen by the curator again. (Seats, dates, staff and release rules are the
    /// institution's own business and change freely.)
    struct MarketplaceFacts: Equatable {
        let title, slug, summary, description, tags, language: String
        let coverPath: String?
        let categoryID: UUID?
        let competencyType: CompetencyType
        let deliveryMethod: DeliveryMethod
        let level: Level
        let jp: Int
        let microMinutes: Int?
    }

    var marketplaceFacts: MarketplaceFacts {
        MarketplaceFacts(
            title: title, slug: slug, summary: summary, description: description, tags: tags, language: language,
            coverPath: coverPath, categoryID: categoryID, competencyType: competencyType,
            deliveryMethod: deliveryMethod,
            level: level, jp: jp, microMinutes: microMinutes)
    }

    /// An approved course whose shown facts changed leaves the marketplace until the curator
    /// approves it again. It stays on its institution's storefront and open to its learners;
    /// what was approved is not kept beside the change, so the marketplace never shows text
    /// no curator has read.
    func needsCurationAgain() {
        guard curation == .approved || curation == .rejected else { return }
        curation = .pending
        curationReason = ""
    }

    /// Whether the enrolment window includes `now` and the course has not ended.
    public func isEnrolmentOpen(at now: Date) -> Bool {
        guard status == .published, enrolmentMode != .assigned else { return false }
        if let opens = enrolOpensAt, now < opens { return false }
        if let closes = enrolClosesAt, now > closes { return false }
        if let ends = endsAt, now > ends { return false }
        return true
    }

    public var seatsLeft: Int? { quota.map { max(0, $0 - enrolledCount) } }
}

/// A trainer (pengajar) or coordinator (pengelola) of one course.
public final class CourseStaff: TenantOwned, @unchecked Sendable {
    public static let schema = "course_staff"
    public static var tenantKey: KeyPath<CourseStaff, FieldProperty<CourseStaff, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// `pengajar` or `pengelola`.
    @Enum(key: "role") public var role: Role

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $courseID, $personID, $role] }

    public init(tenantID: UUID, courseID: UUID, personID: UUID, role: Role) {
        self.tenantID = tenantID
        self.courseID = courseID
        self.personID = personID
        self.role = role
    }
}

/// A course that must be finished before another can be entered.
public final class CoursePrerequisite: TenantOwned, @unchecked Sendable {
    public static let schema = "course_prerequisites"
    public static var tenantKey: KeyPath<CoursePrerequisite, FieldProperty<CoursePrerequisite, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "required_course_id") public var requiredCourseID: UUID

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $courseID, $requiredCourseID] }

    public init(tenantID: UUID, courseID: UUID, requiredCourseID: UUID) {
        self.tenantID = tenantID
        self.courseID = courseID
        self.requiredCourseID = requiredCourseID
    }
}
