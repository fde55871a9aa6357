import GotongPlatform

// The administration pages of Tenancy, written in Swift from their models (see
// docs/rendering.md): the platform's list of institutions, a tenant's (or the master
// template's) editor, and the audit log. What they write is what their templates wrote.

extension PlatformAdminRoutes.TenantsModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("admin.tenants.title")).raw("</h1>\n<p>")
        for (index, (route, label)) in [
            (TenancyRoute.desk(.master).path, "master.title"), (TenancyRoute.platformAudit.path, "audit.title"),
            (PlatformRoute.jobs.path, "jobs.title"),
        ].enumerated() {
            h.raw(index == 0 ? "<a href=\"" : " · <a href=\"").attr(route).raw("\">").text(t(label)).raw("</a>")
        }
        h.raw("</p>\n<section class=\"panel\" aria-labelledby=\"create-heading\">\n<h2 id=\"create-heading\">")
            .text(t("admin.tenants.create")).raw("</h2>\n<p class=\"muted\">").text(t("admin.tenants.create_lead"))
            .raw("</p>\n").postForm(TenancyRoute.adminTenants.path, csrf: csrf, class: "form")
            .raw("\n")
            .textField(
                TextField(
                    "name", label: t("field.tenant_name"), value: values["name"], error: errors["name"], max: 200,
                    required: true)
            )
            .textField(
                TextField(
                    "slug", label: t("field.slug"), value: values["slug"], error: errors["slug"],
                    hint: t("field.slug_hint"), max: 40, required: true)
            )
            .textField(
                TextField(
                    "kind", label: t("field.kind"), value: nil, error: errors["kind"], kind: .select(kinds))
            )
            .textField(
                TextField(
                    "first_admin", label: t("field.first_admin"), value: values["first_admin"],
                    error: errors["first_admin"], hint: t("field.first_admin_hint"), kind: .input("email"),
                    attributes: " autocomplete=\"off\"")
            )
            .raw("<button type=\"submit\">").text(t("admin.tenants.create_submit")).raw(
                "</button>\n</form>\n</section>\n")
        h.raw("<h2>").text(t("admin.tenants.list", ["count": "\(total)"])).raw("</h2>\n")
            .raw("<form method=\"get\" action=\"").attr(TenancyRoute.adminTenants.path)
            .raw("\" class=\"form inline\" role=\"search\">\n<label for=\"q\">").text(t("action.search"))
            .raw("</label>\n<input id=\"q\" name=\"q\" value=\"").attr(query).raw("\">\n<button type=\"submit\">")
            .text(t("action.search")).raw("</button>\n</form>\n")
            .stackTable(["field.tenant_name", "field.kind", "field.status", "action.actions"].map { t($0) })
        for row in rows { write(row, to: h, texts: t, csrf: csrf) }
        h.endStackTable()
    }

    private func write(_ row: Row, to h: HTMLText, texts t: Texts, csrf: String) {
        let home = TenancyRoute.pages(row.slug).path
        h.raw("<tr>").cell(t("field.tenant_name")).raw("<a href=\"").attr(home).raw("\">").text(row.name)
            .raw("</a> <span class=\"muted\">").text(home).raw("</span></td>").cell(t("field.kind")).text(row.kind)
            .raw("</td>").cell(t("field.status"))
        if row.active {
            h.text(t("tenant.status.active"))
        } else {
            h.raw("<strong>").text(t("tenant.status.suspended")).raw("</strong>")
        }
        h.raw("</td>\n").cell(t("action.actions")).postForm(TenancyRoute.tenantStatus(row.slug).path, csrf: csrf)
            .raw("<input type=\"hidden\" name=\"status\" value=\"").raw(row.active ? "suspended" : "active")
            .raw("\"><button class=\"link\" type=\"submit\">")
            .text(t(row.active ? "admin.tenants.suspend" : "admin.tenants.activate")).raw(
                "</button></form></td></tr>\n")
    }
}

