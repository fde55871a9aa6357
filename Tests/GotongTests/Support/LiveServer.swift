import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Vapor

/// The application listening on a real socket for the whole of a test, and a client whose
/// requests may take minutes: bodies then arrive in pieces as from a browser. VaporTesting's
/// live mode restarts the server for every request and gives up after 30 s, which a loaded
/// two-core test run overshoots. The deadline only guards against a hang: with the whole suite's
/// hundreds of tests in flight on two cores, a 1 MB upload has waited more than 300 s for its turn.
struct LiveServer {
    let client: HTTPClient
    let base: String
    /// Far beyond any wait for the CPU; only a request that never ends reaches it.
    static let hangGuard = TimeAmount.minutes(20)

    struct Reply {
        let status: HTTPStatus
        let body: String
    }

    static func with(_ app: Application, _ body: (LiveServer) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        do {
            guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError) }
            try await body(LiveServer(client: client, base: "http://127.0.0.1:\(port)"))
        } catch {
            try? await client.shutdown()
            await app.server.shutdown()
            throw error
        }
        try await client.shutdown()
        await app.server.shutdown()
    }

    /// Sends a request with `cookies` (a signed-in browser's) and reads up to 1 MB of answer.
    func send(
        _ method: HTTPMethod, _ path: String, cookies: [String: String], headers: HTTPHeaders = [:], body: ByteBuffer
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers = headers
        request.headers.replaceOrAdd(
            name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: Self.hangGuard)
        let answer = try await response.body.collect(upTo: 1_048_576)
        return Reply(status: response.status, body: String(buffer: answer))
    }
}
