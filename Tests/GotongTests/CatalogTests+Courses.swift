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

/// Prerequisites, assignments, audiences, copies, web enrolment, the storefront and staff pages.
extension CatalogTests {
    @Test(arguments: TestDatabase.all)
    func prerequisitesCannotGoInACircle(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup: the demo's advanced budget course needs the basic one
            let admin = try await APIClient.signIn(app, "admin@bppk.gotong.test")
            let basic = try await Self.courseID(app, "Pengelolaan Keuangan Negara")
            let advanced = try #require(
                try await Course.query(on: app.db).filter(\.$title == "Penyusunan Anggaran Berbasis Kinerja").first())
            let created = try await admin.call(
                .POST, "/api/v1/tenants/bppk/courses", ["title": "Audit Kinerja", "prerequisites": [advanced.slug]])
            let third = try #require(created["id"] as? String)

            // MUT: the basic course would need the third, which needs the advanced, which needs the basic
            let loop = try await admin.call(
                .PATCH, "/api/v1/tenants/bppk/courses/\(basic)", ["prerequisites": ["audit-kinerja"]])

            // validate
            #expect(loop.status == .unprocessableEntity)
            #expect(loop.fields == ["prerequisites"])
            #expect(loop.messages.first?.contains("Audit Kinerja") == true)
            #expect(try await CoursePrerequisite.query(on: app.db).filter(\.$courseID == basic).count() == 0)
            #expect(
                try await admin.call(.PATCH, "/api/v1/tenants/bppk/courses/\(third)", ["prerequisites": []]).status
                    == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func assignmentIsAllOrNothingAndShowsAsRequired(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let id = try await Self.courseID(app, "Literasi Digital ASN")
            let admin = try await APIClient.signIn(app, "admin@bpsdm-jabar.gotong.test")
            let before = try await Enrolment.query(on: app.db).filter(\.$courseID == id).count()

            let bad = try await admin.call(
                .POST, "/api/v1/tenants/bpsdm-jabar/courses/\(id)/assignments?due_at=2099-06-30",
                csv: "email\npeserta1@bpsdm-jabar.gotong.test\nbelum.ada@contoh.go.id\n"
                    + "peserta1@bpsdm-jabar.gotong.test\npeserta1@bppk.gotong.test\nbukan-email\n"
            )
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.rows == [3, 4, 5, 6])
            #expect(try await Enrolment.query(on: app.db).filter(\.$courseID == id).count() == before)

            let done = try await admin.call(
                .POST, "/api/v1/tenants/bpsdm-jabar/courses/\(id)/assignments",
                ["unit_kerja": "Unit Pelatihan BPSDM-JABAR", "due_at": "2099-06-30"])
            #expect(done.status == .created)
            #expect(done["people"] as? Int == 5)
            #expect(done["newly_enrolled"] as? Int == 5)