extension TenantEditor.Model: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        // Courses are Catalog's and members, imports and the audit log Identity's: those
        // modules add their pages to the desk (``DeskTools``).
        var links = tools.map { ($0.url, $0.label) }
        switch desk {
        case .master:
            links.insert((TenancyRoute.adminTenants.path, t("admin.tenants.title")), at: 0)
            h.raw("<h1>").text(t("master.title")).raw("</h1>\n<p class=\"lead\">").text(t("master.lead"))
                .raw("</p>\n<p>")
        case .tenant(let tenant):
            links.append((TenancyRoute.pages(tenant).path, t("tenant.admin.view_storefront")))
            h.raw("<h1>").text(t("tenant.admin.heading")).raw("</h1>\n<p>")
        }
        for (index, (url, label)) in links.enumerated() {
            h.raw(index == 0 ? "<a href=\"" : " · <a href=\"").attr(url).raw("\">").text(label).raw("</a>")
        }
        h.raw("</p>\n")
        writeProfile(to: h, texts: t, csrf: csrf)
        h.raw("<section class=\"panel\" aria-labelledby=\"pages-heading\">\n<h2 id=\"pages-heading\">")
            .text(t("tenant.admin.pages")).raw("</h2>\n")
        for page in pages {
            h.postForm(TenancyRoute.savePage(desk, .value(PageKey(rawValue: page.key))).path, csrf: csrf, class: "form")
                .raw("\n<label for=\"page-").attr(page.key).raw("-title\">").text(t("field.page_title"))
                .raw("</label>\n<input id=\"page-").attr(page.key).raw("-title\" name=\"title\" required value=\"")
                .attr(page.title).raw("\">\n<label for=\"page-").attr(page.key).raw("-body\">").text(
                    t("field.page_body")
                )
                .raw("</label>\n<textarea id=\"page-").attr(page.key).raw("-body\" name=\"body\" rows=\"5\">")
                .text(page.body).raw("</textarea>\n<button type=\"submit\">").text(t("action.save"))
                .raw("</button>\n</form>\n")
        }
        h.raw("</section>\n<section class=\"panel\" aria-labelledby=\"categories-heading\">\n")
            .raw("<h2 id=\"categories-heading\">").text(t("tenant.admin.categories")).raw(
                "</h2>\n<ul class=\"list\">\n")
        for category in categories {
            h.raw("<li>").text(category.name).raw(" <form class=\"inline\" method=\"post\" action=\"")
                .attr(TenancyRoute.deleteCategory(desk, .value(category.id)).path).raw("\">").csrfField(csrf)
                .raw("<button class=\"link\" type=\"submit\" aria-label=\"").attr(t("action.delete")).raw(" ")
                .attr(category.name).raw("\">").text(t("action.delete")).raw("</button></form></li>\n")
        }
        h.raw("</ul>\n").postForm(TenancyRoute.categories(desk).path, csrf: csrf, class: "form inline")
            .raw("\n<label for=\"category-name\">").text(t("field.category_name")).raw("</label>\n")
            .raw("<input id=\"category-name\" name=\"name\" required data-max=\"100\">\n<button type=\"submit\">")
            .text(t("action.add")).raw("</button>\n</form>\n</section>\n")
    }

    private func writeProfile(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<section class=\"panel\" aria-labelledby=\"profile-heading\">\n<h2 id=\"profile-heading\">")
            .text(t("tenant.admin.profile")).raw("</h2>\n")
            .postForm(TenancyRoute.desk(desk).path, csrf: csrf, class: "form", multipart: true).raw("\n")
        input("name", label: "field.tenant_name", required: true, to: h, texts: t)
        input("tagline", label: "field.tagline", to: h, texts: t)
        input("description", label: "field.description", kind: .area(rows: 3), to: h, texts: t)
        input("welcome", label: "field.welcome", kind: .area(rows: 3), max: TenantEditor.welcomeLimit, to: h, texts: t)
        input("primary_color", label: "field.primary_color", kind: .input("color"), to: h, texts: t)
        if case .tenant = desk {
            h.textField(
                TextField(
                    "logo", label: t("field.logo"), value: nil, error: errors["logo"], hint: t("field.logo_hint"),
                    kind: .file(accept: "image/png,image/jpeg")))
        }
        input("contact_email", label: "field.contact_email", kind: .input("email"), to: h, texts: t)
        input("contact_phone", label: "field.contact_phone", kind: .input("tel"), to: h, texts: t)
        input("address", label: "field.address", to: h, texts: t)
        input("website", label: "field.website", kind: .input("url"), to: h, texts: t)
        h.raw(
            "<p class=\"check\"><input id=\"open_membership\" name=\"open_membership\" type=\"checkbox\" value=\"true\""
        )
        .flag("checked", openMembership).raw("> <label for=\"open_membership\">").text(t("field.open_membership"))
        .raw("</label></p>\n<button type=\"submit\">").text(t("action.save")).raw("</button>\n</form>\n</section>\n")
    }

    /// A field of the profile with its value, its limit (``TenantProfileChange/limits``) and its error.
    private func input(
        _ field: String, label: String, kind: TextField.Kind = .input("text"), max: Int? = nil,
        required: Bool = false, to h: HTMLText, texts t: Texts
    ) {
        let max = max ?? TenantProfileChange.limits[field]
        h.textField(
            TextField(
                field, label: t(label), value: values[field], error: errors[field],
                hint: max.map { t("input.hint.max", ["max": "\($0)"]) }, kind: kind, max: max, required: required))
    }
}

extension AuditPage.Model: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        var headings = ["audit.when", "audit.actor", "audit.action", "audit.subject"]
        if showTenant { headings.append("audit.tenant") }
        let label = Dictionary(uniqueKeysWithValues: (headings + ["audit.ip"]).map { ($0, t($0)) })
        h.raw("<h1>").text(t("audit.title")).raw("</h1>\n")
            .stackTable((headings + ["audit.ip"]).map { label[$0]! }, caption: t("audit.title"))
        for row in rows {
            h.raw("<tr>").cell(label["audit.when"]!).text(row.when).raw("</td>").cell(label["audit.actor"]!)
                .text(row.actor).raw("</td>").cell(label["audit.action"]!).text(row.action).raw("</td>")
                .cell(label["audit.subject"]!).text(row.subject).raw(" <span class=\"muted\">").text(row.detail)
                .raw("</span></td>")
            if showTenant { h.cell(label["audit.tenant"]!).text(row.tenant).raw("</td>") }
            h.cell(label["audit.ip"]!).text(row.ip).raw("</td></tr>\n")
        }
        h.endStackTable()
        if hasNext {
            h.raw("<p><a href=\"?halaman=").text("\(nextPage)").raw("\">").text(t("pager.next")).raw("</a></p>\n")
        }
    }
}
