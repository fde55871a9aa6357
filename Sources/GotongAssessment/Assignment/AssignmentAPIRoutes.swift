import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// Assignments in the JSON API: a participant's own submission (save the draft's text, add and
/// remove files, hand it in), and the graders' list, grade, reopen, release and ZIP.
struct AssignmentAPIRoutes {
    func register(api: any RoutesBuilder) {
        let file = PathComponent.parameter(AssignmentFileID.parameterName)
        let submission = PathComponent.parameter(SubmissionID.parameterName)
        api.get("submission", use: mine)
        api.put("submission", use: saveText)
        api.post("submission", "submit", use: submit)
        api.upload(.POST, "submission", "files", maxSize: AssignmentRoutes.maxUpload, use: addFile)
        api.delete("submission", "files", file, use: removeFile)
        api.get("submission-files", file, use: download)
        api.get("submissions", use: list)
        api.get("submissions", "archive", use: archive)
        // Not under `submissions/`, where `{submissionID}` would also match "release" (and its
        // GET would be advertised in `Allow`).
        api.post("release-grades", use: release)
        api.get("submissions", submission, use: show)
        api.post("submissions", submission, "grade", use: grade)
        api.post("submissions", submission, "reopen", use: reopen)
    }

    // MARK: Shapes

    struct FileOut: Content {
        var id: UUID
        var name: String
        var kind: String
        var size: Int
        var download_url: String
    }

    struct GradeOut: Content {
        var percent: Double?
        var passed: Bool?
        var rubric_levels: [Int]?
        var feedback: String
        var feedback_files: [FileOut]
        var graded_at: Date?
        var released_at: Date?
    }

    struct RoundOut: Content {
        var id: UUID
        var round: Int
        var status: String
        var text: String
        var updated_at: Date
        var submitted_at: Date?
        var late: Bool
        var files: [FileOut]
        /// The participant sees it once released; graders always.
        var grade: GradeOut?
        var reopened_at: Date?
    }

    struct Mine: Content {
        var rounds: [RoundOut]
        /// Whether the latest round can still be changed (a draft, before the cut-off).
        var editable: Bool
    }

    struct TextIn: Content { var text: String? }

    struct GradeIn: Content {
        var score: Double?
        var passed: Bool?
        var rubric_levels: [Int]?
        var feedback: String?
        var release: Bool?
    }

    struct ListRow: Content {
        var person_id: UUID
        var name: String
        var email: String
        var latest: RoundOut?
    }

    struct ListOut: Content { var participants: [ListRow] }

    struct Released: Content { var released: Int }

    static func fileOut(_ file: AssignmentFile, _ open: OpenActivity, _ req: Request) -> FileOut {
        FileOut(
            id: file.id!, name: file.name, kind: file.kind, size: file.size,
            download_url: req.application.gotong.baseURL + LearningAPIRoute.activity(open.activity.routeID).path
                + "/submission-files/" + file.id!.uuidString)
    }

    static func roundOut(
        _ round: AssignmentSubmission, files: [AssignmentFile], showGrade: Bool, _ open: OpenActivity, _ req: Request
    ) -> RoundOut {
        RoundOut(
            id: round.id!, round: round.round, status: round.status.rawValue, text: round.text,
            updated_at: round.updatedAt, submitted_at: round.submittedAt, late: round.late,
            files: files.filter { $0.role == .submission }.map { fileOut($0, open, req) },
            grade: showGrade && round.isGraded
                ? GradeOut(
                    percent: round.percent, passed: round.passed,
                    rubric_levels: round.rubricLevels == nil ? nil : round.chosenLevels, feedback: round.feedback,
                    feedback_files: files.filter { $0.role == .feedback }.map { fileOut($0, open, req) },
                    graded_at: round.gradedAt, released_at: round.releasedAt) : nil,
            reopened_at: round.reopenedAt)
    }

    // MARK: The participant's own

    func mine(req: Request) async throws -> Mine {
        let (open, assignment, person) = try await AssignmentRoutes.openAsParticipant(req, web: false)
        return try await Self.mine(open, assignment, person, req)
    }

    static func mine(
        _ open: OpenActivity, _ assignment: Assignment, _ person: UUID, _ req: Request
    ) async throws
        -> Mine
    {
        let rounds = try await assignment.submissions.rounds(of: person)
        let files = try await assignment.submissions.files(of: rounds.compactMap(\.id))
        let latest = rounds.last
        let now = req.application.clock.now()
        return Mine(
            rounds: rounds.map { roundOut($0, files: files[$0.id!] ?? [], showGrade: $0.isReleased, open, req) },
            editable: latest.map { $0.status == .draft && ($0.round > 1 || !assignment.settings.isClosed(at: now)) }
                ?? !assignment.settings.isClosed(at: now))
    }

    func saveText(req: Request) async throws -> Mine {
        let (open, assignment, person) = try await AssignmentRoutes.openAsParticipant(req, web: false)
        let body = try req.content.decode(TextIn.self)
        try await Self.refusing {
            try await assignment.submissions.saveDraft(
                of: person, text: body.text ?? "", uploads: [], now: req.application.clock.now())
        }
        return try await Self.mine(open, assignment, person, req)
    }

