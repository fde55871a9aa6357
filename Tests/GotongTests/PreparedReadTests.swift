import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongPlatform
@testable import GotongTenancy

/// Reads stated once (``PreparedRead``): PostgreSQL prepares them per connection, SQLite runs
/// the same text. Each database must bind every value type, read columns by position, keep the
/// tenant's condition, and log the statement so that query counts see it.
@Suite("Prepared reads")
struct PreparedReadTests {
    /// A course by its tenant, title and bounds, with columns of each type read by position.
    struct CourseRead: PreparedRead {
        struct Row: Sendable {
            let id: UUID
            let title: String
            let jp: Int
            let createdAt: Date?
            let categoryID: UUID?
            let status: Course.Status
        }
        let tenantID: UUID
        let title: String
        let minimumJP: Int
        let before: Date
        let include: Bool

        static let sql = """
            SELECT id, title, jp, created_at, category_id, status FROM courses
            WHERE tenant_id = $1 AND title = $2 AND jp >= $3 AND created_at <= $4 AND ($5 OR 1 = 0)
              AND tenant_id = $1
            """

        var values: [any PreparedValue] { [tenantID, title, minimumJP, before, include] }

        static func decode(_ c: inout RowColumns) throws -> Row {
            try Row(
                id: c.next(), title: c.next(), jp: c.next(), createdAt: c.next(), categoryID: c.next(),
                status: c.next())
        }
    }

    /// Asks for one column more than the statement lists.
    struct TooManyColumns: PreparedRead {
        static let sql = "SELECT id FROM courses WHERE id = $1"
        let id: UUID
        var values: [any PreparedValue] { [id] }
        static func decode(_ c: inout RowColumns) throws -> UUID {
            _ = try c.next(UUID.self)
            return try c.next(UUID.self)
        }
    }

    /// A status read as a closed set that does not know the stored value.
    struct UnknownStatus: PreparedRead {
        enum Narrow: String { case archived }
        static let sql = "SELECT status FROM courses WHERE id = $1"
        let id: UUID
        var values: [any PreparedValue] { [id] }
        static func decode(_ c: inout RowColumns) throws -> Narrow { try c.next() }
    }

    struct CoursesBySlug: TenantRowsRead {
        typealias Model = Course
        let slug: String
        static let condition = "slug = $2"
        var values: [any PreparedValue] { [slug] }
    }

    /// Two institutions with a course each, under the same slug.
    static func twoInstitutionsSharingASlug(
        _ app: Application
    ) async throws -> (mine: Tenant, theirs: Tenant, course: Course, other: Course) {
        let given = Given(app)
        let mine = try await given.tenant()
        let theirs = try await given.tenant()
        let course = try await given.course(in: mine, activities: []).course
        let other = try await given.course(in: theirs, activities: []).course
        other.slug = course.slug
        try await other.save(on: app.db)
        return (mine, theirs, course, other)
    }

