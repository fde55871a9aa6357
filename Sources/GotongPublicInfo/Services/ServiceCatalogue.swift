import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A tenant's service catalogue: its services with their FAQ, its everyday words, and the
/// answerer built over them, read whole.
public struct Catalogue: Sendable {
    public let version: Int
    public let services: [ServiceFacts]
    public let synonymsText: String
    public let index: AnswerIndex

    /// The services by category, categories and services in alphabetical order: sorted once,
    /// when the catalogue is built (sorting 500 names by the reader's rules on every request of
    /// the list took most of its time).
    public let byCategory: [(category: String, services: [ServiceFacts])]

    init(version: Int, services: [ServiceFacts], synonymsText: String, index: AnswerIndex) {
        (self.version, self.services, self.synonymsText, self.index) = (version, services, synonymsText, index)
        byCategory = Dictionary(grouping: services, by: \.category)
            .map { ($0.key, $0.value.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }) }
            .sorted { $0.0.localizedStandardCompare($1.0) == .orderedAscending }
    }

    public func service(slug: String) -> ServiceFacts? { services.first { $0.slug == slug } }
    public func service(id: UUID) -> ServiceFacts? { services.first { $0.id == id } }
}

/// Writing the catalogue — each change one transaction that also raises the tenant's version —
/// and reading it through a kept copy per tenant. The service page and the answerer are public
/// and busy; building a tenant's answerer takes milliseconds, so each process keeps the built
/// catalogue and reads only the version row per request: a change made by any process is seen
/// by every process at its next request.
public enum ServiceCatalogue {
    /// Raised after each change this process made, so its kept catalogue is read again at once.
    static let changes = Generations()

    /// Runs a change's transaction, then tells this process's kept catalogues.
    static func changing<T: Sendable>(
        _ scope: TenantScope, _ write: @escaping @Sendable (any Database) async throws -> T
    )
        async throws -> T
    {
        defer { changes.raise(scope.tenantID) }
        return try await scope.db.lockingTransaction(write)
    }

    // MARK: Writing

    /// Adds a service (and its FAQ) from a checked draft; 409 when the tenant has one so named.
    @discardableResult
    public static func add(_ draft: ServiceDraft, in scope: TenantScope, now: Date) async throws -> InfoService {
        let checked = try draft.checked()
        return try await changing(scope) { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            // First: the version row held until commit, so two changes of one tenant's
            // catalogue take turns and the second sees the first's name (409, not a 500).
            try await bump(scope, now: now)
            try await requireFree(checked.name, except: nil, in: scope)
            let row = InfoService()
            row.tenantID = scope.tenantID
            row.slug = try await freeSlug(for: checked.name, in: scope)
            row.createdAt = now
            fill(row, checked, now: now)
            try await row.create(on: tx)
            for (position, entry) in checked.faq.enumerated() {
                try await faq(entry, service: row, position: position, now: now).create(on: tx)
            }
            return row
        }
    }

    /// Replaces a service's facts (its address word stays, so links keep working); with
    /// `faq`, its FAQ too.
    public static func update(
        _ id: UUID, _ draft: ServiceDraft, replacingFAQ: Bool, in scope: TenantScope, now: Date
    ) async throws -> InfoService {
        let checked = try draft.checked()
        return try await changing(scope) { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            try await bump(scope, now: now)
            guard let row = try await scope.locked(InfoService.self, id) else { throw Abort(.notFound) }
            try await requireFree(checked.name, except: id, in: scope)
            fill(row, checked, now: now)
            try await row.save(on: tx)
            if replacingFAQ {
                try await scope.query(InfoFAQ.self).filter(\.$serviceID == id).delete()
                for (position, entry) in checked.faq.enumerated() {
                    try await faq(entry, service: row, position: position, now: now).create(on: tx)
                }
            }
            return row
        }
    }

    public static func remove(_ id: UUID, in scope: TenantScope, now: Date) async throws -> InfoService {
        try await changing(scope) { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let row = try await scope.locked(InfoService.self, id) else { throw Abort(.notFound) }
            try await scope.query(InfoFAQ.self).filter(\.$serviceID == id).delete()
            try await row.delete(on: tx)
            try await bump(scope, now: now)
            return row
        }
    }

