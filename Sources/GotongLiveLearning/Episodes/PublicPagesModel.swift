import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// A tenant's programmes.
struct PublicProgrammesModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let programmes: [(slug: String, name: String, description: String)]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("live.public.heading", ["tenant": tenant])).raw("</h1>\n")
        if programmes.isEmpty { h.raw("<p class=\"muted\">").text(t("live.public.none")).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for programme in programmes {
            h.raw("<li><a href=\"").attr(LiveRoute.programme(slug, .value(ProgrammeSlug(programme.slug))).path)
                .raw("\">").text(programme.name).raw("</a>")
            if !programme.description.isEmpty { h.raw("<br>").text(programme.description) }
            h.raw("</li>\n")
        }
        h.raw("</ul>\n")
    }
}

/// A programme: its accounts, its coming episodes, its past ones (with recordings).
struct PublicProgrammeModel: PageBody {
    struct Line {
        let number: Int
        let topic: String
        let speakers: String
        let when: String
        let status: LiveEpisode.Status
        let recording: String
    }

    let slug: Param<TenantSlug>
    let programme: LiveProgramme
    let coming: [Line]
    let past: [Line]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let programmeSlug = Param.value(ProgrammeSlug(programme.slug))
        h.raw("<h1>").text(programme.name).raw("</h1>\n")
        if !programme.description.isEmpty { h.raw("<p>").text(programme.description).raw("</p>\n") }
        let accounts = LivePlatform.allCases.filter { !programme.account(on: $0).isEmpty }
        if !accounts.isEmpty {
            h.raw("<p>")
            for (index, platform) in accounts.enumerated() {
                if index > 0 { h.raw(" · ") }
                h.text(platform.label).raw(": ").text(programme.account(on: platform))
            }
            h.raw("</p>\n")
        }
        h.raw("<p><a href=\"").attr(LiveRoute.calendar(slug, programmeSlug).path).raw("\">")
            .text(t("live.public.subscribe")).raw("</a></p>\n<h2>").text(t("live.public.coming")).raw("</h2>\n")
        write(coming, to: h, t, programmeSlug, empty: "live.public.no_coming")
        h.raw("<h2>").text(t("live.public.past")).raw("</h2>\n")
        write(past, to: h, t, programmeSlug, empty: "live.public.no_past")
    }

    private func write(
        _ lines: [Line], to h: HTMLText, _ t: Texts, _ programmeSlug: Param<ProgrammeSlug>, empty: String
    ) {
        guard !lines.isEmpty else {
            h.raw("<p class=\"muted\">").text(t(empty)).raw("</p>\n")
            return
        }
        h.raw("<ul class=\"list\">\n")
        for line in lines {
            h.raw("<li><a href=\"").attr(
                LiveRoute.episode(slug, programmeSlug, .value(EpisodeNumber(line.number))).path
            )
            .raw("\">#").text("\(line.number)").raw(" ").text(line.topic).raw("</a><br><span class=\"muted\">")
            .text(line.when)
            if !line.speakers.isEmpty { h.raw(" · ").text(line.speakers) }
            if line.status == .cancelled { h.raw(" · ").text(t("live.status.cancelled")) }
            h.raw("</span>")
            if !line.recording.isEmpty {
                h.raw(" <a href=\"").attr(line.recording).raw("\" rel=\"noopener noreferrer\">")
                    .text(t("live.public.recording")).raw("</a>")
            }
            h.raw("</li>\n")
        }
        h.raw("</ul>\n")
    }
}

/// An episode: what, who, when and where to watch, and attendance.
struct PublicEpisodeModel: PageBody {
    let slug: Param<TenantSlug>
    let programme: LiveProgramme
    let episode: LiveEpisode
    let when: String
    let closes: String
    /// Why claims are not taken now (not yet, closed, cancelled), or nil when they are.
    let refusal: String?
    let reminder: Reminder?
    /// Whether reminders also go by email (mail is set up).
    let remindsByMail: Bool
    let isKeeper: Bool