    /// The body is the file; `name` in the query is its name as the participant knows it.
    func addFile(req: Request) async throws -> Mine {
        let (open, assignment, person) = try await AssignmentRoutes.openAsParticipant(req, web: false)
        let name = (req.query[String.self, at: "name"] ?? "").trimmed(max: 200)
        let file = try await req.receivedFile(named: name.isEmpty ? "berkas" : name)
        try await Self.refusing {
            try await assignment.submissions.saveDraft(
                of: person, text: nil, uploads: file.size > 0 ? [file] : [], now: req.application.clock.now())
        }
        return try await Self.mine(open, assignment, person, req)
    }

    func removeFile(req: Request) async throws -> Mine {
        let (open, assignment, person) = try await AssignmentRoutes.openAsParticipant(req, web: false)
        guard let file = try await assignment.submissions.file(req.parameter(AssignmentFileID.self).rawValue) else {
            throw Abort(.notFound)
        }
        try await Self.refusing {
            try await assignment.submissions.removeFile(file, of: person, now: req.application.clock.now())
        }
        return try await Self.mine(open, assignment, person, req)
    }

    func submit(req: Request) async throws -> Mine {
        let (open, assignment, person) = try await AssignmentRoutes.openAsParticipant(req, web: false)
        try await Self.refusing {
            try await assignment.submissions.submit(of: person, now: req.application.clock.now())
        }
        return try await Self.mine(open, assignment, person, req)
    }

    func download(req: Request) async throws -> Response {
        let (open, assignment) = try await AssignmentRoutes.open(req, web: false)
        return try await AssignmentRoutes.serve(try await AssignmentRoutes.file(req, open, assignment), req: req)
    }

    /// A refusal of the state (handed in, past the cut-off) as 409 with its message.
    static func refusing(_ work: () async throws -> some Any) async throws {
        do {
            _ = try await work()
        } catch let refusal as Submissions.Refusal {
            throw InputError([.init(field: "submission", key: refusal.key, args: [:])], status: .conflict)
        }
    }

    // MARK: Graders

    func list(req: Request) async throws -> ListOut {
        let (open, assignment) = try await AssignmentGradingRoutes.openAsGrader(req, web: false)
        let board = try await GradingBoard.load(assignment, course: open.course, db: req.database)
        let files = try await assignment.submissions.files(of: board.rows.compactMap { $0.latest?.id })
        return ListOut(
            participants: board.rows.map { row in
                ListRow(
                    person_id: row.participant.person_id, name: row.participant.name, email: row.participant.email,
                    latest: row.latest.map {
                        Self.roundOut($0, files: files[$0.id!] ?? [], showGrade: true, open, req)
                    })
            })
    }

    func show(req: Request) async throws -> RoundOut {
        let (open, assignment) = try await AssignmentGradingRoutes.openAsGrader(req, web: false)
        let submission = try await AssignmentGradingRoutes.submission(req, assignment)
        let files = try await assignment.submissions.files(of: [submission.id!])[submission.id!] ?? []
        return Self.roundOut(submission, files: files, showGrade: true, open, req)
    }

    func grade(req: Request) async throws -> RoundOut {
        let (open, assignment) = try await AssignmentGradingRoutes.openAsGrader(req, web: false)
        let submission = try await AssignmentGradingRoutes.submission(req, assignment)
        let body = try req.content.decode(GradeIn.self)
        let input = GradeInput(
            score: body.score.map { Number.text($0) }, passed: body.passed.map { $0 ? "yes" : "no" },
            levels: body.rubric_levels?.map { Optional($0) } ?? [], feedback: body.feedback ?? "",
            feedbackFile: nil, release: body.release ?? false)
        try await Self.refusing {
            try await assignment.submissions.grade(
                submission, input, by: try open.person.requireID(), now: req.application.clock.now())
        }
        let files = try await assignment.submissions.files(of: [submission.id!])[submission.id!] ?? []
        return Self.roundOut(submission, files: files, showGrade: true, open, req)
    }

    func reopen(req: Request) async throws -> RoundOut {
        let (open, assignment) = try await AssignmentGradingRoutes.openAsGrader(req, web: false)
        let submission = try await AssignmentGradingRoutes.submission(req, assignment)
        var next: AssignmentSubmission?
        try await Self.refusing {
            next = try await assignment.submissions.reopen(submission, now: req.application.clock.now())
        }
        let round = next ?? submission
        let files = try await assignment.submissions.files(of: [round.id!])[round.id!] ?? []
        return Self.roundOut(round, files: files, showGrade: true, open, req)
    }

    func release(req: Request) async throws -> Released {
        let (_, assignment) = try await AssignmentGradingRoutes.openAsGrader(req, web: false)
        return Released(released: try await assignment.submissions.releaseAll(now: req.application.clock.now()))
    }

    func archive(req: Request) async throws -> Response {
        let (open, assignment) = try await AssignmentGradingRoutes.openAsGrader(req, web: false)
        return try await AssignmentGradingRoutes.archiveResponse(req, open, assignment)
    }
}
