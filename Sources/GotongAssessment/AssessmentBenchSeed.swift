import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// `gotong bench-seed-assessment`: fills an empty, migrated database for
/// `scripts/bench-assessment`: one institution with a course of `--participants` enrolled
/// learners, a bank of `--questions` multiple-choice questions and a post-test asking them all
/// with a time limit; an API token per participant; then writes `info.txt` (the quiz's
/// activity id and its number of questions) and `tokens.txt` for the load generator.
package struct AssessmentBenchSeedCommand: AsyncCommand {
    package init() {}

    package struct Signature: CommandSignature {
        package init() {}
        @Option(name: "participants") var participants: Int?
        @Option(name: "questions") var questions: Int?
        @Option(name: "out", help: "folder for info.txt and tokens.txt") var out: String?
    }

    package var help: String {
        "Seeds a post-test with many participants for the assessment benchmark (empty database only)"
    }

    struct TokenRow: Encodable, Sendable {
        let id: UUID; let person_id: UUID; let name: String; let token_hash: String; let expires_at: Date
        let last_used_at: Date?; let created_at: Date
    }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let participants = signature.participants ?? 10_000
        let questionCount = signature.questions ?? 20
        let db = app.db
        let seeder = CatalogBenchSeeder(
            db: db, tenants: 0, coursesPerTenant: 0, people: 0, enrolments: 0, tokens: 0, passwordHash: "")
        let now = Date()
        let tenantID = UUID()
        try await seeder.insert(
            Tenant.schema,
            [
                CatalogBenchSeeder.TenantRow(
                    id: tenantID, slug: "bench-ujian", name: "Pusdiklat Bench Ujian", kind: "lembaga", description: "",
                    tagline: "", primary_color: "#0b4f8a", contact_email: "", contact_phone: "", address: "",
                    website: "", status: "active", is_master: false, created_at: now, updated_at: now)
            ])
        let people = (0..<participants).map { i in
            CatalogBenchSeeder.PersonRow(
                id: UUID(), name: "Peserta Ujian \(i + 1)", email: "ujian\(i + 1)@bench.gotong.test", phone: "",
                home_tenant_id: tenantID, unit_kerja: "Unit \(i % 40 + 1)", jabatan: "Analis", password_hash: nil,
                email_verified_at: now, is_platform_admin: false, locale: "id", created_at: now, updated_at: now)
        }
        try await seeder.insert(Person.schema, people)
        try await seeder.insert(
            Membership.schema,
            people.map {
                CatalogBenchSeeder.MembershipRow(
                    id: UUID(), tenant_id: tenantID, person_id: $0.id, role: "peserta", created_at: now)
            })
        let course = Course(tenantID: tenantID, slug: "ujian-akhir", title: "Pelatihan dengan Ujian Akhir")
        course.status = .published
        course.publishedAt = now
        course.enrolledCount = participants
        try await course.create(on: db)
        try await seeder.insert(
            Enrolment.schema,
            people.map {
                CatalogBenchSeeder.EnrolmentRow(
                    id: UUID(), tenant_id: tenantID, course_id: course.id!, person_id: $0.id, status: "enrolled",
                    assigned: false, reason: "", requested_at: now, enrolled_at: now, completed_at: nil, updated_at: now
                )
            })

        // The bank: questions of four choices each, one right.
        let scope = TenantScope(tenantID: tenantID, db: db)
        let bank = QuestionBank(scope)
        let category = try await bank.addCategory("Ujian akhir", parent: nil)
        var questionIDs: [UUID] = []
        for n in 1...questionCount {
            let question = Question(
                name: "Soal \(n)", text: "Pertanyaan nomor \(n) tentang nilai dasar ASN?",
                body: .multipleChoice(
                    MultipleChoice(
                        single: true,
                        answers: (0..<4).map { Answer("Pilihan \($0 + 1) soal \(n)", fraction: $0 == n % 4 ? 1 : 0) })))
            questionIDs.append(try await bank.add(question, to: category.requireID(), by: nil).requireID())
        }
        let structure = CourseStructure(course: course, db: db, types: app.learning.types, files: app.files)
        let section = try await structure.addSection(title: "Evaluasi")
        var change = ActivityChange()
        change.type = "quiz"
        change.title = "Tes akhir"
        change.settings = [
            "role": .string("posttest"), "time_limit": .int(60), "attempts": .int(1), "pass_percent": .int(70),
            "shuffle_questions": .string("yes"),
        ]
        change.completion = CompletionRule(kind: AssessmentProgress.passed.kind)
        let quiz = try await structure.addActivity(to: section, change)
        for (position, id) in questionIDs.enumerated() {
            try await QuizSlot(
                tenantID: tenantID, activityID: try quiz.requireID(), position: position + 1, questionID: id,
                categoryID: nil, count: 1, mark: 1
            ).create(on: db)
        }

        var tokens: [String] = []
        var rows: [TokenRow] = []
        for person in people {
            let secret = SecretToken()
            tokens.append("gt_" + secret.plain)
            rows.append(
                TokenRow(
                    id: UUID(), person_id: person.id, name: "bench", token_hash: secret.hash,
                    expires_at: now.addingTimeInterval(7 * 86_400), last_used_at: nil, created_at: now))
        }
        try await seeder.insert(APIToken.schema, rows)

        let out = signature.out ?? "."
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "\(try quiz.requireID().uuidString) \(questionCount)\n".write(
            toFile: out + "/info.txt", atomically: true, encoding: .utf8)
        try (tokens.joined(separator: "\n") + "\n").write(
            toFile: out + "/tokens.txt", atomically: true, encoding: .utf8)
        let seconds = (ContinuousClock.now - started).components.seconds
        context.console.print("seeded in \(seconds) s: \(participants) participants, \(questionCount) questions")
    }
}
