import Foundation
import GotongPlatform
import Vapor
@testable import GotongLearning

/// The open activity contract's proof: a poll, defined entirely in this folder and registered
/// by naming it to `configure`. It offers a completion rule of its own ("answered"), keeps its
/// answer in the activity's progress state, takes answers through a web form and the API, and
/// shows the answer in the monitoring table. Nothing outside this folder knows it exists.
struct PollType: ActivityType {
    let key = "poll"
    let features: Set<ActivityFeature> = []
    let fields = [
        SettingField("question", .text(max: 300), required: true),
        // One choice per `;`, at least two.
        SettingField("choices", .text(max: 500), required: true),
        // How the choices are shown: a setting of fixed words, as the contract's `.choice`.
        SettingField("layout", .choice(["list", "buttons"])),
        // When answers stop: a moment, as the contract's `.dateTime`.
        SettingField("closes_at", .dateTime),
    ]

    /// Answered the poll.
    static let answered = CompletionOption(kind: "answered") { _, progress in progress.state.pollChoice > 0 }
    let completionOptions = [CompletionOption.viewed, PollType.answered]
    var defaultCompletion: CompletionRule { CompletionRule(kind: Self.answered.kind) }

    let strings: [Language: [String: String]] = [
        .id: [
            "activity.type.poll": "Jajak pendapat", "authoring.completion.answered": "peserta menjawab",
            "learning.rule.answered": "selesai bila menjawab", "poll.answer": "Kirim jawaban",
            "poll.answered": "dijawab: {choice}",
            "poll.error.choices": "Tulis minimal dua pilihan, dipisah titik koma.",
            "poll.error.choice": "Pilih salah satu jawaban.",
            "activity.field.poll.layout": "Tampilan pilihan", "activity.choice.poll.layout.list": "Daftar",
            "activity.choice.poll.layout.buttons": "Tombol", "activity.field.poll.closes_at": "Ditutup",
        ],
        .en: [
            "activity.type.poll": "Poll", "authoring.completion.answered": "learner answers",
            "learning.rule.answered": "done when answered", "poll.answer": "Send answer",
            "poll.answered": "answered: {choice}",
            "poll.error.choices": "Write at least two choices, split by semicolons.",
            "poll.error.choice": "Choose one answer.",
            "activity.field.poll.layout": "Choice layout", "activity.choice.poll.layout.list": "List",
            "activity.choice.poll.layout.buttons": "Buttons", "activity.field.poll.closes_at": "Closes",
        ],
    ]

    static func choices(_ settings: ActivitySettings) -> [String] {
        settings.string("choices").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    func validate(_ settings: inout ActivitySettings, problems: inout ProblemList) {
        if Self.choices(settings).count < 2 { problems.add("settings.choices", "poll.error.choices") }
    }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let req = context.request
        let html = HTMLText().raw("<p>").text(context.activity.settings.string("question")).raw("</p>")
        let chosen = context.progress?.state.pollChoice ?? 0
        html.raw("<form method=\"post\" action=\"").attr(context.webRoute.path + "/jawab").raw("\">")
            .raw("<input type=\"hidden\" name=\"_csrf\" value=\"").attr(CSRF.token(for: req)).raw("\">")
        for (i, choice) in Self.choices(context.activity.settings).enumerated() {
            html.raw("<label><input type=\"radio\" name=\"choice\" value=\"\(i + 1)\"")
                .raw(chosen == i + 1 ? " checked" : "").raw("> ").text(choice).raw("</label>")
        }
        html.raw("<button>").text(req.t("poll.answer")).raw("</button></form>")
        return ActivityBody(html: html.string, tracksTime: false)
    }

    func monitorNote(_ state: ProgressState, req: Request) -> String? {
        state.pollChoice > 0 ? req.t("poll.answered", ["choice": "\(state.pollChoice)"]) : nil
    }

    func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws {
        web.post("jawab") { req in
            let open = try await OpenActivity.web(req)
            try await answer(open, req)
            return req.seeOther(
                LearningRoute.activity(open.tenant.routeSlug, open.course.routeSlug, open.activity.routeID).path)
        }
        api.post("answers") { req in
            let open = try await OpenActivity.api(req)
            let progress = try await answer(open, req)
            return ["choice": progress.state.pollChoice]
        }
    }

    struct Answer: Content { var choice: JSONScalar? }

    /// Records the caller's choice (the latest answer counts).
    @discardableResult
    func answer(_ open: OpenActivity, _ req: Request) async throws -> ProgressFacts {
        guard open.activity.type == key else { throw Abort(.notFound) }
        guard open.isUsable else { throw Abort(.locked) }
        let count = Self.choices(open.activity.settings).count
        guard let choice = try req.content.decode(Answer.self).choice?.int, (1...count).contains(choice) else {
            throw InputError(field: "choice", key: "poll.error.choice")
        }
        return try await req.learning.progressStore(on: req.db).update(
            open.activity, person: open.person.typedID(), at: req.application.clock.now()
        ) { $0.pollChoice = choice }
    }
}

extension ProgressState {
    /// The chosen answer, counted from 1; 0 before answering.
    var pollChoice: Int {
        get { int("poll_choice") }
        set { self["poll_choice"] = Double(newValue) }
    }
}
