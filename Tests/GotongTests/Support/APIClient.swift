import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// A JSON API caller with one person's bearer token.
struct APIClient {
    let app: Application
    let headers: HTTPHeaders

    static func signIn(_ app: Application, _ email: String) async throws -> APIClient {
        APIClient(app: app, headers: try await APITests.token(app, email))
    }

    struct Reply {
        let status: HTTPStatus
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var messages: [String] { (json["errors"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? [] }
        var fields: [String] { (json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
        var rows: [Int] { (json["errors"] as? [[String: Any]])?.compactMap { $0["row"] as? Int } ?? [] }
        subscript(key: String) -> Any? { json[key] }
    }

    @discardableResult
    func call(
        _ method: HTTPMethod, _ path: String, _ object: [String: Any]? = nil, csv: String? = nil
    ) async throws -> Reply {
        var headers = self.headers
        var body = ByteBuffer()
        if let object {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
        } else if let csv {
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            body = ByteBuffer(string: csv)
        }
        let response = try await app.testing().performTest(
            request: .init(method: method, url: .init(string: path), headers: headers, body: body))
        return Reply(status: response.status, body: Data(response.body.readableBytesView))
    }

    /// Sends raw bytes (a file upload) or asks for part of a file (`range`); the reply keeps
    /// the response headers.
    func raw(
        _ method: HTTPMethod, _ path: String, data: Data? = nil, range: String? = nil
    ) async throws -> (Reply, HTTPHeaders) {
        var headers = self.headers
        if data != nil { headers.contentType = HTTPMediaType(type: "application", subType: "octet-stream") }
        if let range { headers.replaceOrAdd(name: .range, value: range) }
        let response = try await app.testing().performTest(
            request: .init(
                method: method, url: .init(string: path), headers: headers,
                body: data.map { ByteBuffer(data: $0) } ?? ByteBuffer()
            ))
        return (Reply(status: response.status, body: Data(response.body.readableBytesView)), response.headers)
    }
}
