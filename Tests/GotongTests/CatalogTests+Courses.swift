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
        try await withGotong(db) { app, _ in
            // setup: an advanced budget course needs the basic one
            let given = Given(app)
            let bppk = try await given.tenant()
            let admin = try await given.api(as: try await given.person(in: bppk, roles: [.admin]))
            let basicCourse = try await given.course(in: bppk, "Pengelolaan Keuangan Negara", activities: []).course
            let basic = try basicCourse.requireID()
            let advanced = try await given.course(
                in: bppk, "Penyusunan Anggaran", activities: [], prerequisites: [basicCourse]
            ).course
            let courses = "/api/v1/tenants/\(bppk.slug)/courses"
            let created = try await admin.call(
                .POST, courses, ["title": "Audit Kinerja", "prerequisites": [advanced.slug]])
            let third = try #require(created["id"] as? String)

            // MUT: the basic course would need the third, which needs the advanced, which needs the basic
            let loop = try await admin.call(
                .PATCH, "\(courses)/\(basic)", ["prerequisites": ["audit-kinerja"]])

            // validate
            #expect(loop.status == .unprocessableEntity)
            #expect(loop.fields == ["prerequisites"])
            #expect(loop.messages.first?.contains("Audit Kinerja") == true)
            #expect(try await CoursePrerequisite.query(on: app.db).filter(\.$courseID == basic).count() == 0)
            #expect(
                try await admin.call(.PATCH, "\(courses)/\(third)", ["prerequisites": []]).status
                    == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func assignmentIsAllOrNothingAndShowsAsRequired(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: an assigned-only course of an institution whose five members share a work unit
            let given = Given(app)
            let jabar = try await given.tenant()
            let built = try await given.course(in: jabar, "Literasi Digital ASN", activities: [], enrolment: .assigned)
            let id = try built.course.requireID()
            var members: [Person] = []
            for role in [Role.admin, .pengelola, .pengajar, .peserta, .peserta] {
                let member = try await given.person(in: jabar, roles: [role])
                member.unitKerja = "Unit Pelatihan BPSDM-JABAR"
                try await member.save(on: app.db)
                members.append(member)
            }
            let (adminPerson, peserta1) = (members[0], members[3])
            let otherTenant = try await given.tenant()
            let elsewhere = try await given.person(in: otherTenant)
            let admin = try await given.api(as: adminPerson)
            let assignments = "/api/v1/tenants/\(jabar.slug)/courses/\(id)/assignments"
            let before = try await Enrolment.query(on: app.db).filter(\.$courseID == id).count()

            // MUT: a list with mistakes, then the work unit
            let bad = try await admin.call(
                .POST, "\(assignments)?due_at=2099-06-30",
                csv: "email\n\(peserta1.email)\nbelum.ada@contoh.go.id\n"
                    + "\(peserta1.email)\n\(elsewhere.email)\nbukan-email\n"
            )
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.rows == [3, 4, 5, 6])
            #expect(try await Enrolment.query(on: app.db).filter(\.$courseID == id).count() == before)

            let done = try await admin.call(
                .POST, assignments, ["unit_kerja": "Unit Pelatihan BPSDM-JABAR", "due_at": "2099-06-30"])
            #expect(done.status == .created)
            #expect(done["people"] as? Int == 5)
            #expect(done["newly_enrolled"] as? Int == 5)

            // validate: the course shows as required, with its date, and cannot be left
            let learner = try await given.api(as: peserta1)
            let mine = try await learner.call(.GET, "/api/v1/me/courses")
            let row = try #require(
                (mine["courses"] as? [[String: Any]])?.first { $0["title"] as? String == built.course.title })
            #expect(row["group"] as? String == "required")
            #expect((row["due_at"] as? String)?.hasPrefix("2099-06-30") == true)
            #expect(row["overdue"] as? Bool == false)
            #expect(
                try await Self.notifications(learner).contains {
                    $0.contains("Literasi Digital ASN") && $0.contains("30 Jun 2099")
                })
            #expect(try await learner.call(.DELETE, "/api/v1/courses/\(id)/enrolments/me").status == .conflict)
            // Assigned-only courses take no self-enrolment.
            let outsider = try await given.api(as: elsewhere)
            let refused = try await outsider.call(.POST, "/api/v1/courses/\(id)/enrolments")
            #expect(refused.status == .conflict)
            #expect(refused.messages.first?.contains("penugasan") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func ownInstitutionCoursesStayWithTheirPeople(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course for its own institution's people, one of them (also of BPPK), and an outsider
            let given = Given(app)
            let jabar = try await given.tenant(), bppk = try await given.tenant()
            let course = try await given.course(in: jabar, "Kepemimpinan Pengawas", activities: [], audience: .own)
                .course
            let id = try course.requireID()
            let outsider = try await given.api(as: try await given.person(in: bppk))
            let member = try await given.api(as: try await given.person(in: [jabar, bppk]))
            #expect(!Self.titles(try await outsider.call(.GET, "/api/v1/catalog?q=pengawas")).contains(course.title))
            #expect(Self.titles(try await member.call(.GET, "/api/v1/catalog?q=pengawas")).contains(course.title))
            #expect(try await outsider.call(.POST, "/api/v1/courses/\(id)/enrolments").status == .forbidden)
            #expect(try await member.call(.POST, "/api/v1/courses/\(id)/enrolments").status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func templateCoursesAreClonedAndCoursesDuplicated(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
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
        try await withGotong(db) { app, _ in
            // setup: a learner of Jawa Barat and BPPK with a course assigned, one finished, and an
            // open course at BPS to find
            let given = Given(app)
            let jabar = try await given.tenant(), bppk = try await given.tenant(), bps = try await given.tenant()
            let person = try await given.person(in: [jabar, bppk])
            let statistics = try await given.course(in: bps, "Statistik Dasar untuk ASN", activities: []).course
            let assigned = try await given.course(
                in: jabar, "Literasi Digital ASN", activities: [], enrolment: .assigned)
            let jabarAdmin = try await given.person(in: jabar, roles: [.admin])
            _ = try await CourseAssignment(db: app.db, course: assigned.course)
                .assign(.list(person.email), due: Date().addingTimeInterval(14 * 86_400), by: jabarAdmin.typedID())
            let done = try await given.course(in: bppk, "Orientasi Belajar di Gotong", activities: []).course
            let finished = try await EnrolmentService(db: app.db).enrol(
                person, in: done, viewer: CatalogViewer(tenantIDs: [try jabar.requireID(), try bppk.requireID()]))
            finished.enrolment.status = .completed
            finished.enrolment.completedAt = Date()
            try await finished.enrolment.save(on: app.db)
            let browser = try await given.browser(signedInAs: person)
            let coursePage = "/t/\(bps.slug)/pelatihan/\(statistics.slug)"

            // MUT + validate: found in the marketplace, enrolled from its page
            let search = try await browser.get("/katalog?q=statistik&tenant=\(bps.slug)")
            #expect(search.status == .ok)
            #expect(search.body.string.contains(coursePage))
            #expect(search.body.string.contains(bps.name))

            let enrol = try await browser.post("\(coursePage)/ikuti")
            #expect(enrol.status == .seeOther)
            #expect(enrol.headers.first(name: .location) == coursePage)
            let page = try await browser.get(coursePage)
            #expect(page.body.string.contains("Anda terdaftar"))

            let mine = try await browser.get("/saya").body.string
            let required = try #require(mine.range(of: "Wajib"))
            let inProgress = try #require(mine.range(of: "Sedang diikuti"))
            let finishedAt = try #require(mine.range(of: "<h2>Selesai"))
            #expect(mine[required.upperBound..<inProgress.lowerBound].contains(assigned.course.title))
            #expect(mine[inProgress.upperBound..<finishedAt.lowerBound].contains(statistics.title))
            #expect(mine[finishedAt.upperBound...].contains(done.title))
        }
    }

    @Test(arguments: TestDatabase.all)
    func storefrontShowsFeaturedNewestAndCategories(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: of two courses, feature one and file it under a category
            let given = Given(app)
            let bppk = try await given.tenant()
            let featured = try await given.course(in: bppk, "Pengelolaan Keuangan Negara", activities: []).course
            let newest = try await given.course(in: bppk, "Penyusunan Anggaran Berbasis Kinerja", activities: []).course
            let scope = TenantScope(tenantID: try bppk.requireID(), db: app.db)
            let category = try #require(try await scope.query(TenantCategory.self).sort(\.$position).first())
            featured.featured = true
            featured.categoryID = category.id
            try await featured.save(on: app.db)

            // MUT
            let storefront = "/t/\(bppk.slug)"
            let front = try await Browser(app).get(storefront).body.string
            let listed = try await Browser(app).get("\(storefront)/pelatihan?kategori=\(category.slug)").body.string

            // validate: the featured course sits under its own heading, before the newest ones
            let featuredHeading = try #require(front.range(of: "Pelatihan unggulan"))
            let newestHeading = try #require(front.range(of: "Pelatihan terbaru"))
            #expect(front[featuredHeading.upperBound..<newestHeading.lowerBound].contains(featured.title))
            #expect(front[newestHeading.upperBound...].contains(newest.title))
            let categoryLink = "\(storefront)/pelatihan?kategori=\(category.slug)\">"
            #expect(front.contains(categoryLink + "\(category.name) <span class=\"muted\">(1)</span>"))
            #expect(listed.contains(featured.title))
            #expect(!listed.contains(newest.title), "only the chosen category")
            #expect(try await Browser(app).get("\(storefront)/pelatihan").body.string.contains(newest.title))
        }
    }

    @Test(arguments: TestDatabase.all)
    func staffPagesRenderAndAFormWithMistakesKeepsWhatWasTyped(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a course taken on approval, and its coordinator
            let given = Given(app)
            let lan = try await given.tenant()
            let built = try await given.course(in: lan, "Pengelolaan Kinerja ASN", activities: [], enrolment: .approval)
            let id = try built.course.requireID()
            let coordinator = try await given.browser(signedInAs: built.coordinator)
            let (t, manage) = ("/t/\(lan.slug)", "/t/\(lan.slug)/kelola/pelatihan")
            for path in [
                manage, "\(manage)/baru", "\(manage)/\(id)", "\(manage)/\(id)/peserta", "\(manage)/\(id)/penugasan",
                "\(t)/pelatihan/\(built.course.slug)", "/katalog?q=kinerja&competency_type=manajerial", "/saya",
                "/notifikasi",
            ] {
                let page = try await coordinator.get(path)
                #expect(page.status == .ok, "\(path) answered \(page.status)")
                #expect(page.body.string.contains("</html>"), "\(path) did not render")
            }
            let before = try await Course.query(on: app.db).count()
            let refused = try await coordinator.post(
                "\(manage)/baru",
                form: ["title": "Etika Bermedia Sosial", "jp": "nol", "delivery_method": "mikro"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Etika Bermedia Sosial"))
            #expect(refused.body.string.contains("JP harus bilangan bulat"))
            #expect(try await Course.query(on: app.db).count() == before)
            let created = try await coordinator.post(
                "\(manage)/baru",
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
                try await coordinator.post("\(manage)/\(course.requireID())/terbitkan").status
                    == .forbidden)

            // A cover picture is checked by its bytes, then shown on the course page.
            let fields = [
                "title": "Etika Bermedia Sosial", "jp": "2", "delivery_method": "mikro", "micro_minutes": "12",
            ]
            let notAPicture = try await coordinator.upload(
                "\(manage)/\(course.requireID())", field: "cover", filename: "sampul.png",
                contentType: "image/png", data: Data("<svg onload=alert(1)>".utf8), form: fields)
            #expect(notAPicture.status == .unprocessableEntity)
            #expect(notAPicture.body.string.contains("PNG atau JPEG"))
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 64))
            let stored = try await coordinator.upload(
                "\(manage)/\(course.requireID())", field: "cover", filename: "sampul.png",
                contentType: "image/png", data: png, form: fields)
            #expect(stored.status == .seeOther)
            let picture = try await coordinator.get("\(t)/pelatihan/\(course.slug)/sampul")
            #expect(picture.status == .ok)
            #expect(picture.headers.contentType == .png)
            #expect(
                try await Browser(app).get("\(t)/pelatihan/\(course.slug)/sampul").status == .notFound,
                "a draft's cover stays with its staff")

            let curator = try await given.browser(signedInAs: try await given.platformAdmin())
            #expect(try await curator.get("/admin/kurasi").status == .ok)
            #expect(try await curator.get("/admin/master/pelatihan").body.string.contains("Orientasi Belajar Daring"))
            #expect(try await Browser(app).get(manage).status == .seeOther)
        }
    }
}
