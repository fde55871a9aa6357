import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The officers' desk on the web: the queue, a case with its conversation and history, and the
/// work on it (a reply or an internal note, a step of its lifecycle, an assignment).
package struct OfficePages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.queue(.key), use: queue)
        tenant.get(DeskRoute.officeCase(.key, .key), use: show)
        tenant.get(DeskRoute.officeFile(.key, .key, .key), use: file)
        tenant.post(DeskRoute.officeWrite(.key, .key), use: write)
        tenant.post(DeskRoute.officeAction(.key, .key), use: act)
        tenant.post(DeskRoute.officeAssign(.key, .key), use: assign)
        tenant.post(DeskRoute.officeResend(.key, .key), use: resend)
        tenant.post(DeskRoute.officeMerge(.key, .key), use: merge)
    }

    func queue(req: Request) async throws -> Response {
        let (access, settings) = try await DeskAccess.of(req)
        let filter = try QueueFilter.read(req, names: .page, formBlanks: true)
        let scope = try req.tenantScope
        let calendar = try await DeskSetup.calendar(settings, scope)
        let (rows, window, names) = try await Queue(scope: scope, access: access, now: req.application.clock.now())
            .load(filter, calendar: calendar)
        let model = QueueModel(
            slug: try req.tenant.routeSlug, filter: filter, rows: rows, window: window,
            categories: names.categoryList.map { ($0.id!, $0.name) },
            units: names.unitList
                .filter { access.coordinator || access.units.contains($0.id!) }.map { ($0.id!, $0.name) },
            dayLength: calendar.dayLength, coordinator: access.coordinator,
            links: req.application.deskLinks.links(.coordinators, try req.tenant.routeSlug))
        return try await req.render(model, title: "desk.queue.title", tenant: try req.tenant)
    }

    struct Context {
        let access: DeskAccess
        let work: CaseWork
        let calendar: WorkingCalendar
        let item: DeskCase
    }

    func context(_ req: Request) async throws -> Context {
        let (access, settings) = try await DeskAccess.of(req)
        let scope = try req.tenantScope
        let item = try await access.requireCase(try req.parameter(CaseNumber.self), in: scope)
        return Context(
            access: access, work: CaseWork(scope: scope, now: req.application.clock.now(), access: access),
            calendar: try await DeskSetup.calendar(settings, scope), item: item)
    }

    /// A file the citizen sent, to the officers who see the case.
    func file(req: Request) async throws -> Response {
        let c = try await context(req)
        return try await DeskFiles.serve(try await DeskFiles.find(req, of: c.item, in: c.work.scope), req)
    }

    func show(req: Request) async throws -> Response {
        let c = try await context(req)
        // `?templat=`: the reply starts from a quick reply, its placeholders filled.
        guard let chosen = try req.queryID("templat") else { return try await render(req, c, errors: [:]) }
        guard let template = try await c.work.scope.find(DeskTemplate.self, chosen) else { throw Abort(.notFound) }
        let names = try await Names.load(for: [c.item], in: c.work.scope)
        let body = QuickReplies.fill(
            template.body,
            [
                "nomor": c.item.number, "kategori": names.categories[c.item.categoryID] ?? "",
                "unit": c.item.unitID.flatMap { names.units[$0] } ?? "", "tenggat": c.item.dueAt.map(req.dayTime) ?? "",
                "instansi": try req.tenant.name,
            ])
        return try await render(req, c, errors: [:], values: ["body": body])
    }

    private func render(
        _ req: Request, _ c: Context, errors: [String: String], values: [String: String] = [:],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let view = try await OfficeView.load(c.item, work: c.work, calendar: c.calendar)
        let model = OfficeCaseModel(
            slug: try req.tenant.routeSlug, view: view, me: c.access.personID, dayLength: c.calendar.dayLength,
            when: { req.dayTime($0) }, errors: errors, values: values)
        let response = try await req.render(
            model, title: "desk.case.title", titleArgs: ["number": c.item.number], tenant: try req.tenant,
            status: status)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    private func back(
        _ req: Request, _ item: DeskCase, flash key: String, _ args: [String: String] = [:]
    ) throws -> Response {
        req.flash(.success, key, args)
        return req.seeOther(DeskRoute.officeCase(try req.tenant.routeSlug, .value(CaseNumber(item.number)!)).path)
    }

    struct WriteForm: Content {
        var body: String?
        /// `catatan`: an internal note; anything else a reply to the citizen.
        var jenis: String?
    }

    func write(req: Request) async throws -> Response {
        let c = try await context(req)
        let form = try req.content.decode(WriteForm.self)
        let note = form.jenis == "catatan"
        do {
            try await c.work.write(form.body, asNote: note, on: c.item)
            guard !note, c.item.channel != .web else {
                return try back(req, c.item, flash: note ? "desk.office.noted" : "desk.office.replied")
            }
            // On a platform it is on its way, not yet there: the case shows when it is.
            req.application.jobs.kick()
            return try back(
                req, c.item, flash: "desk.office.replied_channel",
                ["channel": req.t("desk.channel.\(c.item.channel.rawValue)")])
        } catch let error as InputError {
            return try await render(
                req, c, errors: error.messages(req), values: ["body": form.body ?? ""], status: error.status)
        }
    }

    struct ActionForm: Content {
        var aksi: String?
        var unit: String?
        var catatan: String?
    }

    func act(req: Request) async throws -> Response {
        let c = try await context(req)
        let form = try req.content.decode(ActionForm.self)
        do {
            guard let action = try QueryValue.choice(form.aksi, field: "aksi", as: CaseAction.self) else {
                throw InputError(field: "action", key: "desk.error.action_missing")
            }
            let unit = try QueryValue.id(form.unit, field: "unit")
            let changed = try await c.work.take(action, on: c.item, unit: unit, note: form.catatan)
            guard c.access.sees(changed) else {
                // Routed out of the officer's own units: back to their queue.
                req.flash(.success, "desk.office.done.\(action.rawValue)")
                return req.seeOther(DeskRoute.queue(try req.tenant.routeSlug).path)
            }
            return try back(req, c.item, flash: "desk.office.done.\(action.rawValue)")
        } catch let error as InputError {
            return try await render(
                req, c, errors: error.messages(req), values: ["note": form.catatan ?? ""], status: error.status)
        }
    }

    struct AssignForm: Content {
        var petugas: String?
    }

    func assign(req: Request) async throws -> Response {
        let c = try await context(req)
        let form = try req.content.decode(AssignForm.self)
        do {
            let person = try QueryValue.id(form.petugas, field: "petugas")
            try await c.work.assign(c.item, to: person)
            try await req.audit(
                "desk.assign", subject: c.item.number, detail: person?.uuidString ?? "", tenantID: try req.tenant.id)
            return try back(req, c.item, flash: "desk.office.assigned")
        } catch let error as InputError {
            return try await render(req, c, errors: error.messages(req), status: error.status)
        }
    }

    struct ResendForm: Content { var kirim: String? }

    /// A reply its platform did not take, sent again from a fresh count of tries.
    func resend(req: Request) async throws -> Response {
        let c = try await context(req)
        guard let id = try QueryValue.id(try req.content.decode(ResendForm.self).kirim, field: "kirim") else {
            throw InputError(field: "kirim", key: "desk.error.resend")
        }
        try await Outbox.retry(id, of: c.item, db: req.db, now: req.application.clock.now())
        req.application.jobs.kick()
        return try back(req, c.item, flash: "desk.delivery.resent")
    }

    struct MergeForm: Content { var nomor: String? }

    /// The case merged as a duplicate into the one of `nomor`; back at the case kept.
    func merge(req: Request) async throws -> Response {
        let c = try await context(req)
        let form = try req.content.decode(MergeForm.self)
        do {
            let kept = try await c.work.merge(
                c.item, into: form.nomor, texts: .init(localizer: req.application.localizer))
            try await req.audit("desk.merge", subject: c.item.number, detail: kept.number, tenantID: try req.tenant.id)
            req.application.jobs.kick()
            return try back(req, kept, flash: "desk.merge.done", ["number": c.item.number])
        } catch let error as InputError {
            return try await render(
                req, c, errors: error.messages(req), values: ["merge": form.nomor ?? ""], status: error.status)
        }
    }
}
