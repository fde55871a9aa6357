import Foundation
import GotongCatalog
import GotongLearning
import GotongPlatform
import GotongTenancy

/// One episode at the desk: what to do during the broadcast (the code screen), its details,
/// its figures per platform, and its claims.
struct EpisodeDeskModel: PageBody {
    let slug: Param<TenantSlug>
    let programme: LiveProgramme
    let episode: LiveEpisode
    let when: String
    let closes: String
    let figures: [LivePlatform: PlatformCounts]
    let claims: [(name: String, email: String, at: String, certificate: String)]
    let claimCount: Int
    /// How many asked to be reminded of the episode.
    let registrations: Int
    let values: [String: String]
    let errors: [String: String]

    var programmeSlug: Param<ProgrammeSlug> { .value(ProgrammeSlug(programme.slug)) }
    var number: Param<EpisodeNumber> { .value(EpisodeNumber(episode.number)) }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(LiveRoute.deskProgramme(slug, programmeSlug).path).raw("\">")
            .text(programme.name).raw("</a></p>\n<h1>").text(t("live.episode.heading", ["number": "\(episode.number)"]))
            .raw(": ").text(episode.topic).raw("</h1>\n<p class=\"muted\">").text(when).raw(" · ")
            .text(t("live.status.\(episode.status.rawValue)")).raw(" · ")
            .text(t("live.episode.registrations", ["count": "\(registrations)"])).raw(
                "</p>\n<section class=\"panel\"><h2>"
            )
            .text(t("live.episode.attendance")).raw("</h2>\n<p>")
            .text(t("live.episode.attendance_lead", ["closes": closes])).raw("</p>\n<p><a class=\"button\" href=\"")
            .attr(LiveRoute.hostCode(slug, programmeSlug, number).path).raw("\">").text(t("live.episode.show_code"))
            .raw("</a></p>\n")
        if let courseID = episode.courseID {
            h.raw("<p class=\"hint\">").text(t("live.episode.quiz_lead")).raw(" <a href=\"")
                .attr(LearningRoute.editor(.tenant(slug), .value(CourseID(courseID))).path).raw("\">")
                .text(t("live.episode.quiz")).raw("</a></p>\n")
        }
        h.raw("<p><a href=\"").attr(LiveRoute.episode(slug, programmeSlug, number).path).raw("\">")
            .text(t("live.episode.public")).raw("</a></p>\n</section>\n")
        h.raw("<details").flag("open", !errors.filter { !$0.key.contains(".") || $0.key.hasPrefix("links.") }.isEmpty)
            .raw("><summary>").text(t("live.episode.details")).raw("</summary>\n")
            .postForm(LiveRoute.deskEpisode(slug, programmeSlug, number).path, csrf: csrf, class: "form")
        EpisodeFields.write(h, t, values: values, errors: errors, full: true)
        h.raw("<button type=\"submit\">").text(t("live.episode.save")).raw("</button>\n</form>\n</details>\n")
        writeClaims(h, t)
        writeFigures(h, t, csrf)
    }

    private func writeClaims(_ h: HTMLText, _ t: Texts) {
        h.raw("<h2>").text(t("live.claims.heading", ["count": "\(claimCount)"])).raw("</h2>\n")
        guard !claims.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("live.claims.none")).raw("</p>\n")
            return
        }
        h.raw("<p><a href=\"").attr(LiveRoute.claimsCSV(slug, programmeSlug, number).path).raw("\">")
            .text(t("live.claims.csv")).raw("</a></p>\n")
        let headings = [t("live.claims.name"), t("live.claims.at"), t("live.claims.certificate")]
        h.stackTable(headings)
        for claim in claims {
            h.raw("<tr>").cell(headings[0]).text(claim.name).raw("<br><span class=\"muted\">").text(claim.email)
                .raw("</span></td>").cell(headings[1]).text(claim.at).raw("</td>").cell(headings[2])
                .text(claim.certificate.isEmpty ? "—" : claim.certificate).raw("</td></tr>\n")
        }
        h.endStackTable()
        if claimCount > claims.count {
            h.raw("<p class=\"muted\">").text(t("live.claims.more", ["count": "\(claimCount - claims.count)"]))
                .raw("</p>\n")
        }
    }

    private func writeFigures(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<h2>").text(t("live.figures.heading")).raw("</h2>\n<p class=\"hint\">").text(t("live.figures.lead"))
            .raw("</p>\n")
        for platform in LivePlatform.allCases {
            let counts = figures[platform] ?? PlatformCounts()
            let keys = PlatformCounts.keys
            let open = errors.keys.contains { $0.hasPrefix(platform.rawValue + ".") }
            h.raw("<details").flag("open", open).raw("><summary>").text(platform.label)
            if figures[platform] != nil { h.raw(" · ").text(t("live.figures.entered")) }
            h.raw("</summary>\n").postForm(
                LiveRoute.figures(slug, programmeSlug, number, .value(platform)).path, csrf: csrf, class: "form")
            for key in keys {
                h.textField(
                    TextField(
                        key, label: t("live.figure.\(key)"), value: counts[key].map(String.init),
                        error: errors["\(platform.rawValue).\(key)"], kind: .input("text"),
                        attributes: " inputmode=\"numeric\""
                    )
                    .with(id: "\(platform.rawValue)-\(key)"))
            }
            h.raw("<button type=\"submit\">").text(t("live.figures.save", ["platform": platform.label]))
                .raw("</button>\n</form>\n</details>\n")
        }
    }
}

extension TextField {
    /// The same field with another element id (a page with the same field in several forms).
    func with(id: String) -> TextField {
        var field = self
        field.id = id
        return field
    }
}

/// The host's screen during the broadcast: the attendance code in print large enough to read
/// on a phone watching the live, and where to claim.
struct HostCodeModel: PageBody {
    let programme: String
    let number: Int
    let topic: String
    let code: String
    let claimAt: String

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<section class=\"host-code\"><p>").text(programme).raw(" · ")
            .text(t("live.episode.heading", ["number": "\(number)"])).raw("</p>\n<h1>").text(topic)
            .raw("</h1>\n<p>").text(t("live.host.say")).raw("</p>\n<p class=\"code\" lang=\"en\">").text(code)
            .raw("</p>\n<p>").text(t("live.host.where")).raw("<br><strong>").text(claimAt).raw(
                "</strong></p>\n</section>\n")
    }
}
