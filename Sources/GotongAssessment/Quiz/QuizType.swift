import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

/// The quiz: questions from the tenant's bank, fixed or drawn at random, answered against the
/// server's clock, marked at once (essays by a trainer), completed when finished or passed.
/// A quiz may be the course's pre-test or post-test (its `role`), from which the course's
/// learning gain is read. An activity type on Learning's open contract: Learning knows it
/// only as a registered type.
struct QuizType: ActivityType {
    let key = "quiz"
    let features: Set<ActivityFeature> = []
    let fields = [
        SettingField("intro", .markdown(max: 10_000)),
        SettingField("time_limit", .number(0...600)),
        SettingField("attempts", .number(0...20)),
        SettingField("grading", .choice(QuizSettings.Grading.allCases.map(\.rawValue))),
        SettingField("pass_percent", .number(0...100)),
        SettingField("shuffle_questions", .choice(["no", "yes"])),
        SettingField("shuffle_answers", .choice(["yes", "no"])),
        SettingField("review", .choice(["feedback", "answers", "score", "full"])),
        SettingField("role", .choice(QuizSettings.Role.allCases.map(\.rawValue))),
    ]
    let completionOptions = [CompletionOption.viewed, AssessmentProgress.submitted, AssessmentProgress.passed]
    var migrations: [any Migration] { [CreateQuizzes()] }

    func defaultCompletion(for settings: ActivitySettings) -> CompletionRule {
        CompletionRule(
            kind: (QuizSettings(settings).passPercent > 0 ? AssessmentProgress.passed : AssessmentProgress.submitted)
                .kind)
    }

    var defaultCompletion: CompletionRule { CompletionRule(kind: AssessmentProgress.submitted.kind) }

    func completionRefusal(_ rule: CompletionRule, with settings: ActivitySettings) -> String? {
        if rule.kind == AssessmentProgress.passed.kind, QuizSettings(settings).passPercent == 0 {
            return "quiz.error.passed_needs_mark"
        }
        return featureRefusal(rule)
    }

    func monitorNote(_ state: ProgressState, req: Request) -> String? {
        guard state.grade >= 0 else { return state.submissions > 0 ? req.t("quiz.monitor.waiting") : nil }
        return req.t(state.passed ? "quiz.monitor.passed" : "quiz.monitor.grade", ["grade": Grade.text(state.grade)])
    }

    func deleteData(of activity: Activity, on db: any Database) async throws {
        let scope = TenantScope(tenantID: activity.tenantID, db: db)
        let id = try activity.requireID()
        let attempts = try await scope.query(QuizAttempt.self).filter(\.$activityID == id).field(\.$id).all()
            .compactMap(\.id)
        try await scope.query(QuizAnswer.self).filter(\.$attemptID ~~ attempts).delete()
        try await scope.query(QuizAttempt.self).filter(\.$activityID == id).delete()
        try await scope.query(QuizSlot.self).filter(\.$activityID == id).delete()
    }

