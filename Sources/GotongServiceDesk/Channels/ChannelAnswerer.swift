import Crypto
import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import NIOConcurrencyHelpers
import Vapor

/// Answers a question a citizen sends on a channel from what the desk's site knows (the public
/// information module's service catalogue), before it becomes a case. The desk cannot name that
/// module; it registers its answerer here.
public final class ChannelAnswerer: Sendable {
    /// The reply to send for `question` in the tenant's scope, or nil when the answerer is not
    /// sure (the message then becomes a case as any other).
    public typealias Answer = @Sendable (TenantScope, String) async throws -> String?

    private let answer = NIOLockedValueBox<Answer?>(nil)

    public func register(_ answer: @escaping Answer) { self.answer.withLockedValue { $0 = answer } }

    var registered: Answer? { answer.withLockedValue { $0 } }

    /// Whether a message reads as a question rather than a report: it ends with a question
    /// mark, or one of its first three words is a word of asking ("syarat bikin ktp", "jam
    /// buka kantor sabtu"). A report ("Jalan di depan pasar rusak") is not.
    static func isQuestion(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 500 else { return false }
        if trimmed.hasSuffix("?") { return true }
        return IndonesianStemmer.words(trimmed).prefix(3).contains(where: askingWords.contains)
    }

    /// After an answer, the contact's messages go to an officer for this long (the reply
    /// promises it: "balas pesan ini untuk diteruskan ke petugas").
    static let quiet: TimeInterval = 86_400

    static let askingWords: Set<String> = [
        "apa", "apakah", "bagaimana", "gimana", "gmn", "berapa", "brp", "dimana", "dmn", "kapan", "syarat",
        "persyaratan", "cara", "caranya", "jam", "bisakah", "tanya", "bertanya", "prosedur", "biaya",
    ]

    /// Whether a message only thanks or acknowledges ("makasih min", "ok siap"): after an
    /// answer it needs no officer.
    static func isThanks(_ text: String) -> Bool {
        let words = IndonesianStemmer.words(text)
        return !words.isEmpty && words.count <= 6 && words.allSatisfy(thanksWords.contains)
    }

    static let thanksWords: Set<String> = [
        "terima", "kasih", "terimakasih", "makasih", "trims", "tq", "thanks", "thank", "you", "ok", "oke", "okay",
        "baik", "siap", "sip", "mantap", "min", "kak", "pak", "bu", "admin", "ya", "nggih", "hatur", "nuhun",
    ]
}

extension Application {
    private struct ChannelAnswererKey: StorageKey { typealias Value = ChannelAnswerer }

    public var channelAnswerer: ChannelAnswerer {
        if let kept = storage[ChannelAnswererKey.self] { return kept }
        let made = ChannelAnswerer()
        storage[ChannelAnswererKey.self] = made
        return made
    }
}

/// A contact answered by the answerer, by a keyed hash of their platform id (the id itself is
/// not kept once the answer is sent): for the half hour after it, their messages go to an
/// officer. Rows a day old are deleted as new ones come.
final class DeskAnswered: TenantOwned, @unchecked Sendable {
    static let schema = "desk_answered"
    static var tenantKey: KeyPath<DeskAnswered, FieldProperty<DeskAnswered, UUID>> { \.$tenantID }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Enum(key: "channel") var channel: DeskCase.Channel
    @Field(key: "contact") var contact: String
    /// What the contact asked and what they were answered, for the case their next message
    /// opens (an officer reads the whole exchange); gone with the row, two days on.
    @Field(key: "question") var question: String
    @Field(key: "reply") var reply: String
    @Field(key: "at") var at: Date

    init() {}

    var properties: [any AnyProperty] { [$id, $tenantID, $channel, $contact, $question, $reply, $at] }

    /// The contact's keyed hash: their platform id is digits, too few to hide behind a plain hash.
    static func contact(_ handle: String, key: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data("answered:\(handle)".utf8), using: key)).hex
    }

    /// Marks the contact answered now, in the answer's transaction.
    static func mark(
        _ contact: String, on channel: DeskCase.Channel, question: String, reply: String, in scope: TenantScope,
        now: Date
    ) async throws {
        try await scope.query(DeskAnswered.self).filter(\.$at < now.addingTimeInterval(-2 * ChannelAnswerer.quiet))
            .delete()
        try await scope.query(DeskAnswered.self).filter(\.$channel == channel).filter(\.$contact == contact).delete()
        let row = DeskAnswered()
        (row.tenantID, row.channel, row.contact, row.at) = (scope.tenantID, channel, contact, now)
        (row.question, row.reply) = (question, reply)
        try await row.create(on: scope.db)
    }

    /// The contact's answer within ``ChannelAnswerer/quiet`` of `now`, if any.
    static func lately(
        _ contact: String, on channel: DeskCase.Channel, in scope: TenantScope, now: Date
    ) async throws -> DeskAnswered? {
        try await scope.query(DeskAnswered.self).filter(\.$channel == channel).filter(\.$contact == contact)
            .filter(\.$at > now.addingTimeInterval(-ChannelAnswerer.quiet)).first()
    }
}

struct AddDeskAnswered: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(DeskAnswered.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("contact", .string, .required)
            .field("question", .string, .required)
            .field("reply", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "tenant_id", "channel", "contact")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(DeskAnswered.schema).delete() }
}
