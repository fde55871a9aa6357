import Foundation
import GotongPlatform
import Vapor

/// Meta's webhooks (WhatsApp Cloud API, Instagram): deliveries signed in `X-Hub-Signature-256`
/// with the app's secret (hex), and a set-up handshake that echoes `hub.challenge` when
/// `hub.verify_token` is the one the tenant was given.
protocol MetaAdapter: ChannelAdapter {}

extension MetaAdapter {
    func isSigned(_ body: Data, headers: HTTPHeaders, secret: String) -> Bool {
        Signature.matches(headers.first(name: "X-Hub-Signature-256"), body: body, secret: secret, encoding: .hex)
    }

    func handshake(_ query: [String: String], credentials: ChannelCredentials) -> Handshake {
        guard query["hub.mode"] == "subscribe", let token = query["hub.verify_token"],
            !credentials.verifyToken.isEmpty, SecretToken.hash(token) == SecretToken.hash(credentials.verifyToken),
            let challenge = query["hub.challenge"], !challenge.isEmpty, challenge.count <= 200
        else { return .refused }
        return .text(challenge)
    }
}

/// WhatsApp Cloud API: messages to the business's number (`metadata.phone_number_id`, the
/// channel's account), statuses of what it sent; sends by `POST /{phone-number-id}/messages`.
struct WhatsAppAdapter: MetaAdapter {
    let channel = DeskCase.Channel.whatsapp
    let apiHost = "https://graph.facebook.com"
    let maxText = 4096

    struct Payload: Decodable {
        struct Entry: Decodable { var changes: [Change]? }
        struct Change: Decodable { var value: Value? }
        struct Value: Decodable {
            var metadata: Metadata?
            var contacts: [Contact]?
            var messages: [Message]?
            var statuses: [Status]?
        }
        struct Metadata: Decodable { var phone_number_id: String? }
        struct Contact: Decodable {
            struct Profile: Decodable { var name: String? }
            var wa_id: String?
            var profile: Profile?
        }
        struct Message: Decodable {
            struct Text: Decodable { var body: String? }
            struct Media: Decodable {
                var id: String?
                var caption: String?
            }
            var from: String
            var id: String
            var type: String?
            var text: Text?
            var image, document, video: Media?
        }
        struct Status: Decodable {
            struct Problem: Decodable { var code: Int?; var title: String? }
            var id: String
            var status: String
            var errors: [Problem]?
        }
        var object: String?
        var entry: [Entry]
    }

    func read(_ body: Data, account: String) throws -> Delivery {
        let payload = try JSONDecoder().decode(Payload.self, from: body)
        var delivery = Delivery()
        for value in payload.entry.flatMap({ $0.changes ?? [] }).compactMap(\.value)
        where value.metadata?.phone_number_id == account {
            let names = Dictionary(
                (value.contacts ?? []).compactMap { c in c.wa_id.map { ($0, c.profile?.name ?? "") } },
                uniquingKeysWith: { first, _ in first })
            for message in value.messages ?? [] {
                let text =
                    message.text?.body ?? message.image?.caption ?? message.document?.caption
                    ?? message.video?.caption ?? ""
                // A photo or a document comes by its media id (a video is only named).
                let media = (message.image ?? message.document)?.id.flatMap { id in
                    id.utf8.allSatisfy { (48...57).contains($0) } && (1...40).contains(id.utf8.count) ? id : nil
                }
                delivery.messages.append(
                    Inbound(
                        id: message.id, handle: message.from, name: names[message.from] ?? "",
                        text: text.isEmpty ? "[\(message.type ?? "pesan")]" : text, media: media))
            }
            for status in value.statuses ?? [] {
                guard let state = Self.states[status.status] else { continue }
                let problem = status.errors?.first.map { "\($0.code.map(String.init) ?? "") \($0.title ?? "")" }
                delivery.reports.append(DeliveryReport(id: status.id, state: state, error: problem ?? ""))
            }
        }
        return delivery
    }

    static let states: [String: DeskOutbox.State] = [
        "sent": .sent, "delivered": .delivered, "read": .read, "failed": .failed,
    ]

    struct Send: Encodable {
        struct Text: Encodable {
            var preview_url = false
            var body: String
        }
        var messaging_product = "whatsapp"
        var recipient_type = "individual"
        var to: String
        var type = "text"
        var text: Text
    }

    func sendRequest(
        _ text: String, to handle: String, comment: String?, account: String, token: String, base: String
    )
        throws -> SendRequest
    {
        try .json("\(base)/v21.0/\(account)/messages", token: token, Send(to: handle, text: .init(body: text)))
    }

    /// The approved template a post goes out in to the broadcast list: WhatsApp takes free text
    /// only within 24 hours of the contact's last message. The tenant has Meta approve a
    /// template of this name in Indonesian whose body is `{{1}}`; the post is its one parameter
    /// (one line: parameters hold no line breaks).
    static let postTemplate = "kabar_layanan"

    struct TemplateSend: Encodable {
        struct Template: Encodable {
            struct Language: Encodable { var code = "id" }
            struct Component: Encodable {
                struct Parameter: Encodable {
                    var type = "text"
                    var text: String
                }
                var type = "body"
                var parameters: [Parameter]
            }
            var name = WhatsAppAdapter.postTemplate
            var language = Language()
            var components: [Component]
        }
        var messaging_product = "whatsapp"
        var recipient_type = "individual"
        var to: String
        var type = "template"
        var template: Template
    }

