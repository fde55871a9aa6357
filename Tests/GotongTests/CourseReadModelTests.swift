import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongPlatform
@testable import GotongTenancy

/// The course's read model (`CourseRow`) against the model that declares the table.
@Suite("Course read model")
struct CourseReadModelTests {
    @Test(arguments: TestDatabase.all)
    func theReadModelReadsEveryColumnTheModelDeclares(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a saved course
            let given = Given(app)
            let built = try await given.course(in: try await given.tenant(), activities: [])

            // when it is read as the read paths read it
            let id = try #require(built.course.id)
            let row = try #require(
                try await app.db.sql.raw(
                    "SELECT \(unsafeRaw: CourseRow.selectList("c")) FROM courses c WHERE c.id = \(bind: id)"
                ).first(decoding: CourseRow.self))

            // then the value holds every column of the model, no more, and reads back the same course
            let fields = Set(Mirror(reflecting: row).children.compactMap(\.label))
            #expect(fields == Set(Course.keys.map(\.description)))
            #expect(row.course.title == built.course.title)
            #expect(row.course.slug == built.course.slug)
            #expect(row.course.jp == built.course.jp)
            #expect(row.course.createdAt != nil)
        }
    }
}
