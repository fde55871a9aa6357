import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// A work unit of a tenant (a dinas, a bidang, a kecamatan) that cases are routed to; its
/// officers see its queue.
public final class DeskUnit: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_units"
    public static var tenantKey: KeyPath<DeskUnit, FieldProperty<DeskUnit, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(tenantID: UUID, name: String, createdAt: Date) {
        self.tenantID = tenantID
        self.name = name
        self.createdAt = createdAt
    }

    public var properties: [any AnyProperty] { [$id, $tenantID, $name, $createdAt] }
}

/// A person's place at a tenant's desk: an officer of a unit, that unit's head (told when its
/// cases are overdue), or the data protection officer (unit nil), the one who may see who
/// reported an anonymous case. The tenant's administrators and coordinators see every case
/// without a row here.
public final class DeskStaff: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_staff"
    public static var tenantKey: KeyPath<DeskStaff, FieldProperty<DeskStaff, UUID>> { \.$tenantID }

    public enum Role: String, Codable, CaseIterable, Sendable {
        case petugas, kepala, dpo
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "person_id") public var personID: UUID
    @OptionalField(key: "unit_id") public var unitID: UUID?
    @Enum(key: "role") public var role: Role

    public init() {}

    public init(tenantID: UUID, personID: UUID, unitID: UUID?, role: Role) {
        self.tenantID = tenantID
        self.personID = personID
        self.unitID = unitID
        self.role = role
    }

    public var properties: [any AnyProperty] { [$id, $tenantID, $personID, $unitID, $role] }
}

/// A routing rule: a new case of `category` (any when nil) whose text holds `keyword` (any when
/// empty) goes to `unit`'s queue. Rules are tried in their order; the first that fits routes.
public final class DeskRule: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_rules"
    public static var tenantKey: KeyPath<DeskRule, FieldProperty<DeskRule, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @OptionalField(key: "category_id") public var categoryID: UUID?
    @Field(key: "keyword") public var keyword: String
    @Field(key: "position") public var position: Int

    public init() {}

    public init(tenantID: UUID, unitID: UUID, categoryID: UUID?, keyword: String, position: Int) {
        self.tenantID = tenantID
        self.unitID = unitID
        self.categoryID = categoryID
        self.keyword = keyword
        self.position = position
    }

    public var properties: [any AnyProperty] { [$id, $tenantID, $unitID, $categoryID, $keyword, $position] }
}

/// Which unit a new case goes to: the first rule, in order, whose category and keyword fit.
/// A keyword matches whole words, as they are read, regardless of case and accents: "jalan"
/// finds "Jalan" and "jálan", not "berjalan" or "perjalanan"; "lampu jalan" finds those two
/// words in a row.
enum Routing {
    static func unit(for categoryID: UUID, text: String, rules: [DeskRule]) -> UUID? {
        let words = Self.words(text)
        return rules.sorted { $0.position < $1.position }.first { rule in
            (rule.categoryID == nil || rule.categoryID == categoryID)
                && (rule.keyword.isEmpty || contains(words, Self.words(rule.keyword)))
        }?.unitID
    }

    /// The text's words, folded: letters and digits, everything else a gap.
    static func words(_ text: String) -> [Substring] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "id_ID"))
            .split { !$0.isLetter && !$0.isNumber }
    }

    private static func contains(_ words: [Substring], _ phrase: [Substring]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return false }
        return (0...(words.count - phrase.count)).contains { start in
            words[start..<(start + phrase.count)].elementsEqual(phrase)
        }
    }
}