    func broadcastRequest(
        _ text: String, to handle: String, account: String, token: String, base: String
    ) throws
        -> SendRequest
    {
        try .json(
            "\(base)/v21.0/\(account)/messages", token: token,
            TemplateSend(to: handle, template: .init(components: [.init(parameters: [.init(text: text)])])))
    }

    func sentID(_ body: Data) -> String? {
        struct Answer: Decodable {
            struct Sent: Decodable { var id: String }
            var messages: [Sent]?
        }
        return (try? JSONDecoder().decode(Answer.self, from: body))?.messages?.first?.id
    }

    /// The media's node on the Graph API (`GET /v21.0/{media-id}`), which names its `url`.
    func mediaRequest(_ id: String, base: String) -> String? { "\(base)/v21.0/\(id)" }

    func mediaAddress(_ answer: ByteBuffer) -> String? {
        struct Node: Decodable { var url: String? }
        return (try? JSONDecoder().decode(Node.self, from: answer))?.url
    }
}

/// Instagram messaging and comments: direct messages to the professional account (the entry's
/// id, the channel's account) and comments on its media; its own messages (echoes) and
/// comments are left out. Sends by `POST /{ig-id}/messages`, to a commenter privately by the
/// comment's id.
struct InstagramAdapter: MetaAdapter {
    let channel = DeskCase.Channel.instagram
    let apiHost = "https://graph.instagram.com"
    let maxText = 1000
    let countsBytes = true

    struct Payload: Decodable {
        struct Party: Decodable { var id: String; var username: String? }
        struct Entry: Decodable {
            var id: String
            var messaging: [Messaging]?
            var changes: [Change]?
        }
        struct Messaging: Decodable {
            struct Message: Decodable {
                struct Attachment: Decodable { var type: String? }
                var mid: String
                var text: String?
                var is_echo: Bool?
                var attachments: [Attachment]?
            }
            var sender: Party
            var message: Message?
        }
        struct Change: Decodable {
            struct Comment: Decodable {
                var id: String
                var text: String?
                var from: Party?
            }
            var field: String?
            var value: Comment?
        }
        var object: String?
        var entry: [Entry]
    }

    /// A feed post by Instagram's content publishing: a media container made from the image's
    /// public address and the caption (`POST /{ig-id}/media`), then published
    /// (`POST /{ig-id}/media_publish`). Instagram takes no post without an image.
    func publish(
        _ item: Publication, account: String, token: String, base: String,
        call: @Sendable (SendRequest) async throws -> Data
    ) async throws -> String {
        struct Made: Decodable { var id: String }
        guard let image = item.image else { throw Outbox.Failure.final("Instagram takes no post without an image") }
        let container = try await call(
            try .json("\(base)/v21.0/\(account)/media", token: token, ["image_url": image, "caption": item.text]))
        guard let made = try? JSONDecoder().decode(Made.self, from: container) else {
            throw Outbox.Failure.passing("Instagram made no media container")
        }
        do {
            let published = try await call(
                try .json("\(base)/v21.0/\(account)/media_publish", token: token, ["creation_id": made.id]))
            return (try? JSONDecoder().decode(Made.self, from: published))?.id ?? ""
        } catch Outbox.Failure.final(let why) where Self.notReady.contains(where: why.contains) {
            // The container is still being made from the image: a later try may pass.
            throw Outbox.Failure.passing(why)
        }
    }

    /// Instagram's answers for a container not yet ready to publish (its codes 9007, 2207027).
    static let notReady = ["9007", "2207027"]

    func read(_ body: Data, account: String) throws -> Delivery {
        let payload = try JSONDecoder().decode(Payload.self, from: body)
        var delivery = Delivery()
        for entry in payload.entry where entry.id == account {
            for event in entry.messaging ?? [] {
                guard let message = event.message, message.is_echo != true, event.sender.id != account else { continue }
                let kind = message.attachments?.first?.type ?? "pesan"
                let text = message.text ?? ""
                delivery.messages.append(
                    Inbound(
                        id: message.mid, handle: event.sender.id, name: event.sender.username ?? "",
                        text: text.isEmpty ? "[\(kind)]" : text))
            }
            for change in entry.changes ?? [] where change.field == "comments" {
                guard let comment = change.value, let from = comment.from, from.id != account,
                    let text = comment.text, !text.isEmpty
                else { continue }
                delivery.messages.append(
                    Inbound(
                        id: "comment:" + comment.id, handle: from.id, name: from.username ?? "", text: text,
                        comment: comment.id))
            }
        }
        return delivery
    }

    struct Send: Encodable {
        struct Recipient: Encodable {
            var id: String?
            var comment_id: String?
        }
        struct Message: Encodable { var text: String }
        var recipient: Recipient
        var message: Message
    }

    func sendRequest(
        _ text: String, to handle: String, comment: String?, account: String, token: String, base: String
    )
        throws -> SendRequest
    {
        let recipient = comment.map { Send.Recipient(comment_id: $0) } ?? Send.Recipient(id: handle)
        return try .json(
            "\(base)/v21.0/\(account)/messages", token: token, Send(recipient: recipient, message: .init(text: text)))
    }

    func sentID(_ body: Data) -> String? {
        struct Answer: Decodable { var message_id: String? }
        return (try? JSONDecoder().decode(Answer.self, from: body))?.message_id
    }
}
