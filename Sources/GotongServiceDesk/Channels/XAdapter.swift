import Foundation
import Vapor

/// X's Account Activity API: direct messages to the account (`for_user_id`, the channel's
/// account) and posts that mention it, signed in `x-twitter-webhooks-signature` (base64) with
/// the app's consumer secret; the CRC handshake answers `crc_token` with its HMAC. Sends a
/// direct message by `POST /2/dm_conversations/with/{participant_id}/messages`.
struct XAdapter: ChannelAdapter {
    let channel = DeskCase.Channel.x
    let apiHost = "https://api.x.com"
    let maxText = 10_000

    func isSigned(_ body: Data, headers: HTTPHeaders, secret: String) -> Bool {
        Signature.matches(
            headers.first(name: "x-twitter-webhooks-signature"), body: body, secret: secret, encoding: .base64)
    }

    /// The CRC answers the HMAC of the token with the secret that signs deliveries: a token is
    /// taken only in the alphabet X's tokens use (letters, digits, `-_=+/`), so no token can be a
    /// delivery's body and the answer can never serve as a delivery's signature.
    func handshake(_ query: [String: String], credentials: ChannelCredentials) -> Handshake {
        guard let token = query["crc_token"], (1...200).contains(token.utf8.count),
            token.utf8.allSatisfy(Self.tokenByte), !credentials.appSecret.isEmpty
        else { return .refused }
        let code = Signature.code(Data(token.utf8), secret: credentials.appSecret).base64EncodedString()
        let answer = try? JSONEncoder().encode(["response_token": "sha256=" + code])
        return answer.map { .json(String(decoding: $0, as: UTF8.self)) } ?? .refused
    }

    static func tokenByte(_ c: UInt8) -> Bool {
        (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) || [45, 95, 61, 43, 47].contains(c)
    }

    struct Payload: Decodable {
        struct DirectMessage: Decodable {
            struct Create: Decodable {
                struct Data: Decodable { var text: String? }
                var sender_id: String
                var message_data: Data?
            }
            var type: String?
            var id: String
            var message_create: Create?
        }
        struct Post: Decodable {
            struct User: Decodable { var id_str: String; var screen_name: String? }
            var id_str: String
            var text: String?
            var user: User
        }
        struct User: Decodable { var screen_name: String? }
        var for_user_id: String?
        var direct_message_events: [DirectMessage]?
        var tweet_create_events: [Post]?
        var users: [String: User]?
    }

    func read(_ body: Data, account: String) throws -> Delivery {
        let payload = try JSONDecoder().decode(Payload.self, from: body)
        guard payload.for_user_id == account else { return Delivery() }
        var delivery = Delivery()
        for event in payload.direct_message_events ?? [] where event.type == nil || event.type == "message_create" {
            guard let create = event.message_create, create.sender_id != account else { continue }
            let text = create.message_data?.text ?? ""
            delivery.messages.append(
                Inbound(
                    id: "dm:" + event.id, handle: create.sender_id,
                    name: payload.users?[create.sender_id]?.screen_name ?? "",
                    text: text.isEmpty ? "[pesan]" : text))
        }
        for post in payload.tweet_create_events ?? [] where post.user.id_str != account {
            guard let text = post.text, !text.isEmpty else { continue }
            delivery.messages.append(
                Inbound(
                    id: "post:" + post.id_str, handle: post.user.id_str, name: post.user.screen_name ?? "", text: text))
        }
        return delivery
    }

    func sendRequest(
        _ text: String, to handle: String, comment: String?, account: String, token: String, base: String
    )
        throws -> SendRequest
    {
        try .json("\(base)/2/dm_conversations/with/\(handle)/messages", token: token, ["text": text])
    }

    /// A post on the account by `POST /2/tweets`: the text and the post's link, no image (X's
    /// media upload is not used).
    func publish(
        _ item: Publication, account: String, token: String, base: String,
        call: @Sendable (SendRequest) async throws -> Data
    ) async throws -> String {
        struct Answer: Decodable {
            struct Post: Decodable { var id: String }
            var data: Post?
        }
        let answer = try await call(try .json("\(base)/2/tweets", token: token, ["text": item.text]))
        return (try? JSONDecoder().decode(Answer.self, from: answer))?.data?.id ?? ""
    }

    func sentID(_ body: Data) -> String? {
        struct Answer: Decodable {
            struct Event: Decodable { var dm_event_id: String? }
            var data: Event?
        }
        return (try? JSONDecoder().decode(Answer.self, from: body))?.data?.dm_event_id
    }
}
