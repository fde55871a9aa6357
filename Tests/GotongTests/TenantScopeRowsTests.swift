import Fluent
import Foundation
import SQLKit
import Testing
@testable import GotongCatalog
@testable import GotongTenancy

/// Plain-SQL reads through the tenant scope (``TenantScope/rows(_:where:order:limit:)``): the
/// tenant's condition is always there, and the models come back whole.
@Suite("Plain reads through the tenant scope")
struct TenantScopeRowsTests {
    @Test(arguments: TestDatabase.all)
    func readsOnlyItsTenantsRowsWholeInOrder(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given two institutions, each with courses, one slug in both
            let given = Given(app)
            let mine = try await given.tenant()
            let theirs = try await given.tenant()
            let a = try await given.course(in: mine, activities: []).course
            let b = try await given.course(in: mine, activities: []).course
            let other = try await given.course(in: theirs, activities: []).course
            other.slug = a.slug
            try await other.save(on: app.db)
            let scope = TenantScope(tenantID: try mine.requireID(), db: app.db)

            // then a condition that matches both tenants' rows returns only this tenant's
            let bySlug = try await scope.rows(Course.self, where: "slug = \(bind: a.slug)")
            #expect(bySlug.map(\.id) == [a.id])
            // with every column read, as Fluent reads them
            let read = try #require(bySlug.first)
            #expect(read.title == a.title && read.tenantID == a.tenantID && read.jp == a.jp)
            #expect(read.createdAt != nil && read.$id.exists)
            // and order and limit apply within the tenant
            let all = try await scope.rows(Course.self, where: "1 = 1", order: "title DESC")
            #expect(Set(all.map(\.id)).isSuperset(of: [a.id, b.id]))
            #expect(!all.contains { $0.tenantID != mine.id })
            #expect(all.map(\.title) == all.map(\.title).sorted(by: >))
            #expect(try await scope.rows(Course.self, where: "1 = 1", limit: 1).count == 1)
        }
    }
}
