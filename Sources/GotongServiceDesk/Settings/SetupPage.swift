import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The tenant administrator's page of the service desk: whether it is on, the address citizens
/// use, and the button that turns it on (with its default categories, calendar and targets).
package struct SetupPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.setup(.key), use: show)
        tenant.post(DeskRoute.setup(.key), use: enable)
    }

    func show(req: Request) async throws -> Response {
        try await req.requireTenantRole([.admin])
        let scope = try req.tenantScope
        let settings = try await DeskSetup.settings(scope)
        let year = LocalDates.year(of: req.application.clock.now())
        // A year with no more than its fixed-date holidays recorded lacks the decree's list.
        var incomplete: [Int] = []
        if settings != nil {
            for candidate in [year, year + 1] {
                let days = try await scope.query(DeskHoliday.self).filter(\.$day >= "\(candidate)-01-01")
                    .filter(\.$day <= "\(candidate)-12-31").count()
                if days <= NationalHolidays.fixed.count { incomplete.append(candidate) }
            }
        }
        let model = SetupModel(
            slug: try req.tenant.routeSlug, settings: settings,
            categories: settings == nil ? [] : try await DeskSetup.categories(scope).map(\.name),
            publicAddress: req.application.gotong.baseURL + DeskRoute.desk(try req.tenant.routeSlug).path,
            incompleteYears: incomplete)
        return try await req.render(model, title: "desk.setup.title", tenant: try req.tenant)
    }

    struct SwitchForm: Content {
        /// `0` turns the desk off; anything else (or nothing) on.
        var aktif: String?
    }

    func enable(req: Request) async throws -> Response {
        try await req.requireTenantRole([.admin])
        let on = try req.content.decode(SwitchForm.self).aktif != "0"
        try await Self.turn(on, req)
        req.flash(.success, on ? "desk.setup.enabled" : "desk.setup.disabled")
        return req.seeOther(DeskRoute.setup(try req.tenant.routeSlug).path)
    }

    /// Turns the request tenant's desk on (the first time with its defaults) or off, for the
    /// record in the audit log; the page and `PATCH /api/v1/tenants/{slug}` share it.
    static func turn(_ on: Bool, _ req: Request) async throws {
        let tenant = try req.tenant
        let now = req.application.clock.now()
        // Asked for what already is: nothing to do, nothing to record.
        let isOn = try await DeskSetup.settings(try req.tenantScope) != nil
        guard isOn != on else { return }
        if on {
            try await DeskSetup.enable(try req.tenantScope, now: now)
        } else {
            try await DeskSetup.disable(try req.tenantScope, now: now)
        }
        req.application.connectedChannels.forget(try tenant.requireID())
        try await req.audit(on ? "desk.enable" : "desk.disable", subject: tenant.slug, tenantID: tenant.id)
    }
}

struct SetupModel: PageBody {
    let slug: Param<TenantSlug>
    let settings: DeskSettings?
    let categories: [String]
    let publicAddress: String
    /// Years whose holidays hold no more than the fixed-date ones.
    let incompleteYears: [Int]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("desk.setup.heading")).raw("</h1>\n")
        guard let settings else {
            h.raw("<p>").text(t("desk.setup.lead")).raw("</p>\n")
                .postButton(DeskRoute.setup(slug).path, csrf: csrf, label: t("desk.setup.enable"), formClass: nil)
            return
        }
        h.raw("<p>").text(t("desk.setup.on")).raw(" <a href=\"").attr(DeskRoute.desk(slug).path).raw("\">")
            .text(publicAddress).raw("</a></p>\n<p><a class=\"button\" href=\"").attr(DeskRoute.queue(slug).path)
            .raw("\">").text(t("desk.queue.heading")).raw("</a> <a href=\"").attr(DeskRoute.dashboard(slug).path)
            .raw("\">").text(t("desk.dashboard.heading")).raw("</a> · <a href=\"").attr(DeskRoute.units(slug).path)
            .raw("\">")
            .text(t("desk.units.link")).raw("</a> · <a href=\"").attr(DeskRoute.templates(slug).path).raw("\">")
            .text(t("desk.templates.heading")).raw("</a> · <a href=\"").attr(DeskRoute.channels(slug).path).raw("\">")
            .text(t("desk.channels.heading")).raw("</a> · <a href=\"").attr(DeskRoute.reporter(slug).path).raw("\">")
            .text(t("desk.reporter.heading")).raw("</a> · <a href=\"").attr(DeskRoute.holidays(slug).path).raw("\">")
            .text(t("desk.holidays.link")).raw("</a></p>\n<dl class=\"facts\">\n")
        let hours = String(
            format: "%02d.%02d–%02d.%02d", settings.opens / 60, settings.opens % 60, settings.closes / 60,
            settings.closes % 60)
        for (label, value) in [
            (t("desk.setup.hours"), hours), (t("desk.setup.zone"), t("desk.zone.\(settings.zone)")),
            (
                t("desk.setup.targets"),
                t("desk.setup.targets_value", ["verify": "\(settings.verifyDays)", "plan": "\(settings.planDays)"])
            ),
            (t("desk.setup.categories"), categories.joined(separator: ", ")),
        ] {
            h.raw("<dt>").text(label).raw("</dt><dd>").text(value).raw("</dd>\n")
        }
        h.raw("</dl>\n")
        h.postForm(DeskRoute.setup(slug).path, csrf: csrf, class: "inline")
            .raw("<input type=\"hidden\" name=\"aktif\" value=\"0\"><button type=\"submit\" class=\"secondary\">")
            .text(t("desk.setup.disable")).raw("</button></form>\n")
        for year in incompleteYears {
            h.raw("<p class=\"flash info\">").text(t("desk.setup.holidays_missing", ["year": "\(year)"]))
                .raw(" <a href=\"").attr(DeskRoute.holidays(slug).path + "?tahun=\(year)").raw("\">")
                .text(t("desk.holidays.link")).raw("</a></p>\n")
        }
    }
}
