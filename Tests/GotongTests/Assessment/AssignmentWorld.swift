import Fluent
import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// A course with an assignment, its participant, and the addresses the tests use.
struct AssignmentWorld {
    let app: Application
    let given: Given
    let f: LearningTests.Fixture
    let assignment: String

    var activityPath: String { "/t/\(f.tenant.slug)/belajar/\(f.course.slug)/\(assignment)" }
    var api: String { "/api/v1/activities/\(assignment)" }

    static let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 64))

    /// Makes the world; `settings` are the assignment's (due dates, grading, a rubric…).
    static func make(
        _ app: Application, settings: [String: Any] = [:], completion: [String: Any]? = nil
    ) async throws -> AssignmentWorld {
        let given = Given(app)
        let f = try await LearningTests.fixture(given)
        let topic = try await LearningTests.section(f, "Tugas")
        var body: [String: Any] = [
            "type": "assignment", "title": "Rencana aksi",
            "settings": ["instructions": "Tulis rencana aksi **satu halaman**."].merging(settings) { _, new in new },
        ]
        if let completion { body["completion"] = completion }
        let assignment = try await LearningTests.activity(f, section: topic, body)
        return AssignmentWorld(app: app, given: given, f: f, assignment: assignment)
    }

    /// Another participant of the same course, with their API client.
    func participant(_ name: String) async throws -> (Person, APIClient) {
        let person = try await given.person(name, in: f.tenant)
        let client = try await given.api(as: person)
        #expect(try await client.call(.POST, "/api/v1/courses/\(f.courseID)/enrolments").status == .created)
        return (person, client)
    }

    /// Hands in `text` for `client` through the API.
    @discardableResult
    func handIn(_ client: APIClient, text: String) async throws -> String {
        #expect(try await client.call(.PUT, api + "/submission", ["text": text]).status == .ok)
        let done = try await client.call(.POST, api + "/submission/submit")
        #expect(done.status == .ok, "\(String(decoding: done.body, as: UTF8.self))")
        let rounds = try #require(done["rounds"] as? [[String: Any]])
        return try #require(rounds.last?["id"] as? String)
    }

    func progress(of person: Person) async throws -> ActivityProgress? {
        try await ActivityProgress.query(on: app.db).filter(\.$activityID == UUID(uuidString: assignment)!)
            .filter(\.$personID == person.requireID()).first()
    }
}

extension APIClient.Reply {
    /// The latest round of a participant's submission reply.
    var latestRound: [String: Any]? { (json["rounds"] as? [[String: Any]])?.last }
}
