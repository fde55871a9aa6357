import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The walk's judging rules, tried on made-up answers so they are known to fire.
extension RouteWalkTests {
    // MARK: The rules themselves

    /// The rules catch what they are meant to on made-up answers, so a walk that finds nothing
    /// means the product refused, not that a rule never fires.
    @Test func theRulesFireOnMadeUpAnswers() async throws {
        try await withConfiguredApp { app in
            let other = WalkRecords(
                slug: "bppk", tenantID: UUID(), courseID: UUID(), courseSlug: "x", sectionID: UUID(), activities: [:],
                threadID: nil, enrolmentID: nil, categoryID: nil, importID: nil)
            let admin = WalkCaller(app: app, role: "admin", email: "admin@bps.gotong.test")
            admin.memberOf = ["bps"]
            let learner = WalkCaller(app: app, role: "peserta", email: "peserta1@bps.gotong.test")
            learner.memberOf = ["bps"]
            let platform = WalkCaller(app: app, role: "admin-platform", email: DemoData.platformAdminEmail)
            platform.isPlatformAdmin = true
            struct Case {
                let key: String; let variant: Variant; let status: HTTPStatus; var location: String? = nil;
                var body = ""
                let caller: WalkCaller; let expected: [String]
            }
            let cases: [Case] = [
                .init(
                    key: "GET /t/:tenantSlug/kelola/anggota", variant: .foreign, status: .ok, caller: admin,
                    expected: ["other-tenant-answered"]),
                .init(
                    key: "GET /t/:tenantSlug/kelola/anggota", variant: .foreign, status: .notFound, caller: admin,
                    expected: []),
                .init(
                    key: "GET /t/:tenantSlug/kelola/anggota", variant: .foreign, status: .notFound,
                    body: "… RWSECRET-bppk …",
                    caller: admin,
                    expected: ["other-tenant-data-in-body"]),
                .init(
                    key: "POST /t/:tenantSlug/kelola/kategori", variant: .foreign, status: .seeOther,
                    location: "/t/bppk/kelola", caller: admin,
                    expected: ["other-tenant-answered"]),
                .init(
                    key: "POST /t/:tenantSlug/kelola/kategori", variant: .foreign, status: .seeOther,
                    location: "/masuk?next=/x", caller: admin, expected: []),
                // The marketplace is public.
                .init(
                    key: "GET /t/:tenantSlug/pelatihan/:courseSlug", variant: .foreign, status: .ok, caller: admin,
                    expected: []),
                .init(
                    key: "GET /t/:tenantSlug/kelola/pelatihan/:courseID", variant: .mixed, status: .ok, caller: admin,
                    expected: ["mixed-ids-answered"]),
                .init(
                    key: "GET /t/:tenantSlug/kelola/anggota", variant: .own, status: .ok, caller: learner,
                    expected: ["management-answered-learner"]),
                .init(
                    key: "GET /admin/instansi", variant: .own, status: .ok, caller: admin,
                    expected: ["platform-only-answered"]),
                .init(
                    key: "GET /katalog", variant: .own, status: .internalServerError, caller: admin, expected: ["5xx"]),
                .init(
                    key: "DELETE /api/v1/tokens/:tokenID", variant: .foreign, status: .noContent, caller: platform,
                    expected: ["other-person-answered"]),
                .init(
                    key: "GET /atur-sandi/:token", variant: .foreign, status: .ok, body: "peserta1@bppk.gotong.test",
                    caller: admin, expected: []),
            ]
            for c in cases {
                let r = try #require(app.routes.all.first { RouteWalk.key($0) == c.key }, "no route \(c.key)")
                let call = Call(
                    route: r, key: c.key, path: "/x", variant: c.variant, note: "", rank: 0, courseID: other.courseID)
                let found = try await Self.judge(
                    call, WalkReply(status: c.status, location: c.location, body: c.body), caller: c.caller,
                    other: other, app: app, phase: "test"
                ).map(\.kind)
                #expect(found == c.expected, "\(c.key) (\(c.variant), \(c.status.code)) as \(c.caller.role)")
            }
        }
    }
}
