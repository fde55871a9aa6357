import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Bulk account import by a tenant administrator: a CSV of `nama,email,nip,unit_kerja,jabatan,peran`
/// is checked row by row, then committed all or nothing. A person who already has an account gets
/// the membership, never a second account; new people get an activation link.
public struct PeopleImport: Sendable {
    public static let columns = ["nama", "email", "nip", "unit_kerja", "jabatan", "peran"]
    public static let maxRows = 50_000

    /// One checked row, ready to write.
    struct Row: Sendable {
        let number: Int
        let name: String
        let email: String
        let nip: String?
        let unitKerja: String
        let jabatan: String
        let role: Role
    }

    /// What the import found (dry run) or did (commit).
    public struct Report: Content, Sendable {
        public var totalRows: Int
        public var newPeople: Int
        public var existingPeople: Int
        public var newMemberships: Int
        public var committed: Bool

        enum CodingKeys: String, CodingKey {
            case totalRows = "total_rows", newPeople = "new_people", existingPeople = "existing_people"
            case newMemberships = "new_memberships", committed
        }
    }

    /// The checked file: rows to write and the accounts that already exist.
    struct Plan: Sendable {
        let rows: [Row]
        let existing: [String: UUID]
        let existingMemberships: Set<String>

        func report(committed: Bool) -> Report {
            let newPeople = rows.filter { existing[$0.email] == nil }.count
            let newMemberships = rows.filter { row in
                guard let id = existing[row.email] else { return true }
                return !existingMemberships.contains(Self.membershipKey(id, row.role))
            }.count
            return Report(
                totalRows: rows.count, newPeople: newPeople, existingPeople: rows.count - newPeople,
                newMemberships: newMemberships, committed: committed)
        }

        static func membershipKey(_ person: UUID, _ role: Role) -> String { "\(person.uuidString)|\(role.rawValue)" }
    }

    let tenantID: UUID
    let db: any Database
    /// The roles this importer may give: every role for an administrator, learners only for a
    /// coordinator bringing in their participants.
    let allowedRoles: Set<Role>

    public init(tenantID: UUID, db: any Database, allowedRoles: Set<Role> = Set(Role.allCases)) {
        self.tenantID = tenantID
        self.db = db
        self.allowedRoles = allowedRoles
    }

    /// The roles a person with `roles` in a tenant may import: administrators any, coordinators
    /// learners only.
    public static func allowedRoles(for roles: Set<Role>) -> Set<Role> {
        roles.contains(.admin) ? Set(Role.allCases) : roles.contains(.pengelola) ? [.peserta] : []
    }

    /// A file to start from: the columns and one example row.
    public static let template =
        columns.joined(separator: ",") + "\r\n"
        + "Budi Santoso,budi.santoso@instansi.go.id,199203102019031002,Biro Umum,Analis Kebijakan,peserta\r\n"

    /// Checks the file without writing anything.
    public func dryRun(csv text: String) async throws -> Report {
        try await plan(csv: text, on: db).report(committed: false)
    }

    /// Checks the file and writes every row in one transaction, or nothing when any row is bad.
    /// Returns the report and the activation links to mail (email, name, secret).
    public func commit(csv text: String) async throws -> (Report, [(email: String, name: String, secret: String)]) {
        try await db.lockingTransaction { tx in
            let plan = try await plan(csv: text, on: tx)
            let links = try await write(plan, on: tx)
            return (plan.report(committed: true), links)
        }
    }

    // MARK: Checking

    func plan(csv text: String, on db: any Database) async throws -> Plan {
        let rows = try CSVRows.read(text, columns: Self.columns, maxRows: Self.maxRows)
        var problems = ProblemList()
        var checked: [Row] = []
        var firstRowOfEmail: [String: Int] = [:]
        var firstRowOfNIP: [String: Int] = [:]
        for raw in rows {
            let number = raw.number
            if let row = check(raw.cells, number: number, into: &problems) {
                if let first = firstRowOfEmail[row.email] {
                    problems.add("email", "import.error.duplicate_email", ["row": "\(first)"], row: number)
                } else {
                    firstRowOfEmail[row.email] = number
                }
                if let nip = row.nip {
                    if let first = firstRowOfNIP[nip] {
                        problems.add("nip", "import.error.duplicate_nip", ["row": "\(first)"], row: number)
                    } else {
                        firstRowOfNIP[nip] = number
                    }
                }
                checked.append(row)
            }
        }
        // Accounts that exist already, by email and by NIP, fetched in chunks.
        var existingByEmail: [String: Person] = [:]
        for chunk in Array(firstRowOfEmail.keys).chunked(500) {
            for person in try await Person.query(on: db).filter(\.$email ~~ chunk).all() {
                existingByEmail[person.email] = person
            }
        }
        var ownerOfNIP: [String: String] = [:]
        for chunk in Array(firstRowOfNIP.keys).chunked(500) {
            for person in try await Person.query(on: db).filter(\.$nip ~~ chunk).all() {
                if let nip = person.nip { ownerOfNIP[nip] = person.email }
            }
        }
        for row in checked {
            if let nip = row.nip, let owner = ownerOfNIP[nip], owner != row.email {
                problems.add("nip", "import.error.nip_taken", row: row.number)
            }
            if let person = existingByEmail[row.email], let nip = row.nip, let theirs = person.nip, theirs != nip {
                problems.add("nip", "import.error.nip_mismatch", row: row.number)
            }
        }
        try problems.throwIfAny()

        let existing = existingByEmail.compactMapValues(\.id)
        var memberships: Set<String> = []
        for chunk in Array(existing.values).chunked(500) {
            for membership in try await TenantScope(tenantID: tenantID, db: db).query(Membership.self).filter(
                \.$personID ~~ chunk
            ).all() {
                memberships.insert(Plan.membershipKey(membership.personID, membership.role))
            }
        }
        return Plan(rows: checked, existing: existing, existingMemberships: memberships)
    }

