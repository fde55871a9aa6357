import Fluent
import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// A course with a quiz of five questions from the tenant's bank (multiple choice, true/false,
/// short answer, numerical, essay), its learner, and the addresses the tests use.
struct QuizWorld {
    let app: Application
    let f: LearningTests.Fixture
    let quiz: String
    let questions: [String]
    let category: String

    var activityPath: String { "/t/\(f.tenant.slug)/belajar/\(f.course.slug)/\(quiz)" }
    var api: String { "/api/v1/activities/\(quiz)" }

    nonisolated(unsafe) static let bankQuestions: [[String: Any]] = [
        [
            "kind": "multichoice", "name": "Nilai A", "text": "Huruf A pertama pada BerAKHLAK?",
            "answers": [
                ["text": "Akuntabel", "fraction": 1, "feedback": "Tepat."], ["text": "Amanah", "fraction": 0],
                ["text": "Adaptif", "fraction": 0],
            ],
        ],
        ["kind": "truefalse", "name": "JP", "text": "Satu JP sama dengan 45 menit.", "correct": true],
        [
            "kind": "shortanswer", "name": "Pembina", "text": "Lembaga pembina pelatihan ASN?",
            "answers": [["text": "LAN", "fraction": 1], ["text": "Lembaga Administrasi*", "fraction": 1]],
        ],
        [
            "kind": "numerical", "name": "20 JP", "text": "Berapa JP minimal setahun?",
            "answers": [["value": 20, "fraction": 1]],
        ],
        ["kind": "essay", "name": "Refleksi", "text": "Tuliskan refleksi Anda."],
    ]

    /// Makes the world; `settings` are the quiz's (a time limit, a pass mark…).
    static func make(_ app: Application, settings: [String: Any] = [:], essay: Bool = false) async throws -> QuizWorld {
        let given = Given(app)
        let f = try await LearningTests.fixture(given)
        let bank = "/api/v1/tenants/\(f.tenant.slug)/question-bank"
        let category = try #require(
            try await f.staff.call(.POST, bank + "/categories", ["name": "Tes"])["id"] as? String)
        var ids: [String] = []
        for question in bankQuestions where essay || question["kind"] as? String != "essay" {
            var body = question
            body["category_id"] = category
            let made = try await f.staff.call(.POST, bank + "/questions", body)
            #expect(made.status == .created, "\(String(decoding: made.body, as: UTF8.self))")
            ids.append(try #require(made["id"] as? String))
        }
        let topic = try await LearningTests.section(f, "Evaluasi")
        var all: [String: Any] = ["shuffle_answers": "no"]
        all.merge(settings) { _, new in new }
        let quiz = try await LearningTests.activity(
            f, section: topic, ["type": "quiz", "title": "Tes akhir", "settings": all])
        let world = QuizWorld(app: app, f: f, quiz: quiz, questions: ids, category: category)
        let coordinator = try await given.browser(signedInAs: f.coordinator)
        // One at a time, so the quiz asks them in this order.
        for id in ids {
            let added = try await coordinator.post(
                world.activityPath + "/soal-kuis/tambah", form: ["category": category, "mark": "2", "pick_\(id)": "1"])
            #expect(added.status == .seeOther, "\(added.body.string.prefix(400))")
        }
        return world
    }

    /// Right answers to the first four questions, as the API takes them.
    nonisolated(unsafe) static let rightAnswers: [[String: Any]] = [
        ["slot": 0, "response": ["choices": [0]]], ["slot": 1, "response": ["choices": [0]]],
        ["slot": 2, "response": ["text": "  lembaga administrasi negara "]], ["slot": 3, "response": ["text": "20,0"]],
    ]

    func attempt(of person: UUID) async throws -> QuizAttempt? {
        try await QuizAttempt.query(on: app.db).filter(\.$personID == person).first()
    }

    func progress(of person: UUID) async throws -> ActivityProgress? {
        try await ActivityProgress.query(on: app.db).filter(\.$activityID == UUID(uuidString: quiz)!)
            .filter(\.$personID == person).first()
    }
}
