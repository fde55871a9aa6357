import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

/// The assignment: participants hand in text and/or files by a due date (late ones marked,
/// none after the cut-off), drafts kept until handed in; trainers and coordinators grade them
/// one after another with a score, pass/fail or a rubric, give feedback (text and a file),
/// reopen a round for another try, download everything as a ZIP, and release the grades when
/// they choose. Completed when handed in, or when a released grade passes.
struct AssignmentType: ActivityType {
    let key = "assignment"
    let features: Set<ActivityFeature> = []
    let fields = [
        SettingField("instructions", .markdown(max: 10_000)),
        SettingField("submission", .choice(AssignmentSettings.Submission.allCases.map(\.rawValue))),
        SettingField("max_files", .number(1...10)),
        SettingField("due_at", .dateTime),
        SettingField("cutoff_at", .dateTime),
        SettingField("grading", .choice(AssignmentSettings.Grading.allCases.map(\.rawValue))),
        SettingField("pass_percent", .number(0...100)),
        // One criterion per line: `Ketepatan isi | Kurang: 0 | Cukup: 5 | Baik: 10`.
        SettingField("rubric", .markdown(max: 5_000)),
    ]
    let completionOptions = [CompletionOption.viewed, AssessmentProgress.submitted, AssessmentProgress.passed]
    var defaultCompletion: CompletionRule { CompletionRule(kind: AssessmentProgress.submitted.kind) }
    var migrations: [any Migration] { [CreateAssignments()] }

    func validate(_ settings: inout ActivitySettings, problems: inout ProblemList) {
        switch Rubric.parse(settings.string("rubric")) {
        case .failure(let problem): problems.add("settings.rubric", problem.key, ["line": "\(problem.line)"])
        case .success(let rubric?) where settings.string("grading") == AssignmentSettings.Grading.passFail.rawValue:
            _ = rubric
            problems.add("settings.rubric", "assignment.error.rubric_needs_score")
        case .success: break
        }
        if let due = settings.date("due_at"), let cutoff = settings.date("cutoff_at"), cutoff < due {
            problems.add("settings.cutoff_at", "assignment.error.cutoff_before_due")
        }
    }

    func completionRefusal(_ rule: CompletionRule, with settings: ActivitySettings) -> String? {
        let assignment = AssignmentSettings(settings)
        if rule.kind == AssessmentProgress.passed.kind, assignment.grading == .score, assignment.passPercent == 0 {
            return "assignment.error.passed_needs_mark"
        }
        return featureRefusal(rule)
    }

    func monitorNote(_ state: ProgressState, req: Request) -> String? {
        if state.grade >= 0 {
            return req.t(
                state.passed ? "quiz.monitor.passed" : "quiz.monitor.grade", ["grade": Grade.text(state.grade)])
        }
        return state.submissions > 0 ? req.t("assignment.monitor.submitted") : nil
    }

    func deleteData(of activity: Activity, on db: any Database) async throws {
        let scope = TenantScope(tenantID: activity.tenantID, db: db)
        let id = try activity.requireID()
        // The files' uses belong to the activity, which core removes with it.
        try await scope.query(AssignmentFile.self).filter(\.$activityID == id).delete()
        try await scope.query(AssignmentSubmission.self).filter(\.$activityID == id).delete()
    }

    // MARK: The learner's view

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let req = context.request
        let assignment = Assignment(activity: context.activity, req: req)
        let base = context.webRoute
        let person = try req.requirePerson().requireID()
        let model = try await AssignmentFrontModel.make(
            assignment, person: person, base: base, isStaff: context.isStaff, req: req)
        return ActivityBody(html: context.html(model, csrf: CSRF.token(for: req)), tracksTime: false)
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        let settings = AssignmentSettings(context.activity.settings)
        let api = context.request.application.gotong.baseURL + LearningAPIRoute.activity(context.activity.routeID).path
        return [
            "instructions_html": .string(SafeMarkdown.html(settings.instructions)),
            "submission_kind": .string(settings.submission.rawValue), "max_files": .int(settings.maxFiles),
            "due_at": settings.dueAt.map { .string(LocalDates.iso($0)) } ?? .null,
            "cutoff_at": settings.cutoffAt.map { .string(LocalDates.iso($0)) } ?? .null,
            "grading": .string(settings.grading.rawValue), "pass_percent": .int(settings.passPercent),
            "has_rubric": .bool(settings.rubric != nil), "submission_url": .string(api + "/submission"),
        ]
    }

    // MARK: Routes

    func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws {
        AssignmentRoutes().register(web: web)
        AssignmentGradingRoutes().register(web: web)
        AssignmentAPIRoutes().register(api: api)
    }
}

/// The assignment's own pages, under its activity's address.
enum AssignmentPage: SiteRoute {
    case draft
    case file(Param<AssignmentFileID>)
    case removeFile(Param<AssignmentFileID>)
    case grading
    case archive
    case release
    case grade(Param<SubmissionID>)
    case reopen(Param<SubmissionID>)

    var segments: [PathSegment] {
        switch self {
        case .draft: ["tugas"]
        case .file(let f): ["tugas", "berkas", .param(f)]
        case .removeFile(let f): Self.file(f).segments + ["hapus"]
        case .grading: ["penilaian"]
        case .archive: ["penilaian", "unduh"]
        case .release: ["penilaian", "umumkan"]
        case .grade(let s): ["penilaian", .param(s)]
        case .reopen(let s): Self.grade(s).segments + ["buka-kembali"]
        }
    }
}

/// An assignment as one request reaches it.
struct Assignment {
    let activity: Activity
    let settings: AssignmentSettings
    let submissions: Submissions

    init(activity: Activity, req: Request) {
        self.activity = activity
        settings = AssignmentSettings(activity.settings)
        submissions = Submissions(
            activity: activity, settings: settings, db: req.database,
            progress: req.learning.progressStore(on: req.database), files: req.application.files)
    }
}
