import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// `gotong bench-seed-learning`: fills an empty, migrated database for `scripts/bench-learning`:
/// one institution with a three-activity course and `--learners` people enrolled in it, a
/// second course of `--monitored` participants with progress on every activity (the
/// coordinator's monitoring table), every learner's clock of an earlier session, and progress
/// tickets for `--tickets` learners; then writes
/// the files the load generator reads. Bulk SQL inserts, as ``CatalogBenchSeedCommand``.
package struct LearningBenchSeedCommand: AsyncCommand {
    package init() {}

    package struct Signature: CommandSignature {
        package init() {}
        @Option(name: "learners") var learners: Int?
        @Option(name: "monitored", help: "participants of the monitored course") var monitored: Int?
        @Option(name: "tickets", help: "learners whose heartbeats the benchmark sends") var tickets: Int?
        @Option(name: "out", help: "folder for info.txt, tickets.txt, learner.txt and coordinator.txt") var out: String?
    }

    package var help: String { "Seeds courses with many learners for the learning benchmarks (empty database only)" }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let learners = signature.learners ?? 100_000
        let monitored = min(signature.monitored ?? 5000, learners)
        let tickets = min(signature.tickets ?? 4000, learners)
        let db = app.db
        let password = try await BcryptHasher(app: app).hash(CatalogBenchSeeder.learnerPassword)
        let seeder = CatalogBenchSeeder(
            db: db, tenants: 0, coursesPerTenant: 0, people: 0, enrolments: 0, tokens: 0, passwordHash: password)
        let now = Date()

        let tenantID = UUID()
        try await seeder.insert(
            Tenant.schema,
            [
                CatalogBenchSeeder.TenantRow(
                    id: tenantID, slug: "bench-belajar", name: "Pusdiklat Bench Belajar", kind: "lembaga",
                    description: "", tagline: "",
                    primary_color: "#0b4f8a", contact_email: "", contact_phone: "", address: "", website: "",
                    status: "active", is_master: false,
                    created_at: now, updated_at: now)
            ])
        let people = (0..<learners).map { i in
            CatalogBenchSeeder.PersonRow(
                id: UUID(), name: "Peserta Belajar \(i + 1)", email: "belajar\(i + 1)@bench.gotong.test", phone: "",
                home_tenant_id: tenantID, unit_kerja: "Unit \(i % 40 + 1)", jabatan: "Analis",
                password_hash: i == 0 ? password : nil, email_verified_at: now, is_platform_admin: false,
                locale: "id", created_at: now, updated_at: now)
        }
        let coordinator = CatalogBenchSeeder.PersonRow(
            id: UUID(), name: "Pengelola Bench", email: "pengelola@bench-belajar.gotong.test",
            phone: "", home_tenant_id: tenantID, unit_kerja: "Pusdiklat", jabatan: "Pengelola",
            password_hash: password, email_verified_at: now, is_platform_admin: false,
            locale: "id", created_at: now, updated_at: now)
        try await seeder.insert(Person.schema, people + [coordinator])
        try await seeder.insert(
            Membership.schema,
            people.map {
                CatalogBenchSeeder.MembershipRow(
                    id: UUID(), tenant_id: tenantID, person_id: $0.id, role: "peserta", created_at: now)
            } + [
                CatalogBenchSeeder.MembershipRow(
                    id: UUID(), tenant_id: tenantID, person_id: coordinator.id, role: "pengelola", created_at: now)
            ])

        // Two courses with the same three activities: a reading of 5 minutes, a video, a forum.
        func course(_ slug: String, _ title: String, participants: Int) async throws -> (Course, [Activity]) {
            let course = Course(tenantID: tenantID, slug: slug, title: title)
            course.status = .published
            course.publishedAt = now
            course.enrolledCount = participants
            try await course.create(on: db)
            let structure = CourseStructure(course: course, db: db, types: app.learning.types, files: app.files)
            let section = try await structure.addSection(title: "Topik 1: Dasar")
            var activities: [Activity] = []
            for (type, activityTitle, settings, rule) in [
                (
                    "page", "Bacaan: nilai dasar",
                    ["body": JSONScalar.string("## Nilai dasar\n\nBerorientasi pelayanan, akuntabel, kompeten.")],
                    CompletionRule.minSeconds(300)
                ),
                ("video", "Video: pelayanan publik", ["url": .string("https://youtu.be/dQw4w9WgXcQ")], .viewed),
                ("forum", "Diskusi: penerapan di unit kerja", [:], CompletionRule(kind: ForumProgress.posted.kind)),
            ] {
                var change = ActivityChange()
                change.type = type; change.title = activityTitle; change.settings = settings; change.completion = rule
                activities.append(try await structure.addActivity(to: section, change))
            }
            try await seeder.insert(
                Enrolment.schema,
                people.prefix(participants).map {
                    CatalogBenchSeeder.EnrolmentRow(
                        id: UUID(), tenant_id: tenantID, course_id: course.id!, person_id: $0.id, status: "enrolled",
                        assigned: false, reason: "", requested_at: now, enrolled_at: now, completed_at: nil,
                        updated_at: now)
                })
            return (course, activities)
        }
        let (main, mainActivities) = try await course(
            "orientasi-asn", "Orientasi Nilai Dasar ASN", participants: learners)
        let (watched, watchedActivities) = try await course(
            "pelayanan-prima", "Pelayanan Prima", participants: monitored)

        // Progress of the monitored course: most opened the reading, fewer the video, fewer posted.
        struct ProgressRow: Encodable, Sendable {
            let id: UUID; let tenant_id: UUID; let course_id: UUID; let activity_id: UUID; let person_id: UUID;
            let views: Int
            let first_viewed_at: Date; let last_seen_at: Date; let seconds: Int; let state: String
            let completed_at: Date?
        }
        var rows: [ProgressRow] = []
        for (i, person) in people.prefix(monitored).enumerated() {
            for (k, activity) in watchedActivities.enumerated() where i % (k + 2) != 0 {
                let seen = now.addingTimeInterval(-Double(i % 14) * 86_400)
                rows.append(
                    ProgressRow(
                        id: UUID(), tenant_id: tenantID, course_id: watched.id!, activity_id: activity.id!,
                        person_id: person.id,
                        views: 1 + i % 3, first_viewed_at: seen, last_seen_at: seen, seconds: (i * 37) % 900,
                        state: Self.state(activity: k, person: i).json,
                        completed_at: i % 3 == 0 ? seen : nil))
            }
        }
        try await seeder.insert(ActivityProgress.schema, rows)

        // Every learner has learnt here before: their clock (``LearningClock``) holds their last
        // credited beat, a day or more ago, as it would for 100,000 people in service. The
        // heartbeat run then reads and updates clocks in a table of national size.
        struct ClockRow: Encodable, Sendable {
            let person_id: UUID; let tab: String; let seq: Int; let credited_at: Date
        }
        try await seeder.insert(
            LearningClock.schema,
            people.enumerated().map { i, person in
                ClockRow(
                    person_id: person.id, tab: "sesi-sebelumnya", seq: 1,
                    credited_at: now.addingTimeInterval(-Double(1 + i % 14) * 86_400))
            })

        // Tickets for the heartbeat run: each learner's permission to report time on the reading.
        let key = try await app.secretKeys.key(ProgressTicket.keyName, on: db)
        let reading = mainActivities[0]
        let ticketLines = people.prefix(tickets).map { person in
            ProgressTicket(
                personID: person.id, activityID: reading.id!, courseID: main.id!, tenantID: tenantID,
                activityType: reading.type, completion: reading.completion,
                expires: now.addingTimeInterval(ProgressTicket.lifetime)
            ).signed(with: key)
        }

        let out = signature.out ?? "."
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "\(reading.id!.uuidString)\n".write(toFile: out + "/activity.txt", atomically: true, encoding: .utf8)
        try ticketLines.joined(separator: "\n").appending("\n").write(
            toFile: out + "/tickets.txt", atomically: true, encoding: .utf8)
        try "\(people[0].email) \(CatalogBenchSeeder.learnerPassword)\n".write(
            toFile: out + "/learner.txt", atomically: true, encoding: .utf8)
        try "\(coordinator.email) \(CatalogBenchSeeder.learnerPassword)\n".write(
            toFile: out + "/coordinator.txt", atomically: true, encoding: .utf8)
        try "bench-belajar \(main.slug) \(main.id!) \(watched.id!)\n".write(
            toFile: out + "/info.txt", atomically: true, encoding: .utf8)
        let elapsed = ContinuousClock.now - started
        context.console.print(
            String(
                format: "seeded in %.1f s",
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
    }

    /// What the types of the monitored course record: the video (second) was watched partly,
    /// the forum (third) has a post.
    static func state(activity: Int, person: Int) -> ProgressState {
        var state = ProgressState()
        if activity == 1 {
            state.videoFurthest = Double(person % 212)
            state.videoPercent = person % 212 * 100 / 212
        }
        if activity == 2 { state.posts = 1 }
        return state
    }
}