    /// Adds an FAQ entry to a service, last; and, when it came from an unanswered question,
    /// takes that question off the list in the same transaction.
    public static func addFAQ(
        question: String?, answer: String?, to serviceID: UUID, answering unanswered: UUID? = nil,
        in scope: TenantScope, now: Date
    ) async throws -> InfoFAQ {
        var p = ProblemList()
        let q = p.text(question, "question", max: ServiceDraft.Limit.question, required: "info.error.faq_question")
        let a = p.text(answer, "answer", max: ServiceDraft.Limit.answer, required: "info.error.faq_answer")
        try p.throwIfAny()
        return try await changing(scope) { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let service = try await scope.locked(InfoService.self, serviceID) else { throw Abort(.notFound) }
            let count = try await scope.query(InfoFAQ.self).filter(\.$serviceID == serviceID).count()
            guard count < ServiceDraft.Limit.faq else {
                throw InputError(
                    field: "question", key: "info.error.too_many", args: ["max": "\(ServiceDraft.Limit.faq)"])
            }
            let entry = faq((q, a), service: service, position: count, now: now)
            try await entry.create(on: tx)
            if let unanswered { try await scope.query(InfoUnanswered.self).filter(\.$id == unanswered).delete() }
            try await bump(scope, now: now)
            return entry
        }
    }

    public static func removeFAQ(_ id: UUID, in scope: TenantScope, now: Date) async throws -> InfoFAQ {
        try await changing(scope) { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let entry = try await scope.find(InfoFAQ.self, id) else { throw Abort(.notFound) }
            try await entry.delete(on: tx)
            try await bump(scope, now: now)
            return entry
        }
    }

    /// Keeps the tenant's list of everyday words (checked line by line first).
    public static func saveSynonyms(_ text: String?, in scope: TenantScope, now: Date) async throws {
        var p = ProblemList()
        let text = p.text(text, "synonyms", max: 20_000)
        _ = Synonyms.read(text, field: "synonyms", problems: &p)
        try p.throwIfAny()
        try await changing(scope) { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            try await bump(scope, now: now)
            try await scope.query(InfoSettings.self).set(\.$synonyms, to: text).update()
        }
    }

    private static func requireFree(_ name: String, except id: UUID?, in scope: TenantScope) async throws {
        var same = scope.query(InfoService.self).filter(\.$name == name)
        if let id { same = same.filter(\.$id != id) }
        if try await same.count() > 0 {
            throw InputError(field: "name", key: "info.error.name_taken", status: .conflict)
        }
    }

    /// The name's address word, with `-2`, `-3`, … when another service has it.
    private static func freeSlug(for name: String, in scope: TenantScope) async throws -> String {
        let base = Slugs.make(name, max: 70)
        let taken = Set(try await scope.query(InfoService.self).filter(\.$slug =~ base).all(\.$slug))
        var slug = base, n = 1
        while taken.contains(slug) {
            n += 1
            slug = "\(base)-\(n)"
        }
        return slug
    }

    private static func fill(_ row: InfoService, _ c: ServiceDraft.Checked, now: Date) {
        (row.name, row.category, row.summary) = (c.name, c.category, c.summary)
        row.keywordsJSON = ServiceFacts.encode(c.keywords)
        row.requirementsJSON = ServiceFacts.encode(c.requirements)
        row.stepsJSON = ServiceFacts.encode(c.steps)
        row.placesJSON = ServiceFacts.encode(c.places)
        (row.duration, row.feeRupiah, row.legalBasis, row.contact, row.updatedAt) =
            (c.duration, c.feeRupiah, c.legalBasis, c.contact, now)
    }

    private static func faq(
        _ entry: (question: String, answer: String), service: InfoService, position: Int, now: Date
    ) -> InfoFAQ {
        let row = InfoFAQ()
        (row.tenantID, row.serviceID, row.question, row.answer, row.position, row.createdAt) =
            (service.tenantID, service.id ?? UUID(), entry.question, entry.answer, position, now)
        return row
    }

    /// Raises the tenant's catalogue version (making its row the first time), in `scope`'s
    /// transaction: the row is held until commit, so changes are counted one after another.
    static func bump(_ scope: TenantScope, now: Date) async throws {
        try await scope.db.sql.raw(
            """
            INSERT INTO \(ident: InfoSettings.schema) (id, tenant_id, version, updated_at) VALUES \
            (\(bind: UUID()), \(bind: scope.tenantID), 1, \(bind: now)) ON CONFLICT (tenant_id) DO UPDATE SET \
            version = \(ident: InfoSettings.schema).version + 1, updated_at = \(bind: now)
            """
        ).run()
    }

    // MARK: Reading

