import Fluent
import Foundation
import NIOConcurrencyHelpers
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

/// A browser at a network address of its own: requests arrive with that socket peer (the
/// in-memory tester sends none), so tests can play several people on several addresses.
final class Visitor: @unchecked Sendable {
    let app: Application
    let peer: String
    var cookies: [String: String] = [CSRF.cookieName: Browser.csrf]
    /// Sent with every request (an X-Forwarded-For, say).
    var headers: HTTPHeaders = [:]

    init(_ app: Application, from peer: String) {
        self.app = app
        self.peer = peer
    }

    struct Reply {
        let status: HTTPStatus
        let headers: HTTPHeaders
        let data: Data
        var body: String { String(decoding: data, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:] }
        var fields: [String] { (json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
    }

    func post(_ path: String, form: [String: String]) async throws -> Reply {
        var fields = form
        fields[CSRF.fieldName] = Browser.csrf
        let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "-._~"))
        let body = fields.map { field -> String in
            let name = field.key.addingPercentEncoding(withAllowedCharacters: allowed)!
            return "\(name)=\(field.value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    func json(
        _ method: HTTPMethod, _ path: String, _ object: [String: Any]? = nil, headers: HTTPHeaders = [:]
    ) async throws -> Reply {
        var headers = headers
        var body: ByteBuffer?
        if let object {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
        }
        return try await send(method, path, headers: headers, body: body)
    }

    func send(
        _ method: HTTPMethod, _ path: String, headers extra: HTTPHeaders = [:], body: ByteBuffer? = nil
    ) async throws -> Reply {
        try await app.asyncBoot()
        var headers = self.headers
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        headers.replaceOrAdd(name: .contentLength, value: "\(body?.readableBytes ?? 0)")
        let request = Request(
            application: app, method: method, url: URI(string: path), headers: headers, collectedBody: body,
            remoteAddress: try SocketAddress(ipAddress: peer, port: 40000), logger: app.logger,
            on: app.eventLoopGroup.next())
        let response = try await app.responder.respond(to: request).get()
        let collected = try await response.body.collect(on: request.eventLoop).get()
        for (name, cookie) in response.headers.setCookie?.all ?? [:] {
            if cookie.string.isEmpty || cookie.maxAge == 0 {
                cookies[name] = nil
            } else {
                cookies[name] = cookie.string
            }
        }
        return Reply(
            status: response.status, headers: response.headers,
            data: collected.map { Data($0.readableBytesView) } ?? Data())
    }
}

/// Stands in for `Task.sleep` in sign-in and records each wait, so tests of the throttle's
/// growing delays take no time.
final class PauseRecorder: Sendable {
    private let box = NIOLockedValueBox<[Duration]>([])

    init(_ app: Application) {
        app.signInPause = { [box] duration in box.withLockedValue { $0.append(duration) } }
    }

    var all: [Duration] { box.withLockedValue { $0 } }
}

/// Checks passwords with bcrypt and records every hash a password was checked against; with
/// `skipDummy` the stand-in hash answers "wrong" at once, for tests that make many attempts.
final class RecordingHasher: PasswordHashing {
    private let inner: BcryptHasher
    private let skipDummy: Bool
    private let box = NIOLockedValueBox<[String]>([])

    init(_ app: Application, skipDummy: Bool) {
        inner = BcryptHasher(app: app)
        self.skipDummy = skipDummy
        app.passwordHashing = self
    }

    var verified: [String] { box.withLockedValue { $0 } }

    func hash(_ password: String) async throws -> String { try await inner.hash(password) }

    func verify(_ password: String, hash: String) async throws -> Bool {
        box.withLockedValue { $0.append(hash) }
        if skipDummy, hash == Accounts.dummyHash { return false }
        return try await inner.verify(password, hash: hash)
    }
}
