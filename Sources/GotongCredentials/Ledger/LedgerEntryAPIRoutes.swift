import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Learning elsewhere and its verification in the JSON API, and a tenant's compliance table.
package struct LedgerEntryAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = CredentialsAPIRoute
        routes.post(R.myEntries, use: record)
        routes.delete(R.myEntry(.key), use: withdraw)
        let tenant = routes.resolvingTenant()
        tenant.get(R.pendingEntries(.key), use: pending)
        tenant.post(R.verifyEntry(.key, .key), use: verify)
        tenant.post(R.rejectEntry(.key, .key), use: reject)
        tenant.get(R.compliance(.key), use: compliance)
    }

    struct NewEntry: Content {
        var title: String?
        var kind: String?
        var provider: String?
        var started_on: String?
        var completed_on: String?
        var jp: Int?
        var competency_type: String?
        var certificate_number: String?
    }

    func record(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let body = try req.content.decode(NewEntry.self)
        var form = ExternalLearning.Form()
        (form.title, form.kind, form.provider) = (body.title, body.kind, body.provider)
        (form.startedOn, form.completedOn, form.jp) = (body.started_on, body.completed_on, body.jp.map(String.init))
        (form.competencyType, form.certificateNumber) = (body.competency_type, body.certificate_number)
        let entry = try ExternalLearning.entry(
            from: form, person: try person.requireID(), now: req.application.clock.now())
        try await entry.create(on: req.database)
        return try await LedgerAPIRoutes.Entry(entry).encodeResponse(status: .created, for: req)
    }

    func withdraw(req: Request) async throws -> HTTPStatus {
        let person = try req.requirePerson()
        let gone = try await ExternalLearning(db: req.database).withdraw(
            try req.parameter(LedgerEntryID.self).rawValue, of: try person.requireID())
        if let key = gone.fileKey { try? await req.application.files.delete(key) }
        return .noContent
    }

    struct PendingItem: Content {
        var entry: LedgerAPIRoutes.Entry
        var person_id: UUID
        var name: String
        var nip: String?
        var email: String
    }

    struct PendingList: Content { var entries: [PendingItem] }

    func pending(req: Request) async throws -> PendingList {
        try await req.requireTenantRole(LedgerDesk.keepers)
        let rows = try await ExternalLearning(db: req.database).pending(tenant: try req.tenant.requireID())
        return PendingList(
            entries: try rows.map { entry, person in
                PendingItem(
                    entry: LedgerAPIRoutes.Entry(entry), person_id: try person.requireID(), name: person.name,
                    nip: person.nip, email: person.email)
            })
    }

    func verify(req: Request) async throws -> LedgerAPIRoutes.Entry {
        try await req.requireTenantRole(LedgerDesk.keepers)
        let (entry, _) = try await LedgerDesk.decide(
            req, try req.parameter(LedgerEntryID.self).rawValue, verify: true, reason: nil)
        return LedgerAPIRoutes.Entry(entry)
    }

    struct Rejection: Content { var reason: String? }

    func reject(req: Request) async throws -> LedgerAPIRoutes.Entry {
        try await req.requireTenantRole(LedgerDesk.keepers)
        let id = try req.parameter(LedgerEntryID.self).rawValue
        let reason = try req.content.decode(Rejection.self).reason ?? ""
        let (entry, _) = try await LedgerDesk.decide(req, id, verify: false, reason: reason)
        return LedgerAPIRoutes.Entry(entry)
    }

    struct ComplianceRow: Content {
        var person_id: UUID
        var name: String
        var nip: String?
        var email: String
        var unit: String
        var jp: Int
        var reached_target: Bool
    }

    struct ComplianceUnit: Content {
        var unit: String
        var people: Int
        var below_target: Int
        var average_jp: Double
    }

    struct ComplianceTable: Content {
        var year: Int
        var target_jp: Int
        var people: Int
        var below_target: Int
        var matching: Int
        var page: Int
        var rows: [ComplianceRow]
        var units: [ComplianceUnit]
    }

    /// `?year=&unit=&below=true&search=&order=jp|name|unit&page=`.
    func compliance(req: Request) async throws -> ComplianceTable {
        try await req.requireTenantRole(LedgerDesk.keepers)
        let id = try req.tenant.requireID()
        var filter = Compliance.Filter(
            year: try req.queryNumber("year", in: LedgerAPIRoutes.years)
                ?? LocalDates.year(of: req.application.clock.now()))
        let unit = try req.query.get(String?.self, at: "unit").map { String($0.cleanedText.prefix(200)) }
        // An empty unit means every unit.
        filter.unit = unit?.isEmpty == false ? unit : nil
        filter.belowOnly = try req.queryFlag("below") ?? false
        filter.search = try req.query.get(String?.self, at: "search").map { String($0.cleanedText.prefix(100)) }
        filter.order = try req.queryChoice("order", as: Compliance.Order.self) ?? .jp
        let page = try req.pageNumber("page")
        let compliance = Compliance(db: req.database)
        let (rows, units, matching) = try await compliance.table(id, filter, page: page)
        let totals = Compliance.totals(units)
        return ComplianceTable(
            year: filter.year, target_jp: JPLedger.targetJP, people: totals.people, below_target: totals.below,
            matching: matching, page: page,
            rows: rows.map {
                ComplianceRow(
                    person_id: $0.personID, name: $0.name, nip: $0.nip, email: $0.email, unit: $0.unit, jp: $0.jp,
                    reached_target: $0.reached)
            },
            units: units.map {
                ComplianceUnit(
                    unit: $0.name, people: $0.people, below_target: $0.below,
                    average_jp: ($0.averageJP * 10).rounded() / 10)
            })
    }
}
