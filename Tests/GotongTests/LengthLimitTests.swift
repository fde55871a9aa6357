import Foundation
import Testing
import Vapor
import VaporTesting
import Fluent
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongTenancy

/// Nothing is cut silently: a text longer than its field's limit is refused with a message that
/// states the limit, and nothing is saved. Tested at the shared reader, then on the forms and the
/// API that use it.
@Suite("Length limits")
struct LengthLimitTests {
    @Test(arguments: [
        ("", 0, false), ("  Budi  ", 0, false), (String(repeating: "a", count: 200), 0, false),
        (String(repeating: "a", count: 201), 1, true), (String(repeating: "é", count: 880), 1, true),
        ("ab\u{0}c", 0, false), (String(repeating: "🙂", count: 201), 1, true),
        (String(repeating: "x", count: 1_000_000), 1, true), ("\n\t", 0, false),
        // over the limit as sent, under it once cleaned: refused, as the API document says
        ("\u{1a} " + String(repeating: "b", count: 199), 1, true),
    ])
    func theSharedReaderRefusesTooLongAndCutsNothing(raw: String, problems expected: Int, tooLong: Bool) {
        var problems = ProblemList()
        let text = problems.text(raw, "name", max: 200)
        #expect(problems.problems.count == expected)
        if tooLong {
            #expect(problems.problems.first?.key == "input.error.too_long")
            #expect(problems.problems.first?.args["max"] == "200")
            #expect(
                problems.problems.first?.args["count"]
                    == "\(text.count > 200 ? text.count : raw.unicodeScalars.count)")
            #expect(text.count >= 199, "kept whole for the form to show again")
        }
        #expect(!text.unicodeScalars.contains("\u{0}"))
        #expect(text == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func aRequiredEmptyFieldSaysSoAndATooLongOneSaysTooLong() {
        var problems = ProblemList()
        problems.text("   ", "name", max: 200, required: "identity.error.name_required")
        problems.text(String(repeating: "n", count: 500), "jabatan", max: 200, required: "identity.error.name_required")
        #expect(problems.problems.map(\.key) == ["identity.error.name_required", "input.error.too_long"])
    }

    @Test(arguments: TestDatabase.all)
    func anOverlongSloganIsRefusedOnTheEditorAndTheAPI(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given an institution's administrator and its slogan
            let given = Given(app)
            let tenant = try await given.tenant()
            let admin = try await given.person(in: tenant, roles: [.admin])
            let browser = try await given.browser(signedInAs: admin)
            let slogan = String(repeating: "Belajar tanpa henti. ", count: 42)  // 882 characters
            #expect(slogan.count == 882)

            // when the editor saves it, then it is refused with the limit, kept in the field, and not saved
            let page = try await browser.post(
                "/t/\(tenant.slug)/kelola", form: ["name": tenant.name, "primary_color": "#0b5394", "tagline": slogan])
            #expect(page.status == .unprocessableEntity)
            let html = page.body.string
            #expect(html.contains("Terlalu panjang: paling banyak 200 karakter (sekarang 881)."), "\(html.prefix(900))")
            #expect(html.contains("aria-describedby=\"tagline-hint tagline-error\" aria-invalid=\"true\""))
            #expect(html.contains("Belajar tanpa henti. Belajar tanpa henti."), "what was typed is kept")
            #expect(!html.contains("Perubahan disimpan"))
            #expect(try await Tenant.find(slug: tenant.slug, on: app.db)?.tagline == tenant.tagline)

            // and through the API the same
            let api = try await given.api(as: admin)
            let reply = try await api.call(.PATCH, "/api/v1/tenants/\(tenant.slug)", ["tagline": slogan])
            #expect(reply.status == .unprocessableEntity)
            #expect(String(decoding: reply.body, as: UTF8.self).contains("200"))
            #expect(try await Tenant.find(slug: tenant.slug, on: app.db)?.tagline == tenant.tagline)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLongNameIsTooLongNotMissing(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let person = try await given.person(in: try await given.tenant())
            let browser = try await given.browser(signedInAs: person)
            let long = String(repeating: "Siti ", count: 100)  // 499 characters once trimmed

            // the profile
            let profile = try await browser.post("/profil", form: ["name": long, "jabatan": "Analis"])
            #expect(profile.status == .unprocessableEntity)
            #expect(profile.body.string.contains("Terlalu panjang: paling banyak 200 karakter (sekarang 499)."))
            #expect(!profile.body.string.contains("Nama wajib diisi"))
            #expect(try await Person.find(person.id, on: app.db)?.name == person.name)

            // and registration
            let register = try await Browser(app).post(
                "/daftar",
                form: [
                    "name": long, "email": "baru@contoh.go.id", "password": "rahasia-123",
                    "password_confirmation": "rahasia-123", "jabatan": String(repeating: "j", count: 201),
                ])
            #expect(register.status == .unprocessableEntity)
            #expect(register.body.string.contains("(sekarang 499)"))
            #expect(register.body.string.contains("(sekarang 201)"))
            #expect(try await Person.find(email: "baru@contoh.go.id", on: app.db) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLongInstitutionNameOrReasonIsRefusedNotCut(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let admin = try await given.platformAdmin()
            let browser = try await given.browser(signedInAs: admin)
            let long = String(repeating: "Balai ", count: 100)  // 599 characters once trimmed

            // a new institution's name: too long, not "missing", and nothing is made
            let made = try await browser.post(
                TenancyRoute.adminTenants.path, form: ["name": long, "slug": "balai-panjang", "kind": "lembaga"])
            #expect(made.status == .unprocessableEntity)
            #expect(made.body.string.contains("Terlalu panjang: paling banyak 200 karakter (sekarang 599)."))
            #expect(made.body.string.contains("aria-describedby=\"name-error\" aria-invalid=\"true\""))
            #expect(try await Tenant.query(on: app.db).filter(\.$slug == "balai-panjang").count() == 0)

            // a participant's removal reason over 500 characters is refused, not cut to 500
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [])
            let learner = try await given.learner(enrolledIn: built)
            let enrolment = try #require(
                try await Enrolment.query(on: app.db).filter(\.$personID == learner.id!).first())
            await #expect(throws: InputError.self) {
                try await EnrolmentService(db: app.db).remove(
                    enrolment, from: built.course, reason: String(repeating: "x", count: 501))
            }
            #expect(try await Enrolment.find(enrolment.id, on: app.db)?.status == .enrolled)
        }
    }
}
