import GotongPlatform
import GotongTenancy

// Signing in and out, registering, the mailed links' forms and the profile, written in Swift
// from their models (see docs/rendering.md). What they write is what the `identity/` templates
// wrote.

extension IdentityRoutes.SignInModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("identity.signin.title")).raw("</h1>\n<p class=\"lead\">").text(t("identity.signin.lead"))
            .raw("</p>\n").alert(error)
        h.postForm(IdentityRoute.signIn.path, csrf: csrf, class: "form")
            .raw("\n<input type=\"hidden\" name=\"next\" value=\"").attr(next).raw("\">\n<label for=\"email\">")
            .text(t("field.email")).raw("</label>\n")
            .raw("<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"")
            .attr(email).raw("\">\n<label for=\"password\">").text(t("field.password")).raw("</label>\n")
            .raw("<input id=\"password\" name=\"password\" type=\"password\" ")
            .raw("autocomplete=\"current-password\" required>\n")
            .raw("<button type=\"submit\">").text(t("identity.signin.submit")).raw("</button>\n</form>\n")
        h.raw("<p><a href=\"").attr(IdentityRoute.forgotPassword.path).raw("\">").text(t("identity.forgot.title"))
            .raw("</a> · <a href=\"").attr(IdentityRoute.register.path).raw("\">").text(t("identity.register.title"))
            .raw("</a></p>\n")
    }
}

extension IdentityRoutes.SignOutModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("identity.signout.title")).raw("</h1>\n")
        h.postForm(IdentityRoute.signOut.path, csrf: csrf, class: "form").raw("\n<button type=\"submit\">")
            .text(t("layout.signout")).raw("</button>\n</form>\n")
    }
}

extension IdentityRoutes.RegisterModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("identity.register.title")).raw("</h1>\n<p class=\"lead\">")
            .text(t("identity.register.lead")).raw("</p>\n")
        h.raw("<form method=\"post\" action=\"").attr(IdentityRoute.register.path)
            .raw("\" class=\"form\" novalidate>").csrfField(csrf).raw("\n")
        h.textField(
            TextField(
                "name", label: t("field.name"), value: values["name"], error: errors["name"], max: 200, required: true,
                attributes: " autocomplete=\"name\""))
        h.textField(
            TextField(
                "email", label: t("field.email"), value: values["email"], error: errors["email"],
                kind: .input("email"), required: true, attributes: " autocomplete=\"email\""))
        h.textField(
            TextField(
                "nip", label: t("field.nip") + " " + t("field.optional"), value: values["nip"],
                error: errors["nip"], hint: t("field.nip_hint"), attributes: " inputmode=\"numeric\""))
        for field in ["unit_kerja", "jabatan"] {
            h.textField(
                TextField(
                    field, label: t("field.\(field)"), value: values[field], error: errors[field],
                    hint: t("input.hint.max", ["max": "200"]), max: 200))
        }
        for field in ["password", "password_confirmation"] {
            h.textField(
                TextField(
                    field, label: t("field.\(field)"), value: nil, error: errors[field], kind: .password,
                    required: true, attributes: " autocomplete=\"new-password\""))
        }
        h.raw("<button type=\"submit\">").text(t("identity.register.submit")).raw("</button>\n</form>\n")
    }
}

extension IdentityRoutes.ForgotModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("identity.forgot.title")).raw("</h1>\n<p class=\"lead\">").text(t("identity.forgot.lead"))
            .raw("</p>\n")
        // novalidate: the page's own message, in the page's language, not the browser's.
        h.raw("<form method=\"post\" action=\"").attr(IdentityRoute.forgotPassword.path)
            .raw("\" class=\"form\" novalidate>").csrfField(csrf).raw("\n")
            .textField(
                TextField(
                    "email", label: t("field.email"), value: email, error: error, kind: .input("email"),
                    required: true, attributes: " autocomplete=\"email\"")
            )
            .raw("<button type=\"submit\">").text(t("identity.forgot.submit")).raw("</button>\n</form>\n")
    }
}

extension IdentityRoutes.SetPasswordModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t(activation ? "identity.activate.title" : "identity.setpassword.title"))
            .raw("</h1>\n<p class=\"lead\">").text(t("identity.setpassword.lead", ["email": email])).raw("</p>\n")
        h.postForm(IdentityRoute.setPassword(.value(MailedSecret(rawValue: token))).path, csrf: csrf, class: "form")
            .raw("\n")
            .textField(
                TextField(
                    "password", label: t("field.new_password"), value: nil, error: errors["password"], kind: .password,
                    required: true, attributes: " autocomplete=\"new-password\"")
            )
            .textField(
                TextField(
                    "password_confirmation", label: t("field.password_confirmation"), value: nil,
                    error: errors["password_confirmation"], kind: .password, required: true,
                    attributes: " autocomplete=\"new-password\"")
            )
            .raw("<button type=\"submit\">").text(t("identity.setpassword.submit")).raw("</button>\n</form>\n")
    }
}

