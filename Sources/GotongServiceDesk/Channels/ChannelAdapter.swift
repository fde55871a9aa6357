import Crypto
import Foundation
import GotongPlatform
import Vapor

/// A message a platform delivered: its sender's id on the platform, their name there, the text,
/// and the platform's id of the message (a retried delivery carries the same id).
struct Inbound: Sendable, Equatable {
    var id: String
    var handle: String
    var name: String
    var text: String
    /// The public comment it is (Instagram): an answer goes to its writer privately, by it.
    var comment: String?
    /// The platform's id of a photo or document it holds (WhatsApp), fetched by ``ChannelMedia``.
    var media: String? = nil
}

/// What a platform reported of a message sent earlier (WhatsApp's statuses).
struct DeliveryReport: Sendable, Equatable {
    var id: String
    var state: DeskOutbox.State
    var error: String
}

/// One delivery to a webhook, read.
struct Delivery: Sendable, Equatable {
    var messages: [Inbound] = []
    var reports: [DeliveryReport] = []
}

/// A tenant's keys to a platform: the app's secret (which signs deliveries; X's consumer
/// secret), the token sends are made with, and the token the platform's set-up handshake
/// brings back (Meta's verify token, made by Gotong).
struct ChannelCredentials: Codable, Sendable, Equatable {
    var appSecret: String
    var accessToken: String
    var verifyToken: String
}

/// A request to a platform's send API.
struct SendRequest: Sendable {
    var url: String
    var headers: HTTPHeaders
    var body: Data
}

/// What a platform's set-up handshake (a GET at the webhook) is answered with.
enum Handshake: Equatable {
    case text(String)
    case json(String)
    case refused
}

/// The one protocol of the channels: reading and checking what a platform delivers, answering
/// its handshake, and making its send request. Each adapter follows its platform's documented
/// shapes; the stand-in of `tests/standins/` plays them in the tests.
protocol ChannelAdapter: Sendable {
    var channel: DeskCase.Channel { get }
    /// The platform's API host, unless `GOTONG_SOCIAL_API` says otherwise.
    var apiHost: String { get }
    /// The longest text one message may hold (a longer reply goes in parts), in characters or,
    /// when `countsBytes`, in UTF-8 bytes.
    var maxText: Int { get }
    var countsBytes: Bool { get }
    /// Whether `body` was signed with the app's secret (the delivery's signature header).
    func isSigned(_ body: Data, headers: HTTPHeaders, secret: String) -> Bool
    func handshake(_ query: [String: String], credentials: ChannelCredentials) -> Handshake
    /// The messages and reports of a delivery meant for `account` (others' are left out);
    /// throws on a body that is not the platform's shape.
    func read(_ body: Data, account: String) throws -> Delivery
    func sendRequest(
        _ text: String, to handle: String, comment: String?, account: String, token: String, base: String
    )
        throws -> SendRequest
    /// The platform's id of the message it took, from its answer.
    func sentID(_ body: Data) -> String?
    /// The address that tells where the media `id` can be downloaded (nil: the platform's
    /// messages bring none here), and that address read from its answer.
    func mediaRequest(_ id: String, base: String) -> String?
    func mediaAddress(_ answer: ByteBuffer) -> String?
    /// A post to one contact of the broadcast list: outside the 24 hours after their last
    /// message a platform may take only an approved template (WhatsApp); others take the text.
    func broadcastRequest(
        _ text: String, to handle: String, account: String, token: String, base: String
    ) throws
        -> SendRequest
    /// Whether `account` is an id of the platform's form (digits for most).
    func accepts(account: String) -> Bool
    /// Posts `item` on the channel's own account by the platform's publishing API, making each
    /// request with `call` (which answers the platform's body or throws its refusal); the
    /// platform's id of the post. Platforms with no publishing API here refuse.
    func publish(
        _ item: Publication, account: String, token: String, base: String,
        call: @Sendable (SendRequest) async throws -> Data
    ) async throws -> String
}

extension ChannelAdapter {
    var countsBytes: Bool { false }
    func mediaRequest(_ id: String, base: String) -> String? { nil }
    func mediaAddress(_ answer: ByteBuffer) -> String? { nil }
    func broadcastRequest(
        _ text: String, to handle: String, account: String, token: String, base: String
    ) throws
        -> SendRequest
    {
        try sendRequest(text, to: handle, comment: nil, account: account, token: token, base: base)
    }
    func accepts(account: String) -> Bool {
        (1...32).contains(account.utf8.count) && account.utf8.allSatisfy { (48...57).contains($0) }
    }
    func publish(
        _ item: Publication, account: String, token: String, base: String,
        call: @Sendable (SendRequest) async throws -> Data
    ) async throws -> String {
        throw Outbox.Failure.final("\(channel.rawValue) takes no posts from here")
    }
}

enum ChannelAdapters {
    static func of(_ channel: DeskCase.Channel) -> (any ChannelAdapter)? {
        switch channel {
        case .whatsapp: WhatsAppAdapter()
        case .instagram: InstagramAdapter()
        case .x: XAdapter()
        case .telegram: TelegramAdapter()
        case .web: nil
        }
    }

    /// The channels a platform delivers from.
    static let social: [DeskCase.Channel] = [.whatsapp, .instagram, .x, .telegram]
}

/// HMAC-SHA256 signatures as the platforms send them: `sha256=` and the code, in hex (Meta's
/// `X-Hub-Signature-256`) or base64 (X's `x-twitter-webhooks-signature`). Compared in constant
/// time by swift-crypto.
enum Signature {
    enum Encoding { case hex, base64 }

    static func code(_ data: Data, secret: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Data(secret.utf8))))
    }

    static func matches(_ header: String?, body: Data, secret: String, encoding: Encoding) -> Bool {
        guard !secret.isEmpty, let header, header.hasPrefix("sha256=") else { return false }
        let text = String(header.dropFirst(7))
        let sent: Data? =
            switch encoding {
            case .hex: Data(hexString: text)
            case .base64: Data(base64Encoded: text)
            }
        guard let sent, sent.count == 32 else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            sent, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }
}

extension Data {
    /// Bytes from hex text; nil for anything else.
    init?(hexString text: String) {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}

extension SendRequest {
    /// A JSON POST with the bearer token.
    static func json(_ url: String, token: String, _ body: some Encodable) throws -> SendRequest {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "application/json")
        headers.add(name: .authorization, value: "Bearer " + token)
        return SendRequest(url: url, headers: headers, body: try JSONEncoder().encode(body))
    }
}
