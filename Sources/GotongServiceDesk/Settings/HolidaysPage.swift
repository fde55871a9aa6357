import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The desk's holidays, kept by its administrators (`/t/{slug}/kelola/layanan/libur?tahun=`):
/// a year's days off — national holidays and cuti bersama, seeded from the decree when the
/// desk was turned on, and the region's own — added and removed. A change counts for
/// deadlines worked out after it; running ones keep theirs. Audited.
package struct HolidaysPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.holidays(.key), use: show)
        tenant.post(DeskRoute.holidays(.key), use: add)
        tenant.post(DeskRoute.holidaysRemove(.key), use: remove)
    }

    private func scope(_ req: Request) async throws -> TenantScope {
        try await DeskSetup.administered(req, by: [.admin])
    }

    func show(req: Request) async throws -> Response {
        let year =
            try req.queryNumber("tahun", in: 2000...2100) ?? LocalDates.year(of: req.application.clock.now())
        return try await render(req, try await scope(req), year: year, errors: [:], values: [:])
    }

    private func render(
        _ req: Request, _ scope: TenantScope, year: Int, errors: [String: String], values: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let days = try await scope.query(DeskHoliday.self).filter(\.$day >= "\(year)-01-01")
            .filter(\.$day <= "\(year)-12-31").sort(\.$day).all()
        let model = HolidaysModel(
            slug: try req.tenant.routeSlug, year: year, days: days, errors: errors, values: values)
        return try await req.render(model, title: "desk.holidays.title", tenant: try req.tenant, status: status)
    }

    struct AddForm: Content { var tanggal, nama: String? }

    func add(req: Request) async throws -> Response {
        let scope = try await scope(req)
        let form = try req.content.decode(AddForm.self)
        let year = Int(form.tanggal?.prefix(4) ?? "") ?? LocalDates.year(of: req.application.clock.now())
        do {
            let day = try await Holidays.add(day: form.tanggal, name: form.nama, in: scope)
            try await req.audit("desk.holiday.add", subject: day.day, detail: day.name, tenantID: scope.tenantID)
            req.flash(.success, "desk.holidays.added")
            return req.seeOther(
                DeskRoute.holidays(try req.tenant.routeSlug).path(query: ["tahun": String(day.day.prefix(4))]))
        } catch let error as InputError {
            return try await render(
                req, scope,
                year: (2000...2100).contains(year) ? year : LocalDates.year(of: req.application.clock.now()),
                errors: error.messages(req), values: ["tanggal": form.tanggal ?? "", "nama": form.nama ?? ""],
                status: error.status)
        }
    }

    struct RemoveForm: Content { var id: String? }

    func remove(req: Request) async throws -> Response {
        let scope = try await scope(req)
        let id = try QueryValue.id(try req.content.decode(RemoveForm.self).id, field: "id")
        guard let day = try await scope.find(DeskHoliday.self, id) else { throw Abort(.notFound) }
        try await scope.db.lockingTransaction { tx in try await day.delete(on: tx) }
        try await req.audit("desk.holiday.remove", subject: day.day, detail: day.name, tenantID: scope.tenantID)
        req.flash(.success, "desk.holidays.removed")
        return req.seeOther(
            DeskRoute.holidays(try req.tenant.routeSlug).path(query: ["tahun": String(day.day.prefix(4))]))
    }
}

enum Holidays {
    /// A day off added: a real day of 2000–2100, a name, not one already. Every problem at once.
    static func add(day raw: String?, name rawName: String?, in scope: TenantScope) async throws -> DeskHoliday {
        var p = ProblemList()
        let text = p.text(raw, "tanggal", max: 10, required: "desk.error.holiday_day")
        var day: String?
        if !text.isEmpty {
            if case .success(let date?) = LocalDates.parse(text), text.count == 10,
                (2000...2100).contains(LocalDates.year(of: date))
            {
                day = text
            } else {
                p.add("tanggal", "desk.error.holiday_day")
            }
        }
        let name = p.text(rawName, "nama", max: 120, required: "desk.error.holiday_name")
        if let day, try await scope.query(DeskHoliday.self).filter(\.$day == day).count() > 0 {
            p.add("tanggal", "desk.error.holiday_taken")
        }
        try p.throwIfAny()
        let holiday = DeskHoliday(tenantID: scope.tenantID, day: day!, name: name)
        try await scope.db.lockingTransaction { tx in try await holiday.create(on: tx) }
        return holiday
    }
}

struct HolidaysModel: PageBody {
    let slug: Param<TenantSlug>
    let year: Int
    let days: [DeskHoliday]
    let errors: [String: String]
    let values: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let page = DeskRoute.holidays(slug).path
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.setup(slug).path).raw("\">").text(
            t("desk.setup.heading")
        )
        .raw("</a></p>\n<h1>").text(t("desk.holidays.heading", ["year": "\(year)"])).raw("</h1>\n<p>")
        .text(t("desk.holidays.lead")).raw("</p>\n<p><a href=\"").attr(page + "?tahun=\(year - 1)").raw("\">")
        .text("← \(year - 1)").raw("</a> · <a href=\"").attr(page + "?tahun=\(year + 1)").raw("\">")
        .text("\(year + 1) →").raw("</a></p>\n")
        if days.isEmpty { h.raw("<p>").text(t("desk.holidays.none")).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for day in days {
            let format = t.language == .id ? LocalDates.longDayID : LocalDates.dayEN
            let shown = LocalDates.startOfDay(day.day).map { format.string(from: $0) } ?? day.day
            h.raw("<li><strong>").text(shown).raw("</strong> — ").text(day.name).raw(" ")
            h.postForm(DeskRoute.holidaysRemove(slug).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"id\" value=\"").attr(day.id?.uuidString ?? "")
                .raw("\"><button type=\"submit\" class=\"small secondary\" aria-label=\"")
                .attr(t("desk.units.remove_named", ["name": "\(shown) \(day.name)"])).raw("\">")
                .text(t("desk.units.remove")).raw("</button></form></li>\n")
        }
        h.raw("</ul>\n<h2>").text(t("desk.holidays.add")).raw("</h2>\n")
        h.postForm(page, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "tanggal", label: t("desk.holidays.day"), value: values["tanggal"], error: errors["tanggal"],
                    kind: .input("date"), required: true)
            )
            .textField(
                TextField(
                    "nama", label: t("desk.holidays.name"), value: values["nama"], error: errors["nama"],
                    hint: t("desk.holidays.name_hint"), max: 120, required: true)
            )
            .raw("<button type=\"submit\">").text(t("desk.holidays.add")).raw("</button>\n</form>\n")
    }
}
