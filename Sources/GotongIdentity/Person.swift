import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// One account for one person, valid in every tenant.
public final class Person: Model, @unchecked Sendable {
    public static let schema = "people"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// Stored lower-cased; unique across the platform.
    @Field(key: "email") public var email: String
    /// The 18-digit civil servant number, unique when present.
    @OptionalField(key: "nip") public var nip: String?
    @Field(key: "phone") public var phone: String
    @OptionalField(key: "home_tenant_id") public var homeTenantID: UUID?
    @Field(key: "unit_kerja") public var unitKerja: String
    @Field(key: "jabatan") public var jabatan: String
    /// Empty until the person sets a password (imported accounts wait for activation).
    @OptionalField(key: "password_hash") public var passwordHash: String?
    @OptionalField(key: "email_verified_at") public var emailVerifiedAt: Date?
    @Field(key: "is_platform_admin") public var isPlatformAdmin: Bool
    @Field(key: "locale") public var locale: String
    /// Notifications not read yet, kept with the person (see ``Notifier``), so the menu of every
    /// page shows the number without a query of its own.
    @Field(key: "unread_notifications") public var unreadNotifications: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [
            $id, $name, $email, $nip, $phone, $homeTenantID, $unitKerja, $jabatan, $passwordHash, $emailVerifiedAt,
            $isPlatformAdmin, $locale, $unreadNotifications, $createdAt, $updatedAt,
        ]
    }

    public init(
        id: UUID? = nil, name: String, email: String, nip: String? = nil, phone: String = "",
        homeTenantID: UUID? = nil, unitKerja: String = "", jabatan: String = "",
        passwordHash: String? = nil, emailVerifiedAt: Date? = nil, isPlatformAdmin: Bool = false, locale: String = "id"
    ) {
        self.id = id
        self.name = name
        self.email = Person.normalise(email: email)
        self.nip = nip
        self.phone = phone
        self.homeTenantID = homeTenantID
        self.unitKerja = unitKerja
        self.jabatan = jabatan
        self.passwordHash = passwordHash
        self.emailVerifiedAt = emailVerifiedAt
        self.isPlatformAdmin = isPlatformAdmin
        self.locale = locale
        self.unreadNotifications = 0
    }

    public static func normalise(email: String) -> String { EmailAddress.normalise(email) }

    public static func find(email: String, on db: any Database) async throws -> Person? {
        guard isValidEmail(normalise(email: email)) else { return nil }
        return try await Person.query(on: db).filter(\.$email == normalise(email: email)).first()
    }

    public static func isValidEmail(_ email: String) -> Bool { EmailAddress.isValid(email) }
}

extension Person: SessionAuthenticatable {
    public var sessionID: UUID { id ?? UUID() }
}
