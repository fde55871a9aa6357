import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import NIOCore
import NIOPosix

/// The social platforms' stand-in (`tests/e2e/peers/social_platforms.py`), run for a test: it
/// takes sends as WhatsApp, Instagram and X do, and signs webhook deliveries with Python's own
/// HMAC, so Gotong's side is checked against code that is not Gotong's.
final class SocialStandIn: @unchecked Sendable {
    let process: Process
    let base: String
    let client: HTTPClient

    struct Signed: Decodable {
        let body: String
        let header: String
        let signature: String
    }

    struct Sent: Decodable {
        let platform: String
        let path: String
        let authorization: String
        let failed: Bool
        let body: [String: JSONValue]
    }

    let input: Pipe

    private init(process: Process, input: Pipe, base: String) {
        self.process = process
        self.input = input
        self.base = base
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
    }

    static func with(_ body: (SocialStandIn) async throws -> Void) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/e2e/peers/social_platforms.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, "--port", "0", "--exit-with-stdin"]
        let output = Pipe()
        process.standardOutput = output
        // Its end of this pipe closes when the test process ends, however it ends: it stops then.
        let input = Pipe()
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw StandInError(description: "the stand-in did not start: \(text)")
        }
        let standIn = SocialStandIn(process: process, input: input, base: "http://127.0.0.1:\(port)")
        do {
            try await body(standIn)
        } catch {
            try? await standIn.client.shutdown()
            standIn.stop()
            throw error
        }
        try await standIn.client.shutdown()
        standIn.stop()
    }

    /// Stopped by closing its input (it exits when that closes) and a kill; Foundation's own
    /// wait spins, so the child is reaped by `waitpid`.
    private func stop() {
        try? input.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        var status: Int32 = 0
        waitpid(process.processIdentifier, &status, 0)
    }

    struct StandInError: Error, CustomStringConvertible { let description: String }

    private func control(_ path: String, _ object: [String: Any]) async throws -> Data {
        var request = HTTPClientRequest(url: base + "/_control/" + path)
        request.method = .POST
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: object)))
        let response = try await client.execute(request, timeout: LiveServer.hangGuard)
        return Data(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// A delivery of one message as the platform sends it, signed with `secret`.
    func delivery(
        _ channel: String, secret: String, account: String, from: String, name: String = "", id: String, text: String,
        kind: String = "dm"
    ) async throws -> Signed {
        try JSONDecoder().decode(
            Signed.self,
            from: try await control(
                "delivery",
                [
                    "channel": channel, "secret": secret, "account": account, "from": from, "name": name, "id": id,
                    "text": text, "kind": kind,
                ]))
    }

    /// A WhatsApp message holding media (`kind`: `image` or `document`) by the id ``media(_:type:)``
    /// gave, with a caption, signed.
    func mediaDelivery(
        secret: String, account: String, from: String, id: String, kind: String, media: String, caption: String
    ) async throws -> Signed {
        try JSONDecoder().decode(
            Signed.self,
            from: try await control(
                "delivery",
                [
                    "channel": "whatsapp", "secret": secret, "account": account, "from": from, "id": id,
                    kind: ["id": media, "caption": caption],
                ]))
    }

    /// Media the platform keeps (a citizen's photo), by the id it answers.
    func media(_ data: Data, type: String) async throws -> String {
        let answer = try await control("media", ["mime_type": type, "base64": data.base64EncodedString()])
        return (try JSONSerialization.jsonObject(with: answer) as? [String: String])?["id"] ?? ""
    }

    /// WhatsApp's report on a sent message (`delivered`, `read`, `failed`), signed.
    func status(secret: String, account: String, id: String, status: String) async throws -> Signed {
        try JSONDecoder().decode(
            Signed.self,
            from: try await control("status", ["secret": secret, "account": account, "id": id, "status": status]))
    }

    /// X's expected answer to a CRC token.
    func crc(secret: String, token: String) async throws -> String {
        let data = try await control("crc", ["secret": secret, "token": token])
        return (try JSONSerialization.jsonObject(with: data) as? [String: String])?["response_token"] ?? ""
    }

    /// The next `count` sends answer `status`.
    func fail(next count: Int, status: Int) async throws {
        _ = try await control("fail", ["count": count, "status": status])
    }

    func sent() async throws -> [Sent] {
        let response = try await client.execute(
            HTTPClientRequest(url: base + "/_control/sent"), timeout: LiveServer.hangGuard)
        return try JSONDecoder().decode([Sent].self, from: Data(buffer: try await response.body.collect(upTo: 1 << 22)))
    }
}

/// Any JSON value, for reading what the stand-in received.
enum JSONValue: Decodable, Equatable {
    case string(String), number(Double), bool(Bool), object([String: JSONValue]), array([JSONValue]), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let v = try? c.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? c.decode(Double.self) {
            self = .number(v)
        } else if let v = try? c.decode(String.self) {
            self = .string(v)
        } else if let v = try? c.decode([JSONValue].self) {
            self = .array(v)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
