import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A video: an uploaded file, served with range requests so it can be sought, whose player
/// reports how far it was watched; or a link to a video on YouTube, Vimeo, Instagram or TikTok,
/// shown as a light placeholder that loads the platform's player only when tapped.
struct VideoType: ActivityType {
    let key = "video"
    let features: Set<ActivityFeature> = [.timeTracking, .videoProgress]
    let completionOptions = [CompletionOption.viewed, .minSeconds, VideoProgress.minPercent]
    static let rule = FileRule(maxBytes: 200 * 1_048_576, kinds: [.mp4, .webm])
    let fields = [
        SettingField("file", .file(VideoType.rule)),
        SettingField("url", .url),
        SettingField("description", .markdown(max: 5_000)),
    ]

    func validate(_ settings: inout ActivitySettings, problems: inout ProblemList) {
        let url = settings.string("url")
        if !url.isEmpty, VideoEmbed(url) == nil {
            problems.add("settings.url", "activity.error.video_url")
        }
        if url.isEmpty, settings["file"] == nil {
            problems.add("settings.file", "activity.error.video_source")
        }
    }

    /// Opening a video is not watching it: an uploaded one counts when 90 % was watched in our
    /// player, a linked one (whose player tells us nothing) after some minutes on its page.
    var defaultCompletion: CompletionRule { Self.linkedDefault }
    func defaultCompletion(for settings: ActivitySettings) -> CompletionRule {
        settings["file"] == nil ? Self.linkedDefault : Self.uploadedDefault
    }
    static let uploadedDefault = CompletionRule(kind: VideoProgress.minPercent.kind, value: 90)
    static let linkedDefault = CompletionRule.minSeconds(5 * 60)

    /// Only our own player reports how much was watched; an outside player does not.
    func completionRefusal(_ rule: CompletionRule, with settings: ActivitySettings) -> String? {
        if let refusal = featureRefusal(rule) { return refusal }
        if rule.kind == VideoProgress.minPercent.kind, settings["file"] == nil {
            return "activity.error.percent_needs_upload"
        }
        return nil
    }

    struct Model: Sendable {
        let title: String
        let fileURL: String?
        let fileType: String?
        let resume: Double
        let embed: VideoEmbed?
        let descriptionHTML: String
    }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let settings = context.activity.settings
        let key = settings.string("file")
        let embed = key.isEmpty ? VideoEmbed(settings.string("url")) : nil
        if let embed {
            context.request.allowEmbeds(
                frames: [embed.origin], images: embed.thumbnail == nil ? [] : ["https://i.ytimg.com"])
        }
        return ActivityBody(
            html: context.html(
                Model(
                    title: context.activity.title,
                    fileURL: key.isEmpty ? nil : context.fileURL("file"),
                    fileType: FileKind.of(key: key)?.mediaType.serialize(),
                    resume: context.progress?.state.videoFurthest ?? 0,
                    embed: embed, descriptionHTML: SafeMarkdown.html(settings.string("description"))
                )))
    }

    func heartbeat(_ beat: Heartbeat, credited: Int, state: inout ProgressState) {
        guard let video = beat.video else { return }
        // Playback advances by the time credited, not the time claimed.
        state.videoFurthest = VideoProgress.furthest(state.videoFurthest, report: video, seconds: credited)
        state.videoPercent = max(
            state.videoPercent, VideoProgress.percent(furthest: state.videoFurthest, duration: video.duration))
    }

    func monitorNote(_ state: ProgressState, req: Request) -> String? {
        state.videoPercent > 0 ? req.t("monitor.cell.watched", ["percent": "\(state.videoPercent)"]) : nil
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        let settings = context.activity.settings
        var content: [String: JSONScalar] = [
            "description_html": .string(SafeMarkdown.html(settings.string("description")))
        ]
        if settings["file"] != nil {
            content["video_url"] = .string(
                context.request.application.gotong.baseURL
                    + LearningAPIRoute.file(context.activity.routeID, .value(FileField(rawValue: "file"))).path)
        } else if let embed = VideoEmbed(settings.string("url")) {
            content["platform"] = .string(embed.platform)
            content["watch_url"] = .string(embed.watchURL)
            content["embed_url"] = .string(embed.embedURL)
        }
        return content
    }
}