    // MARK: The learner's view

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let req = context.request
        let person = try req.requirePerson().requireID()
        let quiz = Quiz(activity: context.activity, req: req)
        let now = req.application.clock.now()
        let attempts = try await quiz.attempts.current(of: person, now: now)
        let base = context.webRoute
        let slots = try await quiz.slotSummary()
        let model = QuizFrontModel(
            intro: SafeMarkdown.html(quiz.settings.intro), settings: quiz.settings, questionCount: slots.count,
            totalMarks: slots.marks,
            attempts: attempts.map { attempt in
                .init(
                    number: attempt.number, open: attempt.state == .open,
                    finishedAt: attempt.finishedAt.map { req.dayTime($0) }, percent: attempt.percent,
                    needsGrading: attempt.needsGrading,
                    url: (attempt.state == .open
                        ? QuizPage.attempt(.value(AttemptID(attempt.id!)))
                        : QuizPage.review(.value(AttemptID(attempt.id!))))
                        .path(under: base))
            },
            grade: quiz.settings.grade(
                of: attempts.filter { $0.state == .finished && !$0.needsGrading }.compactMap(\.percent)),
            startURL: QuizPage.start.path(under: base),
            canStart: quiz.settings.attempts.map { limit in attempts.filter { $0.state == .finished }.count < limit }
                ?? true,
            isStaff: context.isStaff, questionsURL: QuizPage.questions.path(under: base),
            resultsURL: QuizPage.results.path(under: base),
            gradesURL: AssessmentRoute.myGrades(context.tenant.routeSlug, context.course.routeSlug).path)
        return ActivityBody(html: context.html(model, csrf: CSRF.token(for: req)), tracksTime: false)
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        let settings = QuizSettings(context.activity.settings)
        return [
            "intro_html": .string(SafeMarkdown.html(settings.intro)),
            "time_limit_seconds": settings.timeLimit.map { .int($0) } ?? .null,
            "attempts_allowed": settings.attempts.map { .int($0) } ?? .null,
            "grading": .string(settings.grading.rawValue), "pass_percent": .int(settings.passPercent),
            "role": .string(settings.role.rawValue),
            "attempts_url": .string(
                context.request.application.gotong.baseURL + LearningAPIRoute.activity(context.activity.routeID).path
                    + "/attempts"),
        ]
    }

    // MARK: Routes

    func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws {
        QuizRoutes().register(web: web)
        QuizStaffRoutes().register(web: web)
        QuizAPIRoutes().register(api: api)
        QuizStaffAPIRoutes().register(api: api)
    }
}

/// The quiz's own pages, under its activity's address (`…/{activityID}/kuis/{attemptID}`).
enum QuizPage: SiteRoute {
    case start
    case attempt(Param<AttemptID>)
    case finish(Param<AttemptID>)
    case review(Param<AttemptID>)
    case grade(Param<AttemptID>)
    case questions
    case addSlots
    case slot(Param<QuizSlotID>, Param<SlotAction>)
    case results
    case regrade

    var segments: [PathSegment] {
        switch self {
        case .start: ["mulai"]
        case .attempt(let a): ["kuis", .param(a)]
        case .finish(let a): Self.attempt(a).segments + ["selesai"]
        case .review(let a): Self.attempt(a).segments + ["hasil"]
        case .grade(let a): Self.attempt(a).segments + ["nilai"]
        case .questions: ["soal-kuis"]
        case .addSlots: ["soal-kuis", "tambah"]
        case .slot(let s, let action): ["soal-kuis", .param(s), .param(action)]
        case .results: ["hasil-kuis"]
        case .regrade: ["hasil-kuis", "nilai-ulang"]
        }
    }
}

extension QuizSlot: PathTag { public static let parameterName = "quizSlotID" }
public typealias QuizSlotID = Tagged<QuizSlot, UUID>

/// What a trainer does to a quiz's slot.
public enum SlotAction: String, PathAction {
    case up = "naik", down = "turun", remove = "hapus"
}

/// A quiz as one request reaches it: its settings, attempts and slots.
struct Quiz {
    let activity: Activity
    let settings: QuizSettings
    let attempts: QuizAttempts

    init(activity: Activity, req: Request) {
        self.activity = activity
        settings = QuizSettings(activity.settings)
        attempts = QuizAttempts(
            activity: activity, settings: settings, db: req.database,
            progress: req.learning.progressStore(on: req.application.quizWriter.database),
            writer: req.application.quizWriter, kept: req.application.keptQuizzes)
    }

    var scope: TenantScope { attempts.scope }

    /// How many questions an attempt has, and their marks.
    func slotSummary() async throws -> (count: Int, marks: Double) {
        let slots = try await attempts.kept.slots(of: activity.requireID(), in: scope)
        return (slots.map(\.count).reduce(0, +), slots.map { $0.mark * Double($0.count) }.reduce(0, +))
    }
}

/// Grades as pages write them: `85` or `72,5`.
enum Grade {
    static func text(_ percent: Double) -> String {
        let rounded = (percent * 10).rounded() / 10
        return rounded == rounded.rounded()
            ? String(Int(rounded)) : String(format: "%.1f", rounded).replacingOccurrences(of: ".", with: ",")
    }
}