    /// The tenant's catalogue as it is now: the kept one when its version is the row's, or
    /// read and built again.
    public static func current(_ scope: TenantScope, kept: KeptCatalogues, now: Date = Date()) async throws -> Catalogue
    {
        let generation = changes.of(scope.tenantID)
        if let catalogue = kept.fresh(scope.tenantID, generation: generation, now: now) { return catalogue }
        let settings = try await scope.query(InfoSettings.self).first()
        let version = settings?.version ?? 0
        if let catalogue = kept.catalogue(of: scope.tenantID, version: version, generation: generation, now: now) {
            return catalogue
        }
        // One build per tenant and version at a time: the requests that come while a desk's
        // catalogue is being built wait for that build rather than each making its own.
        let task = building.withLockedValue { building -> Task<Catalogue, any Error> in
            if let running = building[scope.tenantID], running.version == version { return running.task }
            let task = Task { try await build(scope, settings: settings, version: version) }
            building[scope.tenantID] = (version, task)
            return task
        }
        defer {
            building.withLockedValue { building in
                if building[scope.tenantID]?.version == version { building[scope.tenantID] = nil }
            }
        }
        let catalogue = try await task.value
        kept.keep(catalogue, of: scope.tenantID, generation: generation, now: now)
        return catalogue
    }

    private static let building = NIOLockedValueBox([UUID: (version: Int, task: Task<Catalogue, any Error>)]())

    private static func build(_ scope: TenantScope, settings: InfoSettings?, version: Int) async throws -> Catalogue {
        let rows = try await scope.query(InfoService.self).sort(\.$name).all()
        let faq = Dictionary(
            grouping: try await scope.query(InfoFAQ.self).sort(\.$position).all(), by: \.serviceID)
        let forms = Dictionary(
            grouping: try await scope.query(InfoServiceForm.self).sort(\.$position).all(), by: \.serviceID)
        let services = rows.map {
            ServiceFacts($0, faq: faq[$0.id ?? UUID()] ?? [], forms: forms[$0.id ?? UUID()] ?? [])
        }
        let text = settings?.synonyms ?? Synonyms.defaultText
        var problems = ProblemList()
        let synonyms = Synonyms(Synonyms.read(text, field: "synonyms", problems: &problems))
        let catalogue = Catalogue(
            version: version, services: services, synonymsText: text,
            index: AnswerIndex(services: services, synonyms: synonyms))
        return catalogue
    }
}

/// The catalogues this process built, one per tenant (the latest version it read). A kept one
/// is used without asking the database for a second after its version was read (the public
/// pages are busy; another process's change shows within that second; this process's at once,
/// by ``ServiceCatalogue/changes``). When full, the tenth least recently read go: a platform of
/// thousands of desks keeps those in use.
public final class KeptCatalogues: Sendable {
    static let capacity = 1_000
    static let trusted: TimeInterval = 1

    private struct Entry {
        var catalogue: Catalogue
        var used: UInt64
        var checked: Date
        var generation: Int
    }

    private struct Kept {
        var entries: [UUID: Entry] = [:]
        var tick: UInt64 = 0
    }

    private let kept = NIOLockedValueBox(Kept())

    public init() {}

    /// The kept catalogue when its version was read less than a second ago and nothing changed
    /// it in this process since.
    func fresh(_ tenant: UUID, generation: Int, now: Date) -> Catalogue? {
        kept.withLockedValue { kept in
            guard let entry = kept.entries[tenant], entry.generation == generation, entry.checked <= now,
                now.timeIntervalSince(entry.checked) < Self.trusted
            else { return nil }
            kept.tick += 1
            kept.entries[tenant]?.used = kept.tick
            return entry.catalogue
        }
    }

    /// The kept catalogue when it is of `version` (its look renewed), or nil.
    func catalogue(of tenant: UUID, version: Int, generation: Int, now: Date) -> Catalogue? {
        kept.withLockedValue { kept in
            guard let entry = kept.entries[tenant], entry.catalogue.version == version else { return nil }
            kept.tick += 1
            kept.entries[tenant] = Entry(
                catalogue: entry.catalogue, used: kept.tick, checked: now, generation: generation)
            return entry.catalogue
        }
    }

    func keep(_ catalogue: Catalogue, of tenant: UUID, generation: Int, now: Date) {
        kept.withLockedValue { kept in
            if let held = kept.entries[tenant], held.catalogue.version > catalogue.version { return }
            if kept.entries[tenant] == nil, kept.entries.count >= Self.capacity {
                let oldest = kept.entries.sorted { $0.value.used < $1.value.used }.prefix(Self.capacity / 10)
                for (key, _) in oldest { kept.entries[key] = nil }
            }
            kept.tick += 1
            kept.entries[tenant] = Entry(catalogue: catalogue, used: kept.tick, checked: now, generation: generation)
        }
    }

}

extension Application {
    private struct KeptCataloguesKey: StorageKey { typealias Value = KeptCatalogues }

    public var keptCatalogues: KeptCatalogues {
        if let kept = storage[KeptCataloguesKey.self] { return kept }
        let made = KeptCatalogues()
        storage[KeptCataloguesKey.self] = made
        return made
    }
}
