import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Tagged
import Vapor

extension LedgerEntry: PathTag { public static let parameterName = "ledgerEntryID" }
/// A ledger entry's id in an address.
public typealias LedgerEntryID = Tagged<LedgerEntry, UUID>

/// Learning outside the platform: a person records it, with its certificate; an administrator
/// of their home institution verifies or rejects it (with a reason). Only verified entries
/// count toward the 20 JP. The home institution reaches a person's entries only through the
/// person's `home_tenant_id`: another tenant's administrator finds none.
public struct ExternalLearning: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    /// The kinds of file a certificate may come as, and how large.
    static let fileKinds: [FileKind] = [.pdf, .jpeg, .png]
    static let maxFileBytes = 5 * 1_048_576
    /// The JP one record may claim: a long programme (Latsar) is about 200.
    static let jpRange = 1...300

    /// What the person typed, as text (a form or a JSON body).
    public struct Form: Sendable {
        public var title: String?
        public var kind: String?
        public var provider: String?
        public var startedOn: String?
        public var completedOn: String?
        public var jp: String?
        public var competencyType: String?
        public var certificateNumber: String?

        public init() {}
    }

    /// Checks the form and returns the entry to save (pending), or throws every problem at once.
    static func entry(from form: Form, person: UUID, now: Date) throws -> LedgerEntry {
        var problems = ProblemList()
        let title = problems.text(form.title, "title", max: 200, required: "ledger.error.title_required")
        let provider = problems.text(form.provider, "provider", max: 200, required: "ledger.error.provider_required")
        let number = problems.text(form.certificateNumber, "certificate_number", max: 100)
        let kind = LedgerEntry.Kind(rawValue: (form.kind ?? "").trimmingCharacters(in: .whitespaces))
        if kind == nil { problems.add("kind", "ledger.error.kind") }
        let type = Course.CompetencyType(rawValue: (form.competencyType ?? "").trimmingCharacters(in: .whitespaces))
        if type == nil { problems.add("competency_type", "ledger.error.competency_type") }
        let jp = WholeNumber.read(form.jp, field: "jp", in: jpRange, problems: &problems)
        if jp == nil, problems.problems.allSatisfy({ $0.field != "jp" }) {
            problems.add("jp", "ledger.error.jp_required")
        }
        let started = day(form.startedOn, "started_on", problems: &problems)
        let completed = day(form.completedOn, "completed_on", problems: &problems, required: true)
        if let started, let completed, started > completed { problems.add("started_on", "ledger.error.dates_order") }
        if let completed, LocalDates.isoDay.string(from: completed) > LocalDates.isoDay.string(from: now) {
            problems.add("completed_on", "ledger.error.future")
        }
        if let completed, !LedgerAPIRoutes.years.contains(LocalDates.year(of: completed)) {
            problems.add("completed_on", "ledger.error.year")
        }
        try problems.throwIfAny()
        let entry = LedgerEntry()
        (entry.id, entry.personID, entry.source, entry.tenantID, entry.courseID) = (UUID(), person, .external, nil, nil)
        (entry.title, entry.provider, entry.competencyType, entry.jp) = (title, provider, type!.rawValue, jp!)
        (entry.startedAt, entry.completedAt, entry.year) = (started, completed!, LocalDates.year(of: completed!))
        (entry.status, entry.createdAt, entry.kind, entry.certificateNumber) = (.pending, now, kind!.rawValue, number)
        (entry.decidedBy, entry.reason) = ("", "")
        return entry
    }

    /// A day typed as `2026-11-23` (noon in Jakarta, so its WIB year and date are those typed).
    private static func day(
        _ raw: String?, _ field: String, problems: inout ProblemList, required: Bool = false
    ) -> Date? {
        // A day, nothing more: a moment would move to another day (or year) in Jakarta.
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard text.isEmpty || text.count == 10 else {
            problems.add(field, "ledger.error.date")
            return nil
        }
        switch LocalDates.parse(text) {
        case .success(let day?):
            return day.addingTimeInterval(12 * 3600)
        case .success(nil):
            if required { problems.add(field, "ledger.error.date_required") }
            return nil
        case .failure:
            problems.add(field, "ledger.error.date")
            return nil
        }
    }

    /// Checks an attached certificate file: its kind by its bytes, and its size.
    static func check(_ file: ReceivedFile, problems: inout ProblemList) -> FileKind? {
        guard file.size <= maxFileBytes else {
            problems.add("file", "ledger.error.file_size", ["max": "\(maxFileBytes / 1_048_576) MB"])
            return nil
        }
        guard let kind = FileKind.sniff(head: file.head, filename: file.filename, allowed: fileKinds) else {
            problems.add("file", "ledger.error.file_type")
            return nil
        }
        return kind
    }

    /// The person's own entry, or nil (another person's is not found).
    public func own(_ id: UUID, of person: UUID) async throws -> LedgerEntry? {
        try await LedgerEntry.query(on: db).filter(\.$id == id).filter(\.$personID == person).first()
    }

    /// Withdraws the person's own record of learning elsewhere while it is not verified; the
    /// caller deletes its file once this committed. Verified and course entries stay.
    func withdraw(_ id: UUID, of person: UUID) async throws -> LedgerEntry {
        guard let entry = try await own(id, of: person), entry.source == .external else { throw Abort(.notFound) }
        // One conditional statement: a verification committed a moment before wins.
        let gone = try await db.sql.raw(
            """
            DELETE FROM \(ident: LedgerEntry.schema) WHERE id = \(bind: id) AND person_id = \(bind: person) \
            AND source = \(bind: LedgerEntry.Source.external.rawValue) \
            AND status <> \(bind: LedgerEntry.Status.verified.rawValue) RETURNING id
            """
        ).first()
        guard gone != nil else { throw InputError(field: "entry", key: "ledger.error.verified_stays") }
        return entry
    }

    /// An entry of a person whose home is `tenant`: the only way an institution reaches one.
    func atHome(_ id: UUID, tenant: UUID) async throws -> (LedgerEntry, Person)? {
        guard let entry = try await LedgerEntry.find(id, on: db), entry.source == .external,
            let person = try await Person.find(entry.personID, on: db), person.homeTenantID == tenant
        else { return nil }
        return (entry, person)
    }

    /// The records awaiting the institution's decision, oldest first.
    func pending(tenant: UUID, limit: Int = 100) async throws -> [(LedgerEntry, Person)] {
        let rows = try await LedgerEntry.query(on: db).join(Person.self, on: \LedgerEntry.$personID == \Person.$id)
            .filter(Person.self, \.$homeTenantID == tenant).filter(\.$status == .pending)
            .filter(\.$source == .external).sort(\.$createdAt).limit(limit).all()
        return try rows.map { ($0, try $0.joined(Person.self)) }
    }

    /// How many records await the institution's decision.
    func pendingCount(tenant: UUID) async throws -> Int {
        try await LedgerEntry.query(on: db).join(Person.self, on: \LedgerEntry.$personID == \Person.$id)
            .filter(Person.self, \.$homeTenantID == tenant).filter(\.$status == .pending)
            .filter(\.$source == .external).count()
    }

    /// Verifies (`reason` nil) or rejects a pending record of a person whose home is `tenant`.
    /// One conditional update: of two administrators deciding at once, one decides.
    func decide(
        _ id: UUID, tenant: UUID, verify: Bool, reason: String?, by actor: String, now: Date
    ) async throws -> (LedgerEntry, Person) {
        guard let (entry, person) = try await atHome(id, tenant: tenant) else { throw Abort(.notFound) }
        var problems = ProblemList()
        let why = verify ? "" : problems.text(reason, "reason", max: 500, required: "ledger.error.reason_required")
        try problems.throwIfAny()
        let status: LedgerEntry.Status = verify ? .verified : .rejected
        let changed = try await db.sql.raw(
            """
            UPDATE \(ident: LedgerEntry.schema) SET status = \(bind: status.rawValue), decided_by = \(bind: actor), \
            decided_at = \(bind: now), reason = \(bind: why) \
            WHERE id = \(bind: id) AND status = \(bind: LedgerEntry.Status.pending.rawValue) RETURNING id
            """
        ).first()
        guard changed != nil else { throw InputError(field: "entry", key: "ledger.error.decided") }
        (entry.status, entry.decidedBy, entry.decidedAt, entry.reason) = (status, actor, now, why)
        return (entry, person)
    }
}