    /// The reminder the page offers an episode still to come.
    enum Reminder {
        /// A visitor signs in first (the address, back to this page).
        case signIn(String)
        case offered
        /// Registered; `reminded` once the reminder went or its moment passed.
        case registered(reminded: Bool)
    }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let programmeSlug = Param.value(ProgrammeSlug(programme.slug))
        let number = Param.value(EpisodeNumber(episode.number))
        h.raw("<p class=\"crumbs\"><a href=\"").attr(LiveRoute.programme(slug, programmeSlug).path).raw("\">")
            .text(programme.name).raw("</a></p>\n<h1>").text(t("live.episode.heading", ["number": "\(episode.number)"]))
            .raw(": ").text(episode.topic).raw("</h1>\n<p>").text(when).raw(" · ")
            .text(t("live.public.minutes", ["minutes": "\(episode.minutes)"])).raw(" · ")
            .text(t("live.public.jp", ["jp": "\(episode.jp)"])).raw(" · ")
            .text(t("course.competency.\(episode.competencyType)")).raw("</p>\n")
        if episode.status == .cancelled {
            h.raw("<p class=\"flash error\">").text(t("live.public.cancelled")).raw("</p>\n")
        }
        if !episode.speakers.isEmpty {
            h.raw("<h2>").text(t("live.public.speakers")).raw("</h2>\n<ul class=\"list\">\n")
            for speaker in episode.speakers {
                h.raw("<li><strong>").text(speaker.name).raw("</strong>")
                let role = [speaker.position, speaker.institution].filter { !$0.isEmpty }.joined(separator: ", ")
                if !role.isEmpty { h.raw("<br><span class=\"muted\">").text(role).raw("</span>") }
                h.raw("</li>\n")
            }
            h.raw("</ul>\n")
        }
        let links = episode.links.sorted { $0.key < $1.key }
        if !links.isEmpty {
            h.raw("<h2>").text(t("live.public.watch")).raw("</h2>\n<p>")
            for (platform, link) in links {
                h.raw("<a class=\"button secondary\" href=\"").attr(link).raw("\" rel=\"noopener noreferrer\">")
                    .text(platform.label).raw("</a> ")
            }
            h.raw("</p>\n")
        }
        if !episode.recordingURL.isEmpty {
            h.raw("<p><a href=\"").attr(episode.recordingURL).raw("\" rel=\"noopener noreferrer\">")
                .text(t("live.public.recording")).raw("</a></p>\n")
        }
        if let reminder { write(reminder, to: h, t, csrf: csrf, programmeSlug, number) }
        h.raw("<section class=\"panel\"><h2>").text(t("live.public.attendance")).raw("</h2>\n<p>")
        if refusal == nil {
            h.text(t("live.public.claim_lead", ["closes": closes])).raw("</p>\n<p><a class=\"button\" href=\"")
                .attr(LiveRoute.claim(slug, programmeSlug, number).path).raw("\">").text(t("live.public.claim"))
                .raw("</a></p>\n")
        } else {
            h.text(refusal ?? "").raw(" ").text(t("live.public.claim_when", ["closes": closes])).raw("</p>\n")
        }
        h.raw("</section>\n<p><a href=\"").attr(LiveRoute.calendar(slug, programmeSlug).path).raw("\">")
            .text(t("live.public.subscribe")).raw("</a></p>\n")
        if isKeeper {
            h.raw("<p><a href=\"").attr(LiveRoute.deskEpisode(slug, programmeSlug, number).path).raw("\">")
                .text(t("live.public.manage")).raw("</a></p>\n")
        }
    }

    private func write(
        _ reminder: Reminder, to h: HTMLText, _ t: Texts, csrf: String, _ programmeSlug: Param<ProgrammeSlug>,
        _ number: Param<EpisodeNumber>
    ) {
        h.raw("<section class=\"panel\"><h2>").text(t("live.register.heading")).raw("</h2>\n")
        switch reminder {
        case .signIn(let address):
            h.raw("<p>").text(t(remindsByMail ? "live.register.lead_mail" : "live.register.lead")).raw(
                "</p>\n<p><a class=\"button secondary\" href=\""
            )
            .attr(address).raw("\">").text(t("live.register.sign_in")).raw("</a></p>\n")
        case .offered:
            h.raw("<p>").text(t(remindsByMail ? "live.register.lead_mail" : "live.register.lead")).raw("</p>\n<p>")
                .postButton(
                    LiveRoute.register(slug, programmeSlug, number).path, csrf: csrf, label: t("live.register.submit")
                ).raw("</p>\n")
        case .registered(let reminded):
            h.raw("<p>").text(t(reminded ? "live.register.yours" : "live.register.yours_pending")).raw("</p>\n<p>")
                .postButton(
                    LiveRoute.unregister(slug, programmeSlug, number).path, csrf: csrf,
                    label: t("live.register.cancel"), buttonClass: "secondary"
                ).raw("</p>\n")
        }
        h.raw("</section>\n")
    }
}
