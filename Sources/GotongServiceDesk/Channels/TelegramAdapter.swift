import Foundation
import GotongPlatform
import Vapor

/// Telegram's Bot API: updates to the tenant's bot reach its webhook carrying the secret token
/// given to `setWebhook` in `X-Telegram-Bot-Api-Secret-Token` (Telegram signs nothing; the
/// token is the proof, compared by its hash). Private chats become messages by the chat's id;
/// groups and channels the bot sits in are left out. Sends by `POST /bot{token}/sendMessage`;
/// posts go to the channel the account names (`@namakanal` or its numeric id).
struct TelegramAdapter: ChannelAdapter {
    let channel = DeskCase.Channel.telegram
    let apiHost = "https://api.telegram.org"
    let maxText = 4096

    func isSigned(_ body: Data, headers: HTTPHeaders, secret: String) -> Bool {
        guard !secret.isEmpty, let sent = headers.first(name: "X-Telegram-Bot-Api-Secret-Token") else { return false }
        return SecretToken.matches(sent, hash: SecretToken.hash(secret))
    }

    /// Telegram has no handshake: the webhook is set by the bot's owner with `setWebhook`.
    func handshake(_ query: [String: String], credentials: ChannelCredentials) -> Handshake { .refused }

    /// A channel's public username (`@name`, 5–32 letters, digits or `_`) or a chat's numeric id
    /// (channels' are negative).
    func accepts(account: String) -> Bool {
        if account.hasPrefix("@") {
            let name = account.utf8.dropFirst()
            return (5...32).contains(name.count)
                && name.allSatisfy {
                    $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
                }
        }
        let digits = account.hasPrefix("-") ? account.utf8.dropFirst() : account.utf8[...]
        return (1...20).contains(digits.count) && digits.allSatisfy { (48...57).contains($0) }
    }

    struct Update: Decodable {
        struct Message: Decodable {
            struct User: Decodable {
                var id: Int64
                var username: String?
                var first_name: String?
            }
            struct Chat: Decodable {
                var id: Int64
                var type: String
            }
            var message_id: Int64
            var from: User?
            var chat: Chat
            var text: String?
            var caption: String?
            var photo: [JSONIgnored]?
            var document: JSONIgnored?
        }
        var update_id: Int64
        var message: Message?
    }

    /// A value whose content is not read.
    struct JSONIgnored: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    func read(_ body: Data, account: String) throws -> Delivery {
        let update = try JSONDecoder().decode(Update.self, from: body)
        guard let message = update.message, message.chat.type == "private", message.chat.id > 0 else {
            return Delivery()
        }
        let kind = message.photo != nil ? "foto" : message.document != nil ? "dokumen" : "pesan"
        let text = message.text ?? message.caption ?? ""
        let name = message.from?.username ?? message.from?.first_name ?? ""
        return Delivery(messages: [
            Inbound(
                id: "\(message.chat.id):\(message.message_id)", handle: String(message.chat.id), name: name,
                text: text.isEmpty ? "[\(kind)]" : text)
        ])
    }

    func sendRequest(
        _ text: String, to handle: String, comment: String?, account: String, token: String, base: String
    )
        throws -> SendRequest
    {
        try Self.call("sendMessage", token: token, base: base, ["chat_id": handle, "text": text])
    }

    /// A post to the channel: a photo with the text as its caption, or the text alone.
    func publish(
        _ item: Publication, account: String, token: String, base: String,
        call: @Sendable (SendRequest) async throws -> Data
    ) async throws -> String {
        let request =
            if let image = item.image {
                try Self.call(
                    "sendPhoto", token: token, base: base, ["chat_id": account, "photo": image, "caption": item.text])
            } else {
                try Self.call("sendMessage", token: token, base: base, ["chat_id": account, "text": item.text])
            }
        return sentID(try await call(request)) ?? ""
    }

    /// A Bot API method called with JSON; the bot's token is in the address, as Telegram takes it.
    static func call(_ method: String, token: String, base: String, _ body: [String: String]) throws -> SendRequest {
        guard token.utf8.allSatisfy({ XAdapter.tokenByte($0) || $0 == 58 }) else {
            throw Outbox.Failure.final("the bot's token holds characters Telegram's tokens do not")
        }
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "application/json")
        return SendRequest(url: "\(base)/bot\(token)/\(method)", headers: headers, body: try JSONEncoder().encode(body))
    }

    func sentID(_ body: Data) -> String? {
        struct Answer: Decodable {
            struct Sent: Decodable { var message_id: Int64 }
            var ok: Bool
            var result: Sent?
        }
        return (try? JSONDecoder().decode(Answer.self, from: body))?.result.map { String($0.message_id) }
    }
}