// MARK: A tenant's members and imports

extension MemberRoutes.MembersModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("tenant.members.title")).raw("</h1>\n<p><a href=\"")
            .attr(TenancyRoute.desk(.tenant(tenant)).path).raw("\">").text(t("tenant.admin.back"))
            .raw("</a> · <a class=\"button small\" href=\"").attr(IdentityRoute.importPeople(tenant).path).raw("\">")
            .text(t("import.title")).raw("</a></p>\n<p>").text(t("tenant.members.total", ["count": "\(total)"]))
            .raw("</p>\n")
        let headings = ["field.name", "field.email", "field.nip", "field.unit_kerja", "tenant.members.roles"].map {
            t($0)
        }
        h.stackTable(headings)
        for row in rows {
            h.raw("<tr>")
            for (label, value) in zip(headings, [row.name, row.email, row.nip, row.unit, row.roles]) {
                h.cell(label).text(value).raw("</td>")
            }
            h.raw("</tr>\n")
        }
        h.endStackTable().raw("<p>").text(t("pager.page", ["page": "\(page)", "pages": "\(pages)"])).raw("\n")
        if hasPrevious {
            h.raw(" · <a href=\"?halaman=").text("\(previous)").raw("\">").text(t("pager.previous")).raw("</a>")
        }
        h.raw("\n")
        if hasNext { h.raw(" · <a href=\"?halaman=").text("\(next)").raw("\">").text(t("pager.next")).raw("</a>") }
        h.raw("</p>\n")
    }
}

extension MemberRoutes.ImportModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("import.title")).raw("</h1>\n")
        if learnersOnly {
            h.raw("<p>").text(t("import.learners_only")).raw("</p>\n")
        } else {
            h.raw("<p><a href=\"").attr(TenancyRoute.desk(.tenant(tenant)).path).raw("\">").text(t("tenant.admin.back"))
                .raw("</a> · <a href=\"").attr(IdentityRoute.members(tenant).path).raw("\">")
                .text(t("tenant.members.title")).raw("</a></p>\n")
        }
        if let report { writePreview(report, to: h, texts: t, csrf: csrf) }
        if hasProblems { writeProblems(to: h, texts: t) }
        h.raw("<h2>").text(t("import.upload")).raw("</h2>\n<p>").text(t("import.lead")).raw("</p>\n<p><code>")
            .text(columns).raw("</code></p>\n<p><a href=\"").attr(IdentityRoute.importTemplate(tenant).path)
            .raw("\" download>").text(t("import.template")).raw("</a></p>\n")
            .postForm(IdentityRoute.importPeople(tenant).path, csrf: csrf, class: "form", multipart: true)
            .raw("\n<label for=\"file\">").text(t("import.file")).raw("</label>\n")
            .raw("<input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" required>\n")
            .raw("<button type=\"submit\">").text(t("import.check")).raw("</button>\n</form>\n")
    }

    private func writePreview(_ report: PeopleImport.Report, to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<section class=\"panel\" aria-labelledby=\"preview\">\n<h2 id=\"preview\">").text(t("import.preview"))
            .raw("</h2>\n<p>").text(t("import.preview_file", ["file": filename ?? ""])).raw("</p>\n<ul>\n")
        for (key, count) in [
            ("import.rows", report.totalRows), ("import.new_people", report.newPeople),
            ("import.existing_people", report.existingPeople), ("import.new_memberships", report.newMemberships),
        ] {
            h.raw("<li>").text(t(key, ["count": "\(count)"])).raw("</li>\n")
        }
        h.raw("</ul>\n")
        if let importID {
            h.postForm(IdentityRoute.saveImport(tenant, .value(importID)).path, csrf: csrf)
                .raw("\n<button type=\"submit\">").text(t("import.commit")).raw("</button>\n</form>\n")
        }
        h.raw("</section>\n")
    }

    private func writeProblems(to h: HTMLText, texts t: Texts) {
        h.raw("<section class=\"panel error\" aria-labelledby=\"problems\">\n<h2 id=\"problems\">")
            .text(t("import.problems", ["count": "\(problemCount)"])).raw("</h2>\n<p>").text(
                t("import.nothing_written")
            )
            .raw("</p>\n")
        // Cards on a phone: the row, the column and the problem, each under its name.
        let headings = ["import.row", "import.column", "import.problem"].map { t($0) }
        h.stackTable(headings)
        for problem in problems {
            h.raw("<tr>").cell(headings[0]).text("\(problem.row)").raw("</td>").cell(headings[1]).text(problem.column)
                .raw("</td>").cell(headings[2]).text(problem.message).raw("</td></tr>\n")
        }
        h.endStackTable().raw("</section>\n")
    }
}

// MARK: The profile

