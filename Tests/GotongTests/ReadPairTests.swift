import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongPlatform
@testable import GotongTenancy

extension PreparedReadTests.CourseRead: CombinableRead {
    static let columnCount = 6
}

/// Two prepared reads in one statement (``Database/read(_:and:)``): each must get exactly the
/// rows it gets alone, with its own values bound, whether the other finds rows or not, and a
/// model read in the second part must come back whole, as Fluent reads it.
@Suite("Two reads in one statement")
struct ReadPairTests {
    typealias CourseRead = PreparedReadTests.CourseRead
    typealias CoursesBySlug = PreparedReadTests.CoursesBySlug

    struct Setup {
        let mine: Tenant
        let theirs: Tenant
        let course: Course
        let other: Course
    }

    /// Two institutions with a course each, under the same slug.
    static func setUp(_ app: Application) async throws -> Setup {
        let (mine, theirs, course, other) = try await PreparedReadTests.twoInstitutionsSharingASlug(app)
        return Setup(mine: mine, theirs: theirs, course: course, other: other)
    }

    static func read(_ course: Course, include: Bool = true) -> CourseRead {
        CourseRead(
            tenantID: course.tenantID, title: course.title, minimumJP: course.jp,
            before: Date().addingTimeInterval(60), include: include)
    }

    @Test(arguments: TestDatabase.all)
    func eachReadGetsWhatItGetsAloneInOneStatement(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course read in one institution and a model read in the other
            let s = try await Self.setUp(app)
            let counter = QueryCounter(app)
            let handle = try counter.database(app)
            let theirs = TenantScope(tenantID: try s.theirs.requireID(), db: handle)
            let first = Self.read(s.course)
            let second = TenantRows(tenantID: try s.theirs.requireID(), read: CoursesBySlug(slug: s.course.slug))

            // when both are read together (twice: the second time prepared on PostgreSQL)
            for _ in 0..<2 {
                let (paired, counted) = try await counter.count { try await handle.read(first, and: second) }

                // then it is one statement, and each part is what each read gets alone
                #expect(counted.count == 1)
                #expect(paired.0.map(\.id) == [s.course.id])
                #expect(paired.0.first?.title == s.course.title && paired.0.first?.status == s.course.status)
                #expect(paired.1.map(\.id) == [s.other.id])
                #expect(try await theirs.read(CoursesBySlug(slug: s.course.slug)).map(\.id) == [s.other.id])
            }
            // either part may be empty, and each keeps its own values ($1 of each is its own)
            let none = try await handle.read(Self.read(s.course, include: false), and: second)
            #expect(none.0.isEmpty && none.1.map(\.id) == [s.other.id])
            let nothingThere = TenantRows(tenantID: try s.theirs.requireID(), read: CoursesBySlug(slug: "tidak-ada"))
            let onlyFirst = try await handle.read(first, and: nothingThere)
            #expect(onlyFirst.0.map(\.id) == [s.course.id] && onlyFirst.1.isEmpty)
            let mineToo = TenantRows(tenantID: try s.mine.requireID(), read: CoursesBySlug(slug: s.course.slug))
            #expect(try await handle.read(first, and: mineToo).1.map(\.id) == [s.course.id])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aModelReadByPositionIsTheModelFluentReads(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course with an empty optional field and each kind of value
            let s = try await Self.setUp(app)
            let stored = try #require(try await Course.find(s.other.requireID(), on: app.db))
            #expect(stored.categoryID == nil)

            // when it is read by position, in the second part of a pair and in a read of its own
            let second = TenantRows(tenantID: try s.theirs.requireID(), read: CoursesBySlug(slug: s.course.slug))
            let paired = try #require(try await app.db.read(Self.read(s.course), and: second).1.first)
            let alone = try #require(try await app.db.read(second).first)

            // then every field is what Fluent read, and the model is stored and unchanged
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(try encoder.encode(paired) == encoder.encode(stored))
            #expect(try encoder.encode(alone) == encoder.encode(stored))
            #expect(paired.$id.exists && !paired.hasChanges)
            // so a save writes only what changed
            paired.title = "Judul baru"
            try await paired.save(on: app.db)
            #expect(try await Course.find(s.other.requireID(), on: app.db)?.title == "Judul baru")
        }
    }

    @Test func theSecondReadsPlaceholdersFollowTheFirsts() {
        let first = PlaceholderText("a = $1 AND b = $3 OR c = $1")
        #expect(first.valueCount == 3)
        #expect(PlaceholderText("x = '$1'").valueCount == 1)
        #expect(PlaceholderText("no values").valueCount == 0)
        #expect(
            PlaceholderText("x = $1 AND y = $2 AND '$' = $1").text(shiftedBy: 3) == "x = $4 AND y = $5 AND '$' = $4")
        // the pair's own text binds the first read's values, then the second's
        let text = PlaceholderText(ReadPair<CourseRead, TenantRows<CoursesBySlug>>.sql)
        #expect(text.valueCount == 5 + 2)
    }
}
