import Foundation
import Testing
@testable import GotongPlatform
@testable import GotongPublicInfo

/// The answerer against the evaluation set (`tests/answerer/questions.json`): questions as
/// citizens write them, each with the service an officer would point to, or none. The same set
/// `scripts/eval-answerer` asks the running server; here it guards the target (85 % top-1).
@Suite("Public information: the answerer's evaluation")
struct AnswererEvalTests {
    struct Question: Decodable {
        let q: String
        let service: String?
    }

    static func questions() throws -> [Question] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../tests/answerer/questions.json")
        return try JSONDecoder().decode([Question].self, from: Data(contentsOf: url))
    }

    static func index() throws -> AnswerIndex {
        let services = try PublicInfoDemo.demoServices().map { draft in
            let c = try draft.checked()
            return ServiceFacts(
                name: c.name, category: c.category, summary: c.summary, keywords: c.keywords,
                requirements: c.requirements, steps: c.steps, places: c.places, duration: c.duration,
                feeRupiah: c.feeRupiah, faq: c.faq.map { ($0.question, $0.answer) })
        }
        return AnswerIndex(services: services, synonyms: Synonyms(Synonyms.defaults))
    }

    @Test func atLeast85PercentOfQuestionsFindTheirServiceFirst() throws {
        let index = try Self.index()
        let questions = try Self.questions()
        let asked = questions.filter { $0.service != nil }
        #expect(asked.count >= 200)
        var top1 = 0, top3 = 0
        var misses: [String] = []
        for question in asked {
            let names = index.answer(question.q).hits.map { index.services[$0.service].name }
            if names.first == question.service {
                top1 += 1
            } else {
                misses.append("\(question.q) → \(names.first ?? "-") (expected \(question.service!))")
            }
            if names.prefix(3).contains(question.service!) { top3 += 1 }
        }
        let none = questions.filter { $0.service == nil }
        let admitted = none.filter { !index.answer($0.q).confident }.count
        let confidentRight = asked.filter { q in
            let r = index.answer(q.q)
            return r.confident && r.hits.first.map { index.services[$0.service].name } == q.service
        }.count
        let confidentWrong = asked.filter { q in
            let r = index.answer(q.q)
            return r.confident && r.hits.first.map { index.services[$0.service].name } != q.service
        }.count
        print("top-1 \(top1)/\(asked.count), top-3 \(top3)/\(asked.count), unknown admitted \(admitted)/\(none.count)")
        print("confident & right \(confidentRight), confident & wrong \(confidentWrong)")
        for miss in misses { print("MISS", miss) }
        #expect(Double(top1) / Double(asked.count) >= 0.85)
    }
}