            let learner = try await APIClient.signIn(app, "peserta1@bpsdm-jabar.gotong.test")
            let mine = try await learner.call(.GET, "/api/v1/me/courses")
            let row = try #require(
                (mine["courses"] as? [[String: Any]])?.first { $0["title"] as? String == "Literasi Digital ASN" })
            #expect(row["group"] as? String == "required")
            #expect((row["due_at"] as? String)?.hasPrefix("2099-06-30") == true)
            #expect(row["overdue"] as? Bool == false)
            #expect(
                try await Self.notifications(learner).contains {
                    $0.contains("Literasi Digital ASN") && $0.contains("30 Jun 2099")
                })
            #expect(try await learner.call(.DELETE, "/api/v1/courses/\(id)/enrolments/me").status == .conflict)
            // Assigned-only courses take no self-enrolment.
            let outsider = try await APIClient.signIn(app, "peserta1@bps.gotong.test")
            let refused = try await outsider.call(.POST, "/api/v1/courses/\(id)/enrolments")
            #expect(refused.status == .conflict)
            #expect(refused.messages.first?.contains("penugasan") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func ownInstitutionCoursesStayWithTheirPeople(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let id = try await Self.courseID(app, "Kepemimpinan Pengawas")
            let outsider = try await APIClient.signIn(app, "peserta1@bppk.gotong.test")
            let member = try await APIClient.signIn(app, "asn@gotong.test")
            #expect(
                !Self.titles(try await outsider.call(.GET, "/api/v1/catalog?q=pengawas")).contains(
                    "Kepemimpinan Pengawas"))
            #expect(
                Self.titles(try await member.call(.GET, "/api/v1/catalog?q=pengawas")).contains("Kepemimpinan Pengawas")
            )
            #expect(try await outsider.call(.POST, "/api/v1/courses/\(id)/enrolments").status == .forbidden)
            #expect(try await member.call(.POST, "/api/v1/courses/\(id)/enrolments").status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func templateCoursesAreClonedAndCoursesDuplicated(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: false) { app, _ in
            // setup: put a template course in a master category
            let master = try await Tenant.master(on: app.db)
            let masterScope = TenantScope(tenantID: try master.requireID(), db: app.db)
            let category = try #require(try await masterScope.query(TenantCategory.self).first())
            let template = try #require(
                try await masterScope.query(Course.self).filter(\.$slug == "nilai-dasar-berakhlak").first())
            template.categoryID = category.id
            try await template.save(on: app.db)

            // MUT
            let tenant = try await TenantProvisioner(db: app.db, cloners: app.tenantCloners)
                .provision(.init(slug: "bkn", name: "Badan Kepegawaian Negara", kind: .lembaga)).tenant

            // validate
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let copies = try await scope.query(Course.self).sort(\.$slug).all()
            #expect(copies.map(\.slug) == ["nilai-dasar-berakhlak", "orientasi-belajar"])
            #expect(copies.allSatisfy { $0.status == .draft && $0.curation == .none })
            let copiedCategory = try #require(try await scope.find(TenantCategory.self, copies[0].categoryID))
            #expect(copiedCategory.slug == category.slug)
            #expect(try await masterScope.query(Course.self).count() == 2)

            let duplicate = try await CourseWorkflow(db: app.db).duplicate(copies[1], titlePrefix: "Salinan: ")
            #expect(duplicate.title == "Salinan: Orientasi Belajar Daring")
            #expect(duplicate.slug == "orientasi-belajar-salinan")
            #expect(duplicate.status == .draft && duplicate.tenantID == tenant.id)
        }
    }

    @Test(arguments: TestDatabase.all)
    func webEnrolmentNeedsNoSecondSignInAndMyCoursesGroupsThem(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let browser = Browser(app)
            try await browser.signIn("asn@gotong.test")
            let search = try await browser.get("/katalog?q=statistik&tenant=bps")
            #expect(search.status == .ok)
            #expect(search.body.string.contains("/t/bps/pelatihan/statistik-dasar-untuk-asn"))
            #expect(search.body.string.contains("Pusdiklat Badan Pusat Statistik"))

            let enrol = try await browser.post("/t/bps/pelatihan/statistik-dasar-untuk-asn/ikuti")
            #expect(enrol.status == .seeOther)
            #expect(enrol.headers.first(name: .location) == "/t/bps/pelatihan/statistik-dasar-untuk-asn")
            let page = try await browser.get("/t/bps/pelatihan/statistik-dasar-untuk-asn")
            #expect(page.body.string.contains("Anda terdaftar"))

            let mine = try await browser.get("/saya").body.string
            let required = try #require(mine.range(of: "Wajib"))
            let inProgress = try #require(mine.range(of: "Sedang diikuti"))
            let finished = try #require(mine.range(of: "<h2>Selesai"))
            #expect(mine[required.upperBound..<inProgress.lowerBound].contains("Literasi Digital ASN"))
            #expect(mine[inProgress.upperBound..<finished.lowerBound].contains("Statistik Dasar untuk ASN"))
            #expect(mine[finished.upperBound...].contains("Orientasi Belajar di Gotong"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func storefrontShowsFeaturedNewestAndCategories(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup: feature one BPPK course and file another under a category
            let scope = TenantScope(
                tenantID: try #require(try await Tenant.find(slug: "bppk", on: app.db)).requireID(), db: app.db)
            let category = try #require(try await scope.query(TenantCategory.self).sort(\.$position).first())
            let featured = try #require(
                try await scope.query(Course.self).filter(\.$title == "Pengelolaan Keuangan Negara").first())
            featured.featured = true
            featured.categoryID = category.id
            try await featured.save(on: app.db)

            // MUT
            let front = try await Browser(app).get("/t/bppk").body.string
            let listed = try await Browser(app).get("/t/bppk/pelatihan?kategori=\(category.slug)").body.string

            // validate: the featured course sits under its own heading, before the newest ones
            let featuredHeading = try #require(front.range(of: "Pelatihan unggulan"))
            let newestHeading = try #require(front.range(of: "Pelatihan terbaru"))
            #expect(
                front[featuredHeading.upperBound..<newestHeading.lowerBound].contains("Pengelolaan Keuangan Negara"))
            #expect(front[newestHeading.upperBound...].contains("Penyusunan Anggaran Berbasis Kinerja"))
            #expect(
                front.contains(
                    "/t/bppk/pelatihan?kategori=\(category.slug)\">\(category.name) <span class=\"muted\">(1)</span>"))
            #expect(listed.contains("Pengelolaan Keuangan Negara"))
            #expect(!listed.contains("Penyusunan Anggaran Berbasis Kinerja"), "only the chosen category")
            #expect(
                try await Browser(app).get("/t/bppk/pelatihan").body.string.contains(
                    "Penyusunan Anggaran Berbasis Kinerja"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func staffPagesRenderAndAFormWithMistakesKeepsWhatWasTyped(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let id = try await Self.courseID(app, "Pengelolaan Kinerja ASN")
            let coordinator = Browser(app)
            try await coordinator.signIn("pengelola@lan.gotong.test")
            for path in [
                "/t/lan/kelola/pelatihan", "/t/lan/kelola/pelatihan/baru", "/t/lan/kelola/pelatihan/\(id)",
                "/t/lan/kelola/pelatihan/\(id)/peserta", "/t/lan/kelola/pelatihan/\(id)/penugasan",
                "/t/lan/pelatihan/pengelolaan-kinerja-asn", "/katalog?q=kinerja&competency_type=manajerial", "/saya",
                "/notifikasi",
            ] {
                let page = try await coordinator.get(path)
                #expect(page.status == .ok, "\(path) answered \(page.status)")
                #expect(page.body.string.contains("</html>"), "\(path) did not render")
            }
            let before = try await Course.query(on: app.db).count()
            let refused = try await coordinator.post(
                "/t/lan/kelola/pelatihan/baru",
                form: ["title": "Etika Bermedia Sosial", "jp": "nol", "delivery_method": "mikro"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Etika Bermedia Sosial"))
            #expect(refused.body.string.contains("JP harus bilangan bulat"))
            #expect(try await Course.query(on: app.db).count() == before)
            let created = try await coordinator.post(
                "/t/lan/kelola/pelatihan/baru",
                form: [
                    "title": "Etika Bermedia Sosial", "jp": "2", "delivery_method": "mikro", "micro_minutes": "12",
                    "competency_type": "sosial_kultural",
                    "level": "dasar", "language": "id", "audience": "all", "enrolment_mode": "open",
                ])
            #expect(created.status == .seeOther)
            #expect(
                try await Course.query(on: app.db).filter(\.$title == "Etika Bermedia Sosial").first()?.microMinutes
                    == 12)
            // Publishing is the administrator's.
            let course = try #require(
                try await Course.query(on: app.db).filter(\.$title == "Etika Bermedia Sosial").first())
            #expect(
                try await coordinator.post("/t/lan/kelola/pelatihan/\(course.requireID())/terbitkan").status
                    == .forbidden)

            // A cover picture is checked by its bytes, then shown on the course page.
            let fields = [
                "title": "Etika Bermedia Sosial", "jp": "2", "delivery_method": "mikro", "micro_minutes": "12",
            ]
            let notAPicture = try await coordinator.upload(
                "/t/lan/kelola/pelatihan/\(course.requireID())", field: "cover", filename: "sampul.png",
                contentType: "image/png", data: Data("<svg onload=alert(1)>".utf8), form: fields)
            #expect(notAPicture.status == .unprocessableEntity)
            #expect(notAPicture.body.string.contains("PNG atau JPEG"))
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 64))
            let stored = try await coordinator.upload(
                "/t/lan/kelola/pelatihan/\(course.requireID())", field: "cover", filename: "sampul.png",
                contentType: "image/png", data: png, form: fields)
            #expect(stored.status == .seeOther)
            let picture = try await coordinator.get("/t/lan/pelatihan/\(course.slug)/sampul")
            #expect(picture.status == .ok)
            #expect(picture.headers.contentType == .png)
            #expect(
                try await Browser(app).get("/t/lan/pelatihan/\(course.slug)/sampul").status == .notFound,
                "a draft's cover stays with its staff")

            let curator = Browser(app)
            try await curator.signIn(DemoData.platformAdminEmail)
            #expect(try await curator.get("/admin/kurasi").status == .ok)
            #expect(try await curator.get("/admin/master/pelatihan").body.string.contains("Orientasi Belajar Daring"))
            #expect(try await Browser(app).get("/t/lan/kelola/pelatihan").status == .seeOther)
        }
    }
}
