import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// A topic (topik) of a course: an ordered group of activities.
public final class CourseSection: TenantOwned, @unchecked Sendable {
    public static let schema = "course_sections"
    public static var tenantKey: KeyPath<CourseSection, FieldProperty<CourseSection, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    /// Order within the course, from 1.
    @Field(key: "position") public var position: Int
    @Field(key: "title") public var title: String
    /// Hidden sections (and their activities) are seen by staff only.
    @Field(key: "hidden") public var hidden: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $courseID, $position, $title, $hidden, $createdAt] }

    public init(tenantID: UUID, courseID: UUID, position: Int, title: String) {
        self.tenantID = tenantID
        self.courseID = courseID
        self.position = position
        self.title = title
        hidden = false
    }
}
