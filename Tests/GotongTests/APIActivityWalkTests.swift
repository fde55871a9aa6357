import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Everything the web editor can make, the API can make, in as few steps: one request per
/// activity, of every built-in type, files included (multipart), walked as an integrator would.
@Suite("Activities through the API")
struct APIActivityWalkTests {
    static let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
    static let mp4 = Data([0, 0, 0, 0x18]) + Data("ftypmp42".utf8) + Data(repeating: 7, count: 2048)

    /// One request per type: JSON, or the JSON and the file in one multipart request.
    nonisolated(unsafe) static let requests:
        [String: (json: [String: Any], file: (name: String, filename: String, data: Data)?)] = [
            "page": (["type": "page", "title": "Bacaan", "settings": ["body": "## Isi"]], nil),
            "link": (["type": "link", "title": "Tautan", "settings": ["url": "https://jdih.go.id/a"]], nil),
            "forum": (["type": "forum", "title": "Diskusi", "settings": ["description": "Tanya di sini."]], nil),
            "file": (
                ["type": "file", "title": "Modul", "settings": ["description": "Unduh modulnya."]],
                ("file", "modul.pdf", pdf)
            ),
            "video": (
                ["type": "video", "title": "Rekaman", "completion": ["min_percent": 80]], ("file", "kelas.mp4", mp4)
            ),
            "quiz": (
                [
                    "type": "quiz", "title": "Tes akhir", "completion": ["passed": true],
                    "settings": ["time_limit": 30, "pass_percent": 70, "grading": "highest", "role": "posttest"],
                ], nil
            ),
            "assignment": (
                [
                    "type": "assignment", "title": "Rencana aksi", "completion": ["passed": true],
                    "settings": [
                        "instructions": "Unggah rencana aksi.", "submission": "file", "max_files": 2,
                        "due_at": "2026-12-10T17:00:00+07:00", "cutoff_at": "2026-12-12T17:00:00+07:00",
                        "grading": "score", "pass_percent": 70, "rubric": "Isi | Kurang: 0 | Baik: 10",
                    ],
                ], nil
            ),
        ]

    @Test(arguments: TestDatabase.all)
    func everyTypeIsMadeInOneRequest(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (api, path) = try await Self.authorsSection(app)

            // every type the server offers is walked here
            #expect(Set(app.learning.types.all.map(\.key)) == Set(Self.requests.keys))
            for (key, request) in Self.requests {
                let reply: APIClient.Reply
                if let file = request.file {
                    reply = try await Self.multipart(api, path, json: request.json, file: file)
                } else {
                    reply = try await api.call(.POST, path, request.json)
                }
                #expect(reply.status == .created, "\(key): \(String(decoding: reply.body, as: UTF8.self))")
                let id = try #require(reply["id"] as? String)
                let activity = try #require(try await Activity.find(UUID(uuidString: id), on: app.db))
                #expect(activity.type == key)
                if let file = request.file {
                    #expect(activity.settings.string("file_name") == file.filename, "\(key) keeps its file")
                }
            }
            // the uploaded video kept the rule it was given; its file is served
            let video = try #require(try await Activity.query(on: app.db).filter(\.$title == "Rekaman").first())
            #expect(video.completion == CompletionRule(kind: "min_percent", value: 80))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMultipartRequestIsCheckedLikeJSON(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (api, path) = try await Self.authorsSection(app)
            let before = try await Activity.query(on: app.db).count()

            // a file without the activity part, a file of the wrong kind, a file the type does not take
            let noJSON = try await Self.multipart(api, path, json: nil, file: ("file", "modul.pdf", Self.pdf))
            #expect(noJSON.status == .unprocessableEntity)
            #expect(noJSON.fields == ["activity"])
            let wrongKind = try await Self.multipart(
                api, path, json: ["type": "file", "title": "Modul"], file: ("file", "modul.pdf", Data("halo".utf8)))
            #expect(wrongKind.fields == ["settings.file"])
            let unknown = try await Self.multipart(
                api, path, json: ["type": "page", "title": "Bacaan", "settings": ["body": "x"]],
                file: ("lampiran", "a.pdf", Self.pdf))
            #expect(unknown.fields == ["settings.lampiran"])
            // and JSON without its file still says what is missing
            let missing = try await api.call(.POST, path, ["type": "file", "title": "Modul"])
            #expect(missing.fields == ["settings.file"])
            #expect(try await Activity.query(on: app.db).count() == before, "nothing written")
        }
    }

    /// A course's coordinator and the address of its section's activities.
    static func authorsSection(_ app: Application) async throws -> (APIClient, String) {
        let given = Given(app)
        let tenant = try await given.tenant()
        let built = try await given.course(in: tenant, activities: [.page("Pengantar")])
        let path = LearningAPIRoute.sectionActivities(
            tenant.routeSlug, .value(built.id), .value(SectionID(built.activities[0].sectionID))
        ).path
        return (try await given.api(as: built.coordinator), path)
    }

    static func multipart(
        _ api: APIClient, _ path: String, json: [String: Any]?, file: (name: String, filename: String, data: Data)
    ) async throws -> APIClient.Reply {
        let boundary = "----api\(UUID().uuidString)"
        var body = Data()
        if let json {
            let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"activity\"\r\n"
            body.append(Data((head + "Content-Type: application/json\r\n\r\n").utf8))
            body.append(try JSONSerialization.data(withJSONObject: json))
            body.append(Data("\r\n".utf8))
        }
        body.append(
            Data(
                """
                --\(boundary)\r\nContent-Disposition: form-data; name="\(file.name)"; filename="\(file.filename)"\r
                Content-Type: application/octet-stream\r\n\r\n
                """.utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = api.headers
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await api.app.testing().performTest(
            request: .init(method: .POST, url: .init(string: path), headers: headers, body: ByteBuffer(data: body)))
        return APIClient.Reply(status: response.status, body: Data(response.body.readableBytesView))
    }
}
