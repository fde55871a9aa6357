import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// The desk's front page: the tenant's programmes and a new one.
struct ProgrammeListModel: PageBody {
    let slug: Param<TenantSlug>
    let programmes: [(slug: String, name: String)]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(TenancyRoute.desk(.tenant(slug)).path).raw("\">")
            .text(t("live.desk.back")).raw("</a></p>\n<h1>").text(t("live.desk.heading")).raw("</h1>\n<p>")
            .text(t("live.desk.lead")).raw("</p>\n")
        if programmes.isEmpty { h.raw("<p class=\"muted\">").text(t("live.desk.none")).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for programme in programmes {
            h.raw("<li><a href=\"").attr(LiveRoute.deskProgramme(slug, .value(ProgrammeSlug(programme.slug))).path)
                .raw("\">").text(programme.name).raw("</a></li>\n")
        }
        h.raw("</ul>\n<section class=\"panel\" aria-labelledby=\"new-programme\"><h2 id=\"new-programme\">")
            .text(t("live.desk.new")).raw("</h2>\n")
            .postForm(LiveRoute.desk(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "name", label: t("live.field.name"), value: values["name"], error: errors["name"], max: 120,
                    required: true)
            )
            .textField(
                TextField(
                    "slug", label: t("live.field.slug"), value: values["slug"], error: errors["slug"],
                    hint: t("live.field.slug_hint"), max: 60, required: true)
            )
            .raw("<button type=\"submit\">").text(t("live.desk.create")).raw("</button>\n</form>\n</section>\n")
    }
}

/// One programme at the desk: its episodes (newest first), the next one to plan, its
/// settings, and the import of platform figures.
struct ProgrammeDeskModel: PageBody {
    let slug: Param<TenantSlug>
    let programme: LiveProgramme
    let episodes: [(number: Int, topic: String, when: String, status: LiveEpisode.Status, speakers: String)]
    /// The cadence's next free moments: the form value and the words.
    let proposals: [(value: String, words: String)]
    let values: [String: String]
    let episodeValues: [String: String]
    let errors: [String: String]
    let importReport: [String]?

    var programmeSlug: Param<ProgrammeSlug> { .value(ProgrammeSlug(programme.slug)) }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(LiveRoute.desk(slug).path).raw("\">").text(
            t("live.programme.back")
        )
        .raw("</a></p>\n<h1>").text(programme.name).raw("</h1>\n<p><a href=\"")
        .attr(LiveRoute.programme(slug, programmeSlug).path).raw("\">").text(t("live.programme.public"))
        .raw("</a> · <a href=\"").attr(LiveRoute.effectiveness(slug, programmeSlug).path).raw("\">")
        .text(t("live.programme.effectiveness")).raw("</a></p>\n<h2>").text(t("live.programme.episodes"))
        .raw("</h2>\n")
        if episodes.isEmpty { h.raw("<p class=\"muted\">").text(t("live.programme.no_episodes")).raw("</p>\n") }
        if !episodes.isEmpty {
            let headings = [
                t("live.column.episode"), t("live.column.topic"), t("live.column.when"), t("live.column.status"),
            ]
            h.stackTable(headings)
            for episode in episodes {
                let path = LiveRoute.deskEpisode(slug, programmeSlug, .value(EpisodeNumber(episode.number))).path
                h.raw("<tr>").cell(headings[0]).raw("<a href=\"").attr(path).raw("\">#").text("\(episode.number)")
                    .raw("</a></td>").cell(headings[1]).text(episode.topic)
                if !episode.speakers.isEmpty {
                    h.raw("<br><span class=\"muted\">").text(episode.speakers).raw("</span>")
                }
                h.raw("</td>").cell(headings[2]).text(episode.when).raw("</td>").cell(headings[3])
                    .text(t("live.status.\(episode.status.rawValue)")).raw("</td></tr>\n")
            }
            h.endStackTable()
        }
        writeNewEpisode(h, t, csrf)
        writeImport(h, t, csrf)
        writeSettings(h, t, csrf)
    }

    private func writeNewEpisode(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<section class=\"panel\" aria-labelledby=\"new-episode\"><h2 id=\"new-episode\">")
            .text(t("live.episode.new")).raw("</h2>\n")
        if !proposals.isEmpty {
            h.raw("<p class=\"hint\">").text(
                t("live.episode.proposals", ["moments": proposals.map(\.words).joined(separator: "; ")])
            ).raw("</p>\n")
        }
        h.postForm(LiveRoute.newEpisode(slug, programmeSlug).path, csrf: csrf, class: "form")
        EpisodeFields.write(h, t, values: episodeValues, errors: errors, full: false)
        h.raw("<button type=\"submit\">").text(t("live.episode.create")).raw("</button>\n</form>\n</section>\n")
    }

    private func writeImport(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<section class=\"panel\" aria-labelledby=\"import\"><h2 id=\"import\">").text(t("live.import.heading"))
            .raw("</h2>\n<p class=\"hint\">").text(t("live.import.lead")).raw("</p>\n")
        if let importReport {
            h.raw("<div class=\"flash error\" role=\"alert\"><p>").text(t("live.import.failed")).raw("</p><ul>")
            for line in importReport { h.raw("<li>").text(line).raw("</li>") }
            h.raw("</ul></div>\n")
        }
        h.postForm(LiveRoute.importFigures(slug, programmeSlug).path, csrf: csrf, class: "form", multipart: true)
            .textField(
                TextField(
                    "file", label: t("live.import.file"), value: nil, error: nil,
                    kind: .file(accept: ".csv,.json,text/csv,application/json"), required: true)
            )
            .textField(
                TextField(
                    "episode", label: t("live.import.episode"), value: nil, error: nil,
                    hint: t("live.import.episode_hint"), kind: .input("number"), attributes: " min=\"1\"")
            )
            .raw("<button type=\"submit\">").text(t("live.import.submit")).raw("</button>\n</form>\n</section>\n")
    }

    private func writeSettings(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        let settingsFields =
            ["name", "slug", "description", "cadence_days", "cadence_anchor", "default_minutes", "default_jp"]
            + ["claim_hours"] + LivePlatform.allCases.map(\.rawValue)
        // Open when the settings were refused (the new-episode form sends a topic; they do not).
        h.raw("<details").flag("open", episodeValues["topic"] == nil && settingsFields.contains { errors[$0] != nil })
            .raw("><summary>").text(t("live.programme.settings")).raw("</summary>\n")
            .postForm(LiveRoute.deskProgramme(slug, programmeSlug).path, csrf: csrf, class: "form")
        for (name, max) in [("name", 120), ("slug", 60)] {
            h.textField(
                TextField(name, label: t("live.field.\(name)"), value: values[name], error: errors[name], max: max))
        }
        h.textField(
            TextField(
                "description", label: t("live.field.description"), value: values["description"],
                error: errors["description"], kind: .area(rows: 3), max: 2000))
        for platform in LivePlatform.allCases {
            h.textField(
                TextField(
                    platform.rawValue, label: t("live.field.account", ["platform": platform.label]),
                    value: values[platform.rawValue], error: errors[platform.rawValue], max: 200))
        }
        h.textField(
            TextField(
                "cadence_days", label: t("live.field.cadence_days"), value: values["cadence_days"],
                error: errors["cadence_days"], hint: t("live.field.cadence_days_hint"), kind: .input("number"))
        )
        .textField(
            TextField(
                "cadence_anchor", label: t("live.field.cadence_anchor"), value: values["cadence_anchor"],
                error: errors["cadence_anchor"], hint: t("live.field.cadence_anchor_hint"),
                kind: .input("datetime-local")))
        for name in ["default_minutes", "default_jp", "claim_hours"] {
            h.textField(
                TextField(
                    name, label: t("live.field.\(name)"), value: values[name], error: errors[name],
                    kind: .input("number")))
        }
        h.raw("<button type=\"submit\">").text(t("live.programme.save")).raw("</button>\n</form>\n</details>\n")
    }
}

