import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongCatalog
@testable import GotongPlatform
@testable import GotongTenancy

/// A course's grades: each participant's pre-test and post-test, the gain and the course's
/// average gain for its staff (also as CSV); a learner sees only their own.
@Suite("Gradebook")
struct GradebookTests {
    /// Takes `quiz` through the API answering `right` of the first four questions right.
    static func take(_ client: APIClient, quiz: String, right: Int) async throws {
        let started = try await client.call(.POST, "/api/v1/activities/\(quiz)/attempts")
        let attempt = try #require((started["attempt"] as? [String: Any])?["id"] as? String)
        for answer in QuizWorld.rightAnswers.prefix(right) {
            try await client.call(.POST, "/api/v1/activities/\(quiz)/attempts/\(attempt)/answers", answer)
        }
        #expect(try await client.call(.POST, "/api/v1/activities/\(quiz)/attempts/\(attempt)/finish").status == .ok)
    }

    @Test(arguments: TestDatabase.all)
    func staffSeeTheGainAndLearnersTheirOwnGrades(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app, settings: ["role": "posttest"])
            let given = Given(app)
            // A pre-test with the same questions.
            let topic = try await LearningTests.section(w.f, "Awal")
            let pre = try await LearningTests.activity(
                w.f, section: topic, ["type": "quiz", "title": "Tes awal", "settings": ["role": "pretest"]])
            let coordinator = try await given.browser(signedInAs: w.f.coordinator)
            let prePath = "/t/\(w.f.tenant.slug)/belajar/\(w.f.course.slug)/\(pre)"
            for id in w.questions {
                _ = try await coordinator.post(
                    prePath + "/soal-kuis/tambah", form: ["category": w.category, "pick_\(id)": "1"])
            }
            // Two learners: 25 → 100 and 50 → 75.
            try await Self.take(w.f.learner, quiz: pre, right: 1)
            try await Self.take(w.f.learner, quiz: w.quiz, right: 4)
            let second = try await given.person("Peserta Kedua", in: w.f.tenant)
            let secondAPI = try await given.api(as: second)
            #expect(try await secondAPI.call(.POST, "/api/v1/courses/\(w.f.courseID)/enrolments").status == .created)
            try await Self.take(secondAPI, quiz: pre, right: 2)
            try await Self.take(secondAPI, quiz: w.quiz, right: 3)

            let page = try await coordinator.get(
                AssessmentRoute.gradebook(w.f.tenant.routeSlug, .value(CourseID(w.f.courseID))).path)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Rata-rata peningkatan +50 poin, dari 2 peserta."))
            #expect(html.contains("Rata-rata peningkatan ternormalisasi: 0.75"))
            #expect(html.contains("+75") && html.contains("+25"))

            let csv = try await coordinator.get(
                AssessmentRoute.gradebookCSV(w.f.tenant.routeSlug, .value(CourseID(w.f.courseID))).path)
            let lines = csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3)
            // Items in the course's order (the post-test's topic comes first here), then the average,
            // the gain and the normalised gain.
            #expect(lines.contains { $0.hasSuffix("\"100.00\",\"25.00\",\"62.50\",\"75.00\",\"1.00\"") })

            // The learner sees their own grades only; an outsider trainer sees nothing.
            let learner = try await given.browser(signedInAs: w.f.enrolled)
            let mine = try await learner.get(AssessmentRoute.myGrades(w.f.tenant.routeSlug, w.f.course.routeSlug).path)
            #expect(mine.body.string.contains("Tes awal 25, tes akhir 100: peningkatan +75 poin."))
            #expect(!mine.body.string.contains("Peserta Kedua"))
            #expect(
                try await learner.get(
                    AssessmentRoute.gradebook(w.f.tenant.routeSlug, .value(CourseID(w.f.courseID))).path
                ).status == .forbidden)
            let otherTrainer = try await given.browser(
                signedInAs: try await given.person(in: w.f.tenant, roles: [.pengajar]))
            #expect(
                try await otherTrainer.get(
                    AssessmentRoute.gradebook(w.f.tenant.routeSlug, .value(CourseID(w.f.courseID))).path
                ).status == .forbidden)
            let stranger = try await given.browser(signedInAs: try await given.person(in: w.f.tenant))
            #expect(
                try await stranger.get(AssessmentRoute.myGrades(w.f.tenant.routeSlug, w.f.course.routeSlug).path).status
                    == .notFound)
        }
    }
}
