import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The administrator's page of the desk's organisation: units, the people at them, routing
/// rules; each added by its own small form and removed by a button.
package struct UnitsPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.units(.key), use: show)
        tenant.post(DeskRoute.units(.key), use: addUnit)
        tenant.post(DeskRoute.staff(.key), use: addStaff)
        tenant.post(DeskRoute.rules(.key), use: addRule)
        tenant.post(DeskRoute.unitsRemove(.key), use: remove)
    }

    /// The tenant's administrator, with the desk on.
    private func units(_ req: Request) async throws -> Units {
        Units(scope: try await DeskSetup.administered(req, by: [.admin]), now: req.application.clock.now())
    }

    func show(req: Request) async throws -> Response {
        _ = try await units(req)
        return try await render(req, errors: [:], values: [:])
    }

    private func render(
        _ req: Request, errors: [String: String], values: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let scope = try req.tenantScope
        let staff = try await scope.query(DeskStaff.self).all()
        let people = try await Person.query(on: req.db).filter(\.$id ~~ Array(Set(staff.map(\.personID)))).all()
        let model = UnitsModel(
            slug: try req.tenant.routeSlug, units: try await scope.query(DeskUnit.self).sort(\.$name).all(),
            staff: staff, people: Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0) }),
            rules: try await scope.query(DeskRule.self).sort(\.$position).all(),
            categories: try await DeskSetup.categories(scope), errors: errors, values: values)
        return try await req.render(model, title: "desk.units.title", tenant: try req.tenant, status: status)
    }

    private func done(_ req: Request, _ key: String) throws -> Response {
        req.flash(.success, key)
        return req.seeOther(DeskRoute.units(try req.tenant.routeSlug).path)
    }

    /// Runs `change`; a refused one shows the page again with its problems and what was typed.
    private func attempt(
        _ req: Request, values: [String: String], _ change: () async throws -> String
    ) async throws -> Response {
        do {
            return try done(req, try await change())
        } catch let error as InputError {
            return try await render(req, errors: error.messages(req), values: values, status: error.status)
        }
    }

    struct UnitForm: Content { var name: String? }

    func addUnit(req: Request) async throws -> Response {
        let units = try await units(req)
        let form = try req.content.decode(UnitForm.self)
        return try await attempt(req, values: ["form": "unit", "name": form.name ?? ""]) {
            let unit = try await units.addUnit(named: form.name)
            try await req.audit("desk.unit.add", subject: unit.name, tenantID: units.scope.tenantID)
            return "desk.units.added"
        }
    }

    struct StaffForm: Content {
        var email, unit, role: String?
    }

    func addStaff(req: Request) async throws -> Response {
        let units = try await units(req)
        let form = try req.content.decode(StaffForm.self)
        return try await attempt(req, values: ["form": "staff", "email": form.email ?? ""]) {
            let staff = try await units.addStaff(
                email: form.email, unit: try QueryValue.id(form.unit, field: "unit"),
                role: try QueryValue.choice(form.role, field: "role", as: DeskStaff.Role.self))
            try await req.audit(
                "desk.staff.add", subject: EmailAddress.normalise(form.email ?? ""), detail: staff.role.rawValue,
                tenantID: units.scope.tenantID)
            return "desk.units.staff_added"
        }
    }

    struct RuleForm: Content {
        var unit, category, keyword: String?
    }

    func addRule(req: Request) async throws -> Response {
        let units = try await units(req)
        let form = try req.content.decode(RuleForm.self)
        return try await attempt(req, values: ["form": "rule", "keyword": form.keyword ?? ""]) {
            let rule = try await units.addRule(
                unit: try QueryValue.id(form.unit, field: "unit"),
                category: try QueryValue.id(form.category, field: "category"), keyword: form.keyword)
            try await req.audit("desk.rule.add", subject: rule.keyword, tenantID: units.scope.tenantID)
            return "desk.units.rule_added"
        }
    }

    struct RemoveForm: Content {
        var kind, id: String?
    }

    func remove(req: Request) async throws -> Response {
        let units = try await units(req)
        let form = try req.content.decode(RemoveForm.self)
        guard let kind = try QueryValue.choice(form.kind, field: "kind", as: Units.Removable.self),
            let id = try QueryValue.id(form.id, field: "id"), try await units.remove(kind, id: id)
        else { throw Abort(.notFound) }
        try await req.audit("desk.\(kind.rawValue).remove", subject: id.uuidString, tenantID: units.scope.tenantID)
        return try done(req, "desk.units.removed")
    }
}

