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

/// A minimal browser for tests: keeps cookies between requests and fills in the CSRF field of
/// every form post, as a real page would.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    static let csrf = "test-csrf-token-0123456789abcdef"
    /// In memory by default; `.running` sends real HTTP to a listening server, where bodies
    /// stream in as from a browser (and body limits apply).
    let transport: Application.Method

    init(_ app: Application, transport: Application.Method = .inMemory) {
        self.app = app
        self.transport = transport
        cookies[CSRF.cookieName] = Self.csrf
    }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers)
    }

    /// Posts a urlencoded form; `_csrf` is added unless `csrf` is false.
    @discardableResult
    func post(_ path: String, form: [String: String] = [:], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf { fields[CSRF.fieldName] = Self.csrf }
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let body = fields.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Posts a multipart form with one file field.
    @discardableResult
    func upload(
        _ path: String, field: String, filename: String, contentType: String, data: Data, form: [String: String] = [:]
    ) async throws -> TestingHTTPResponse {
        let (headers, body) = Self.multipart(
            field: field, filename: filename, contentType: contentType, data: data, form: form)
        return try await send(.POST, path, headers: headers, body: body)
    }

    /// A form with one file and `form`'s fields, as a page posts it (with the form's token).
    static func multipart(
        field: String, filename: String, contentType: String, data: Data, form: [String: String] = [:]
    ) -> (HTTPHeaders, ByteBuffer) {
        let boundary = "----gotong\(UUID().uuidString)"
        var body = Data()
        var fields = form
        fields[CSRF.fieldName] = Self.csrf
        for (name, value) in fields {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(
            Data(
                """
                --\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; \
                filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n
                """
                .utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, ByteBuffer(data: body))
    }

    func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing(method: transport).performTest(
            request: .init(method: method, url: .init(string: path), headers: headers, body: body ?? ByteBuffer()))
        for (name, cookie) in response.headers.setCookie?.all ?? [:] {
            if cookie.string.isEmpty || cookie.maxAge == 0 {
                cookies[name] = nil
            } else {
                cookies[name] = cookie.string
            }
        }
        return response
    }

    /// Signs in through the sign-in form and checks that it worked.
    func signIn(
        _ email: String, password: String = TestData.password, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await post("/masuk", form: ["email": email, "password": password])
        #expect(
            response.status == .seeOther, "sign-in of \(email) answered \(response.status)",
            sourceLocation: sourceLocation)
        #expect(cookies[SessionCookie.name] != nil, "no session cookie after sign-in", sourceLocation: sourceLocation)
    }

    private func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? s
    }
}
