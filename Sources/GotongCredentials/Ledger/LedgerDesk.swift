import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The JP desk of a home institution (`/t/{slug}/kelola/jp`, administrators): records of
/// learning elsewhere to verify or reject, and who of its people reached the year's 20 JP —
/// by person and by work unit, filtered and sorted, as CSV, with a reminder to those below.
package struct LedgerDesk: RouteCollection {
    package init() {}

    /// Who keeps the institution's records: its administrators.
    static let keepers: Set<Role> = [.admin]

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = CredentialsRoute
        let tenant = routes.resolvingTenant()
        tenant.get(R.ledgerDesk(.key), use: page)
        tenant.post(R.verifyEntry(.key, .key), use: verify)
        tenant.post(R.rejectEntry(.key, .key), use: reject)
        tenant.get(R.deskEntryFile(.key, .key), use: file)
        tenant.get(R.complianceCSV(.key), use: csv)
        tenant.post(R.remindBelowTarget(.key), use: remind)
    }

    /// The filter of the page's query: `tahun`, `unit`, `kurang` (below target only), `cari`,
    /// `urut` (`jp`, `name`, `unit`).
    static func filter(_ req: Request) throws -> Compliance.Filter {
        var filter = Compliance.Filter(
            year: try req.queryNumber("tahun", in: LedgerAPIRoutes.years)
                ?? LocalDates.year(of: req.application.clock.now()))
        let unit = try req.query.get(String?.self, at: "unit").map { String($0.cleanedText.prefix(200)) }
        // The page's form sends "all units" as an empty value.
        filter.unit = unit?.isEmpty == false ? unit : nil
        filter.belowOnly = try req.queryFlag("kurang") ?? false
        filter.search = try req.query.get(String?.self, at: "cari").map { String($0.cleanedText.prefix(100)) }
        filter.order = try req.queryChoice("urut", as: Compliance.Order.self) ?? .jp
        return filter
    }

    func page(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let tenant = try req.tenant
        let id = try tenant.requireID()
        let filter = try Self.filter(req)
        let page = try req.pageNumber("halaman")
        let compliance = Compliance(db: req.database)
        let learning = ExternalLearning(db: req.database)
        let (rows, units, matching) = try await compliance.table(id, filter, page: page)
        let model = LedgerDeskModel(
            slug: tenant.routeSlug, filter: filter, page: page, matching: matching,
            totals: Compliance.totals(units), units: units,
            rows: rows,
            pending: try await learning.pending(tenant: id).map { entry, person in
                .init(
                    id: LedgerEntryID(entry.id!), person: person.name, nip: person.nip, title: entry.title,
                    provider: entry.provider, kind: entry.kind, jp: entry.jp, day: req.day(entry.completedAt) ?? "",
                    number: entry.certificateNumber, hasFile: entry.fileKey != nil)
            }, pendingCount: try await learning.pendingCount(tenant: id),
            thisYear: LocalDates.year(of: req.application.clock.now()))
        return try await req.render(model, title: "ledger.desk.title", tenant: tenant)
    }

    private func decide(_ req: Request, verify: Bool) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let tenant = try req.tenant
        let id = try req.parameter(LedgerEntryID.self).rawValue
        let reason = verify ? nil : try req.content.decode(ReasonForm.self).reason
        let back = CredentialsRoute.ledgerDesk(tenant.routeSlug).path
        do {
            let (entry, _) = try await Self.decide(req, id, verify: verify, reason: reason)
            req.flash(.success, verify ? "ledger.desk.verified" : "ledger.desk.rejected", ["title": entry.title])
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "ledger.error.reason_required")
        }
        return req.seeOther(back)
    }

    /// Verifies or rejects, tells the person, and audits, in one transaction.
    static func decide(
        _ req: Request, _ id: UUID, verify: Bool, reason: String?
    ) async throws -> (LedgerEntry, Person) {
        let tenantID = try req.tenant.requireID()
        let actor = req.actorName
        let now = req.application.clock.now()
        return try await req.database.lockingTransaction { tx in
            let (entry, person) = try await ExternalLearning(db: tx).decide(
                id, tenant: tenantID, verify: verify, reason: reason, by: actor, now: now)
            let route = CredentialsRoute.myLedger
            try await Notifier.record(
                [
                    .init(
                        personID: try person.requireID(), tenantID: tenantID,
                        key: verify ? "notify.ledger.verified" : "notify.ledger.rejected",
                        args: ["title": entry.title, "reason": entry.reason], route: route)
                ], on: tx, at: now)
            try await req.audit(
                verify ? "ledger.verify" : "ledger.reject", subject: person.email,
                detail: "title=\(entry.title); jp=\(entry.jp)" + (verify ? "" : "; reason=\(entry.reason)"),
                tenantID: tenantID, on: tx)
            return (entry, person)
        }
    }

    struct ReasonForm: Content { var reason: String? }

    func verify(req: Request) async throws -> Response { try await decide(req, verify: true) }
    func reject(req: Request) async throws -> Response { try await decide(req, verify: false) }

    func file(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let id = try req.parameter(LedgerEntryID.self).rawValue
        guard
            let (entry, _) = try await ExternalLearning(db: req.database).atHome(id, tenant: try req.tenant.requireID())
        else { throw Abort(.notFound) }
        return try await LedgerFiles.serve(entry, req: req)
    }

    func csv(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let tenant = try req.tenant
        let filter = try Self.filter(req)
        let rows = try await Compliance(db: req.database).all(try tenant.requireID(), filter)
        let t = req.texts
        var lines = [
            [
                t("ledger.col.name"), "NIP", "Email", t("ledger.col.unit"), "JP \(filter.year)",
                t("ledger.col.target"),
            ]
        ]
        for row in rows {
            lines.append([
                row.name, row.nip ?? "", row.email, row.unit, String(row.jp),
                row.reached ? t("ledger.compliance.reached") : t("ledger.compliance.below"),
            ])
        }
        let response = Response(status: .ok, body: .init(string: CSVText.document(lines)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.setAttachment(filename: "jp-\(tenant.slug)-\(filter.year).csv")
        return response
    }

    /// A notification (and mail, when configured) to each person of the institution below 20 JP
    /// this year, with what they still need. Once a day at most, so a double click does not
    /// send twice; sent by a job, a chunk at a time, so 50,000 people do not hold a request.
    func remind(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let tenant = try req.tenant
        let back = CredentialsRoute.ledgerDesk(tenant.routeSlug).path
        if let count = try await LedgerReminders.start(req) {
            req.flash(.success, "ledger.desk.reminded", ["count": "\(count)"])
        } else {
            req.flash(.error, "ledger.desk.reminded_today")
        }
        return req.seeOther(back)
    }
}