struct UnitsModel: PageBody {
    let slug: Param<TenantSlug>
    let units: [DeskUnit]
    let staff: [DeskStaff]
    let people: [UUID: Person]
    let rules: [DeskRule]
    let categories: [DeskCategory]
    let errors: [String: String]
    let values: [String: String]

    /// The problem of `field` when the form that was sent is `form` (three forms share names).
    private func error(_ field: String, of form: String) -> String? {
        values["form"] == form ? errors[field] : nil
    }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.setup(slug).path).raw("\">")
            .text(t("desk.setup.heading")).raw("</a></p>\n<h1>").text(t("desk.units.heading")).raw("</h1>\n<p>")
            .text(t("desk.units.lead")).raw("</p>\n")
        for unit in units { writeUnit(unit, to: h, t, csrf: csrf) }
        writeDPO(to: h, t, csrf: csrf)
        h.postForm(DeskRoute.units(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "name", label: t("desk.units.new"), value: values["name"], error: error("name", of: "unit"),
                    max: 120,
                    required: true)
            )
            .raw("<button type=\"submit\">").text(t("desk.units.add")).raw("</button>\n</form>\n")
        guard !units.isEmpty else { return }
        writeStaffForm(to: h, t, csrf: csrf)
        writeRules(to: h, t, csrf: csrf)
    }

    /// A "Hapus" button that says what it removes to a screen reader (the page has many).
    private func removeButton(
        _ kind: Units.Removable, _ id: UUID?, naming what: String, to h: HTMLText, _ t: Texts, csrf: String,
        label: String = "desk.units.remove"
    ) {
        h.postForm(DeskRoute.unitsRemove(slug).path, csrf: csrf, class: "inline")
            .raw("<input type=\"hidden\" name=\"kind\" value=\"").attr(kind.rawValue)
            .raw("\"><input type=\"hidden\" name=\"id\" value=\"").attr(id?.uuidString ?? "")
            .raw("\"><button type=\"submit\" class=\"small secondary\" aria-label=\"")
            .attr(t("desk.units.remove_named", ["name": what])).raw("\">").text(t(label))
            .raw("</button></form>")
    }

    private func person(_ id: UUID) -> String {
        people[id].map { "\($0.name) <\($0.email)>" } ?? ""
    }

    private func writeUnit(_ unit: DeskUnit, to h: HTMLText, _ t: Texts, csrf: String) {
        h.raw("<h2>").text(unit.name).raw("</h2>\n<ul class=\"list\">\n")
        for member in staff where member.unitID == unit.id {
            h.raw("<li>").text(person(member.personID)).raw(" · ").text(t("desk.staff.\(member.role.rawValue)"))
                .raw(" ")
            removeButton(.staff, member.id, naming: person(member.personID), to: h, t, csrf: csrf)
            h.raw("</li>\n")
        }
        h.raw("</ul>\n")
        removeButton(.unit, unit.id, naming: unit.name, to: h, t, csrf: csrf, label: "desk.units.remove_unit")
        h.raw("\n")
    }

    private func writeDPO(to h: HTMLText, _ t: Texts, csrf: String) {
        let officers = staff.filter { $0.role == .dpo }
        guard !officers.isEmpty else { return }
        h.raw("<h2>").text(t("desk.staff.dpo")).raw("</h2>\n<ul class=\"list\">\n")
        for member in officers {
            h.raw("<li>").text(person(member.personID)).raw(" ")
            removeButton(.staff, member.id, naming: person(member.personID), to: h, t, csrf: csrf)
            h.raw("</li>\n")
        }
        h.raw("</ul>\n")
    }

    /// The units to choose from, the first chosen; `none` (the data protection officer's "no
    /// unit") last.
    private func unitOptions(_ t: Texts, none: String? = nil) -> [SelectOption] {
        units.enumerated().map { SelectOption(value: $1.id!.uuidString, label: $1.name, selected: $0 == 0) }
            + (none.map { [SelectOption(value: "", label: $0, selected: false)] } ?? [])
    }

    private func writeStaffForm(to h: HTMLText, _ t: Texts, csrf: String) {
        h.raw("<h2>").text(t("desk.units.staff_heading")).raw("</h2>\n")
        h.postForm(DeskRoute.staff(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "email", label: t("desk.field.email"), value: values["email"], error: error("email", of: "staff"),
                    hint: t("desk.units.staff_hint"), kind: .input("email"), max: 200, required: true)
            )
            .textField(
                TextField(
                    "unit", label: t("desk.field.unit"), value: nil, error: error("unit", of: "staff"),
                    kind: .select(unitOptions(t, none: t("desk.units.no_unit")))))
        let roles = DeskStaff.Role.allCases.map {
            SelectOption(value: $0.rawValue, label: t("desk.staff.\($0.rawValue)"), selected: $0 == .petugas)
        }
        h.textField(
            TextField(
                "role", label: t("desk.units.role"), value: nil, error: error("role", of: "staff"), kind: .select(roles)
            )
        )
        .raw("<button type=\"submit\">").text(t("desk.units.add_staff")).raw("</button>\n</form>\n")
    }

    private func writeRules(to h: HTMLText, _ t: Texts, csrf: String) {
        h.raw("<h2>").text(t("desk.units.rules_heading")).raw("</h2>\n<p>").text(t("desk.units.rules_lead"))
            .raw("</p>\n<ol class=\"list\">\n")
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        let categoryNames = Dictionary(uniqueKeysWithValues: categories.map { ($0.id!, $0.name) })
        for rule in rules {
            let text = t(
                rule.keyword.isEmpty ? "desk.units.rule" : "desk.units.rule_keyword",
                [
                    "category": rule.categoryID.flatMap { categoryNames[$0] } ?? t("desk.units.any_category"),
                    "keyword": rule.keyword, "unit": unitNames[rule.unitID] ?? "",
                ])
            h.raw("<li>").text(text).raw(" ")
            removeButton(.rule, rule.id, naming: text, to: h, t, csrf: csrf)
            h.raw("</li>\n")
        }
        h.raw("</ol>\n")
        h.postForm(DeskRoute.rules(slug).path, csrf: csrf, class: "form")
        let categoryOptions =
            [SelectOption(value: "", label: t("desk.units.any_category"), selected: true)]
            + categories.map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: false) }
        h.textField(
            TextField(
                "category", label: t("desk.field.category"), value: nil, error: error("category", of: "rule"),
                kind: .select(categoryOptions))
        )
        .textField(
            TextField(
                "keyword", label: t("desk.units.keyword"), value: values["keyword"],
                error: error("keyword", of: "rule"),
                hint: t("desk.units.keyword_hint"), max: 100)
        )
        var unit = TextField(
            "unit", label: t("desk.units.to_unit"), value: nil, error: error("unit", of: "rule"),
            kind: .select(unitOptions(t)))
        // The officers' form above has a unit field too: ids stay unique on the page.
        unit.id = "rule-unit"
        h.textField(unit)
        h.raw("<button type=\"submit\">").text(t("desk.units.add_rule")).raw("</button>\n</form>\n")
    }
}