/// The fields of an episode, shared by the new-episode form and the episode's page.
enum EpisodeFields {
    static func write(_ h: HTMLText, _ t: Texts, values: [String: String], errors: [String: String], full: Bool) {
        h.textField(
            TextField(
                "number", label: t("live.field.number"), value: values["number"], error: errors["number"],
                kind: .input("number"), required: true)
        )
        .textField(
            TextField(
                "topic", label: t("live.field.topic"), value: values["topic"], error: errors["topic"], max: 300,
                required: true)
        )
        .textField(
            TextField(
                "speakers", label: t("live.field.speakers"), value: values["speakers"], error: errors["speakers"],
                hint: t("live.field.speakers_hint"), kind: .area(rows: 3))
        )
        .textField(
            TextField(
                "starts_at", label: t("live.field.starts_at"), value: values["starts_at"], error: errors["starts_at"],
                kind: .input("datetime-local"), required: true)
        )
        .textField(
            TextField(
                "minutes", label: t("live.field.minutes"), value: values["minutes"], error: errors["minutes"],
                kind: .input("number"))
        )
        .textField(
            TextField("jp", label: t("live.field.jp"), value: values["jp"], error: errors["jp"], kind: .input("number"))
        )
        guard full else { return }
        h.textField(
            TextField(
                "competency_type", label: t("live.field.competency_type"), value: nil,
                error: errors["competency_type"],
                kind: .select(
                    Course.CompetencyType.allCases.map {
                        SelectOption(
                            value: $0.rawValue, label: t("course.competency.\($0.rawValue)"),
                            selected: values["competency_type"] == $0.rawValue)
                    }))
        )
        .textField(
            TextField(
                "status", label: t("live.field.status"), value: nil, error: errors["status"],
                kind: .select(
                    LiveEpisode.Status.allCases.map {
                        SelectOption(
                            value: $0.rawValue, label: t("live.status.\($0.rawValue)"),
                            selected: values["status"] == $0.rawValue)
                    })))
        for platform in LivePlatform.allCases {
            let name = "\(platform.rawValue)_url"
            h.textField(
                TextField(
                    name, label: t("live.field.link", ["platform": platform.label]), value: values[name],
                    error: errors["links.\(platform.rawValue)"], kind: .input("url")))
        }
        h.textField(
            TextField(
                "recording_url", label: t("live.field.recording_url"), value: values["recording_url"],
                error: errors["recording_url"], kind: .input("url")))
    }
}