extension IdentityRoutes.ProfileModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("identity.profile.title")).raw("</h1>\n")
        if let newToken {
            h.raw("<div class=\"flash success\" role=\"status\"><p>").text(t("identity.token.created"))
                .raw("</p><p><code class=\"token\">").text(newToken).raw("</code></p></div>\n")
        }
        writeDetails(to: h, texts: t, csrf: csrf)
        h.raw("<h2>").text(t("layout.my_institutions")).raw("</h2>\n")
        if institutions.isEmpty {
            h.raw("<p class=\"muted\">").text(t("identity.profile.no_institutions")).raw("</p>\n")
        } else {
            h.raw("<ul>\n")
            for link in institutions {
                h.raw("<li><a href=\"").attr(link.url).raw("\">").text(link.name).raw("</a></li>\n")
            }
            h.raw("</ul>\n")
        }
        writeTokens(to: h, texts: t, csrf: csrf)
        h.raw("<h2>").text(t("identity.signout_everywhere.title")).raw("</h2>\n<p class=\"muted\">")
            .text(t("identity.signout_everywhere.lead")).raw("</p>\n")
            .postForm(IdentityRoute.signOutEverywhere.path, csrf: csrf, class: "form inline")
            .raw("\n<button type=\"submit\">").text(t("identity.signout_everywhere.submit")).raw("</button>\n</form>\n")
    }

    private func writeDetails(to h: HTMLText, texts t: Texts, csrf: String) {
        h.postForm(IdentityRoute.profile.path, csrf: csrf, class: "form").raw("\n<p><span class=\"muted\">")
            .text(t("field.email")).raw("</span> — ").text(values["email"] ?? "").raw("</p>\n")
            .textField(
                TextField(
                    "name", label: t("field.name"), value: values["name"], error: errors["name"],
                    hint: t("input.hint.max", ["max": "200"]), max: 200, required: true,
                    attributes: " autocomplete=\"name\"")
            )
            .textField(
                TextField(
                    "nip", label: t("field.nip") + " " + t("field.optional"), value: values["nip"],
                    error: errors["nip"], hint: t("field.nip_hint"), attributes: " inputmode=\"numeric\"")
            )
            .textField(
                TextField(
                    "phone", label: t("field.phone"), value: values["phone"], error: errors["phone"],
                    kind: .input("tel"),
                    max: 40, attributes: " autocomplete=\"tel\"")
            )
            .textField(
                TextField(
                    "home_tenant", label: t("field.home_tenant"), value: nil, error: errors["home_tenant"],
                    kind: .select([SelectOption(value: "", label: "—", selected: false)] + homeTenants)))
        for field in ["unit_kerja", "jabatan"] {
            h.textField(
                TextField(
                    field, label: t("field.\(field)"), value: values[field], error: errors[field],
                    hint: t("input.hint.max", ["max": "200"]), max: 200))
        }
        h.raw("<label for=\"locale\">").text(t("field.language")).raw(
            "</label>\n<select id=\"locale\" name=\"locale\">\n"
        )
        .options(languages).raw("\n</select>\n<button type=\"submit\">").text(t("action.save"))
        .raw("</button>\n</form>\n")
    }

    private func writeTokens(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h2>").text(t("identity.token.title")).raw("</h2>\n<p class=\"muted\">").text(t("identity.token.lead"))
            .raw("</p>\n")
        let l = [
            "identity.token.name", "identity.token.created_at", "identity.token.last_used",
            "identity.token.expires_at", "action.revoke",
        ].map { t($0) }
        if !tokens.isEmpty { h.stackTable(l) }
        for token in tokens {
            h.raw("<tr>").cell(l[0]).text(token.name).raw("</td>").cell(l[1]).text(token.created).raw("</td>")
                .cell(l[2]).text(token.lastUsed).raw("</td>").cell(l[3])
            if token.expired { h.raw("<strong>").text(t("identity.token.expired")).raw("</strong> ") }
            h.text(token.expires).raw("</td>").cell(l[4]).postForm(
                IdentityRoute.revokeToken(.value(token.id)).path, csrf: csrf
            )
            .raw("<button class=\"link\" type=\"submit\">").text(t("action.revoke")).raw("</button></form></td></tr>\n")
        }
        if !tokens.isEmpty { h.endStackTable() }
        h.postForm(IdentityRoute.createToken.path, csrf: csrf, class: "form inline")
        var name = TextField("name", label: t("identity.token.name"), value: nil, error: errors["token_name"], max: 100)
        name.id = "token-name"
        var days = TextField(
            "days", label: t("identity.token.lifetime"), value: nil, error: errors["days"],
            kind: .select(
                lifetimes.map {
                    SelectOption(
                        value: "\($0.days)", label: t("identity.token.lifetime_days", ["days": "\($0.days)"]),
                        selected: $0.selected)
                }))
        days.id = "token-days"
        h.raw("\n").textField(name).textField(days)
            .raw("<button type=\"submit\">").text(t("identity.token.create")).raw("</button>\n</form>\n")
    }
}