    private func check(_ raw: [String: String], number: Int, into problems: inout ProblemList) -> Row? {
        func value(_ column: String) -> String { (raw[column] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let before = problems.problems.count
        let name = value("nama")
        if name.isEmpty { problems.add("nama", "import.error.name_required", row: number) }
        if name.count > 200 { problems.add("nama", "import.error.too_long", ["max": "200"], row: number) }
        let email = Person.normalise(email: value("email"))
        if email.isEmpty {
            problems.add("email", "import.error.email_required", row: number)
        } else if !Person.isValidEmail(email) {
            problems.add("email", "import.error.email_invalid", ["value": email], row: number)
        }
        var nip: String?
        let rawNIP = value("nip")
        if !rawNIP.isEmpty {
            switch NIP.parse(rawNIP) {
            case .success(let parsed): nip = parsed.value
            case .failure(let box): problems.add("nip", box.problem.rawValue, row: number)
            }
        }
        let roleText = value("peran").lowercased()
        let role = roleText.isEmpty ? Role.peserta : Role(rawValue: roleText)
        if role == nil { problems.add("peran", "import.error.role_unknown", ["value": roleText], row: number) }
        if let role, !allowedRoles.contains(role) {
            problems.add("peran", "import.error.role_not_allowed", ["value": roleText], row: number)
        }
        for column in ["unit_kerja", "jabatan"] where value(column).count > 200 {
            problems.add(column, "import.error.too_long", ["max": "200"], row: number)
        }
        guard problems.problems.count == before, let role, allowedRoles.contains(role) else { return nil }
        return Row(
            number: number, name: name, email: email, nip: nip, unitKerja: value("unit_kerja"),
            jabatan: value("jabatan"), role: role)
    }

    // MARK: Writing

    private func write(
        _ plan: Plan, on db: any Database
    ) async throws -> [(email: String, name: String, secret: String)] {
        var personIDs = plan.existing
        var newPeople: [Person] = []
        var seen: Set<String> = []
        for row in plan.rows where plan.existing[row.email] == nil && !seen.contains(row.email) {
            seen.insert(row.email)
            let person = Person(
                id: UUID(), name: row.name, email: row.email, nip: row.nip, homeTenantID: tenantID,
                unitKerja: row.unitKerja, jabatan: row.jabatan)
            newPeople.append(person)
            personIDs[row.email] = person.id
        }
        for chunk in newPeople.chunked(400) { try await chunk.create(on: db) }

        var memberships: [Membership] = []
        var planned = plan.existingMemberships
        for row in plan.rows {
            guard let personID = personIDs[row.email] else { continue }
            let key = Plan.membershipKey(personID, row.role)
            guard !planned.contains(key) else { continue }
            planned.insert(key)
            memberships.append(Membership(id: UUID(), tenantID: tenantID, personID: personID, role: row.role))
        }
        for chunk in memberships.chunked(800) { try await chunk.create(on: db) }

        var links: [(email: String, name: String, secret: String)] = []
        var tokens: [PersonToken] = []
        for person in newPeople {
            let (token, secret) = PersonToken.issue(for: person.id!, purpose: .activate)
            token.id = UUID()
            tokens.append(token)
            links.append((person.email, person.name, secret))
        }
        for chunk in tokens.chunked(800) { try await chunk.create(on: db) }
        return links
    }
}

/// An uploaded file waiting for the administrator to confirm the preview.
public final class PendingImport: TenantOwned, @unchecked Sendable {
    public static let schema = "people_imports"
    public static var tenantKey: KeyPath<PendingImport, FieldProperty<PendingImport, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "filename") public var filename: String
    @Field(key: "content") public var content: String
    @OptionalField(key: "committed_at") public var committedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [$id, $tenantID, $createdBy, $filename, $content, $committedAt, $createdAt]
    }

    init(tenantID: UUID, createdBy: UUID, filename: String, content: String) {
        self.tenantID = tenantID
        self.createdBy = createdBy
        self.filename = filename
        self.content = content
    }
}

package struct CreatePeopleImports: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(PendingImport.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("created_by", .uuid, .required)
            .field("filename", .string, .required)
            .field("content", .string, .required)
            .field("committed_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await db.sql.create(index: "people_imports_tenant_idx").on(PendingImport.schema).column("tenant_id").column(
            "created_at"
        ).run()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(PendingImport.schema).delete()
    }
}

extension Request {
    /// Mails activation links after an import has committed. Failures are logged, not thrown:
    /// the accounts exist and an administrator can resend.
    func sendActivationMails(_ links: [(email: String, name: String, secret: String)], tenantName: String) {
        let mailer = application.mailer
        let localizer = application.localizer
        let base = application.gotong.baseURL
        let language = self.language
        let logger = self.logger
        Task.detached {
            for link in links {
                do {
                    try await mailer.send(
                        Mail(
                            to: link.email,
                            subject: localizer.text("mail.activate.subject", language, ["tenant": tenantName]),
                            body: localizer.text(
                                "mail.activate.body", language,
                                ["name": link.name, "tenant": tenantName, "link": "\(base)/atur-sandi/\(link.secret)"])
                        ))
                } catch {
                    logger.error("activation mail to \(link.email) failed: \(error)")
                }
            }
        }
    }
}