/// A video on a social platform, recognised from the address a trainer pastes.
struct VideoEmbed: Sendable, Equatable {
    let platform: String
    /// The platform as people write it.
    var name: String {
        ["youtube": "YouTube", "vimeo": "Vimeo", "instagram": "Instagram", "tiktok": "TikTok"][platform] ?? platform
    }
    let watchURL: String
    let embedURL: String
    /// A small still (YouTube only), about 10 KB.
    let thumbnail: String?

    var origin: String {
        guard let url = URL(string: embedURL), let scheme = url.scheme, let host = url.host else { return embedURL }
        return "\(scheme)://\(host)"
    }

    init?(_ text: String) {
        guard ActivityChange.isWebAddress(text), let url = URLComponents(string: text),
            let rawHost = url.host?.lowercased()
        else { return nil }
        let host =
            rawHost.hasPrefix("www.")
            ? String(rawHost.dropFirst(4)) : (rawHost.hasPrefix("m.") ? String(rawHost.dropFirst(2)) : rawHost)
        let parts = url.path.split(separator: "/").map(String.init)
        func safe(_ id: String) -> String? {
            id.count <= 64 && !id.isEmpty
                && id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) ? id : nil
        }
        switch host {
        case "youtube.com", "youtu.be":
            let id: String?
            if host == "youtu.be" {
                id = parts.first
            } else if parts.first == "watch" {
                id = url.queryItems?.first { $0.name == "v" }?.value
            } else if ["shorts", "live", "embed"].contains(parts.first ?? ""), parts.count > 1 {
                id = parts[1]
            } else {
                id = nil
            }
            guard let id = id.flatMap(safe) else { return nil }
            platform = "youtube"
            watchURL = "https://www.youtube.com/watch?v=\(id)"
            embedURL = "https://www.youtube-nocookie.com/embed/\(id)?autoplay=1"
            thumbnail = "https://i.ytimg.com/vi/\(id)/mqdefault.jpg"
        case "vimeo.com", "player.vimeo.com":
            guard let id = parts.last(where: { $0.allSatisfy(\.isNumber) }).flatMap(safe) else { return nil }
            platform = "vimeo"
            watchURL = "https://vimeo.com/\(id)"
            embedURL = "https://player.vimeo.com/video/\(id)?autoplay=1"
            thumbnail = nil
        case "instagram.com":
            guard parts.count >= 2, ["p", "reel", "tv"].contains(parts[0]), let id = safe(parts[1]) else { return nil }
            platform = "instagram"
            watchURL = "https://www.instagram.com/\(parts[0])/\(id)/"
            embedURL = "https://www.instagram.com/\(parts[0])/\(id)/embed"
            thumbnail = nil
        case "tiktok.com":
            guard let index = parts.firstIndex(of: "video"), index + 1 < parts.count, let id = safe(parts[index + 1]),
                id.allSatisfy(\.isNumber)
            else { return nil }
            platform = "tiktok"
            watchURL = "https://www.tiktok.com/\(parts[0])/video/\(id)"
            embedURL = "https://www.tiktok.com/embed/v2/\(id)"
            thumbnail = nil
        default:
            return nil
        }
    }
}

extension VideoType.Model: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        if let fileURL {
            // The player resumes where the learner stopped (the script reads data-resume).
            h.raw("<video class=\"player\" controls preload=\"metadata\" playsinline data-resume=\"")
                .text("\(resume)").raw("\"><source src=\"").attr(fileURL).raw("\" type=\"").attr(fileType ?? "")
                .raw("\"><a href=\"").attr(fileURL).raw("\">").text(t("activity.video.download")).raw("</a></video>\n")
        }
        if let embed {
            // A link that works without JavaScript; the script swaps in the player on a tap.
            h.raw("<a class=\"embed\" href=\"").attr(embed.watchURL).raw("\" data-embed=\"").attr(embed.embedURL)
                .raw("\" target=\"_blank\" rel=\"noopener noreferrer\">")
            if let thumbnail = embed.thumbnail {
                h.raw("<img src=\"").attr(thumbnail).raw("\" alt=\"\" width=\"320\" height=\"180\" loading=\"lazy\">")
            }
            h.raw("<span class=\"play\" aria-hidden=\"true\">▶</span><span>")
                .text(t("activity.video.play", ["title": title, "platform": embed.name])).raw(
                    "</span></a>\n<p class=\"hint\">"
                )
                .text(t("activity.video.embed_note")).raw("</p>\n")
        }
        h.prose(descriptionHTML).raw("\n")
    }
}