    @Test(arguments: TestDatabase.all)
    func bindsEveryValueTypeAndReadsColumnsByPosition(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a published course of 12 JP in one institution
            let given = Given(app)
            let tenant = try await given.tenant()
            let course = try await given.course(in: tenant, activities: []).course
            let read = CourseRead(
                tenantID: try tenant.requireID(), title: course.title, minimumJP: course.jp,
                before: Date().addingTimeInterval(60), include: true)

            // when it is read twice (the second time from the prepared statement on PostgreSQL)
            for _ in 0..<2 {
                let rows = try await app.db.read(read)
                // then every column comes back as stored
                let row = try #require(rows.first)
                #expect(rows.count == 1)
                #expect(row.id == course.id && row.title == course.title && row.jp == course.jp)
                #expect(row.categoryID == nil && row.status == course.status)
                let created = try #require(row.createdAt)
                #expect(abs(created.timeIntervalSince(try #require(course.createdAt))) < 1)
            }
            // and each bound value takes part in the condition
            #expect(
                try await app.db.read(
                    CourseRead(
                        tenantID: read.tenantID, title: read.title, minimumJP: read.minimumJP, before: read.before,
                        include: false)
                ).isEmpty)
            #expect(
                try await app.db.read(
                    CourseRead(
                        tenantID: read.tenantID, title: read.title, minimumJP: course.jp + 1, before: read.before,
                        include: true)
                ).isEmpty)
            #expect(
                try await app.db.read(
                    CourseRead(
                        tenantID: read.tenantID, title: read.title, minimumJP: read.minimumJP,
                        before: Date().addingTimeInterval(-3600), include: true)
                ).isEmpty)
            #expect(
                try await app.db.read(
                    CourseRead(
                        tenantID: UUID(), title: read.title, minimumJP: read.minimumJP, before: read.before,
                        include: true)
                ).isEmpty)
            // a decoder that reads past the last column, or a value its closed set lacks, fails
            let id = try course.requireID()
            await #expect(throws: (any Error).self) { try await app.db.read(TooManyColumns(id: id)) }
            await #expect(throws: (any Error).self) { try await app.db.read(UnknownStatus(id: id)) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func tenantReadsKeepTheTenantAndReadWholeModels(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given two institutions whose courses share a slug
            let (mine, theirs, course, other) = try await Self.twoInstitutionsSharingASlug(app)

            // then each tenant's read finds its own course, whole
            let found = try await TenantScope(tenantID: try mine.requireID(), db: app.db).read(
                CoursesBySlug(slug: course.slug))
            #expect(found.map(\.id) == [course.id])
            #expect(found.first?.title == course.title && found.first?.$id.exists == true)
            let theirsFound = try await TenantScope(tenantID: try theirs.requireID(), db: app.db).read(
                CoursesBySlug(slug: course.slug))
            #expect(theirsFound.map(\.id) == [other.id])
        }
    }

    /// On PostgreSQL the statement is really prepared on the connection, under its own name;
    /// on both, it is logged as every statement is, so query budgets count it.
    @Test(arguments: TestDatabase.all)
    func isPreparedOnPostgresAndCountedOnBoth(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let counter = QueryCounter(app)
            let tenant = try await Given(app).tenant()
            let read = CoursesBySlug(slug: "tidak-ada")
            let counted = try await counter.count {
                try await TenantScope(tenantID: try tenant.requireID(), db: try counter.database(app)).read(read)
            }
            #expect(counted.statements.count == 1)
            #expect(counted.statements.first?.contains("slug = ") == true)
            guard db == .postgres else { return }
            let name = PostgresStatement<TenantRows<CoursesBySlug>>.name
            #expect(name.utf8.count < 64)
            let prepared = try await app.db.withConnection { connection in
                _ = try await TenantScope(tenantID: try tenant.requireID(), db: connection).read(read)
                return try await connection.sql.raw("SELECT name FROM pg_prepared_statements").all()
                    .map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(prepared.contains(name))
        }
    }

    @Test func placeholdersAreCutOutOfTheText() {
        typealias Part = PlaceholderText.Part
        #expect(
            PlaceholderText("a = $1 AND b = $2 OR c = $1").parts == [
                .text("a = "), .value(0), .text(" AND b = "), .value(1), .text(" OR c = "), .value(0),
            ])
        #expect(PlaceholderText("x = $12").parts == [.text("x = "), .value(11)])
        #expect(PlaceholderText("'$' || $a || $0 || $").parts == [.text("'$' || $a || $0 || $")])
        #expect(PlaceholderText("$1$2").parts == [.value(0), .value(1)])
        #expect(PlaceholderText("").parts.isEmpty)
    }

    @Test func statementNamesAreShortAndDistinct() {
        let a = PostgresStatement<TenantRows<CoursesBySlug>>.name
        let b = PostgresStatement<CourseRead>.name
        #expect(a != b && a.utf8.count < 64 && b.utf8.count < 64)
        #expect(a == PostgresStatement<TenantRows<CoursesBySlug>>.name)
    }
}
