import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The graders' side of an assignment on the web (the course's trainers and coordinators):
/// every participant's state, grading one submission after another, reopening, releasing the
/// grades, and all submissions as one ZIP.
struct AssignmentGradingRoutes {
    /// A grade's form: one feedback file of at most 20 MB with its text.
    static let maxUpload: ByteCount = "22mb"

    func register(web: any RoutesBuilder) {
        web.get(AssignmentPage.grading, use: list)
        web.get(AssignmentPage.archive, use: archive)
        web.post(AssignmentPage.release, use: release)
        web.get(AssignmentPage.grade(.key), use: gradePage)
        web.upload(.POST, AssignmentPage.grade(.key), maxSize: Self.maxUpload, use: grade)
        web.post(AssignmentPage.reopen(.key), use: reopen)
    }

    /// The route's assignment, for its graders only.
    static func openAsGrader(_ req: Request, web: Bool) async throws -> (OpenActivity, Assignment) {
        let (open, assignment) = try await AssignmentRoutes.open(req, web: web)
        guard open.isStaff else { throw Abort(.forbidden) }
        return (open, assignment)
    }

    /// The route's submission of this assignment.
    static func submission(_ req: Request, _ assignment: Assignment) async throws -> AssignmentSubmission {
        guard let found = try await assignment.submissions.submission(req.parameter(SubmissionID.self).rawValue) else {
            throw Abort(.notFound)
        }
        return found
    }

    // MARK: The list

    func list(req: Request) async throws -> Response {
        let (open, assignment) = try await Self.openAsGrader(req, web: true)
        let board = try await GradingBoard.load(assignment, course: open.course, db: req.database)
        let base = AssignmentRoutes.base(open)
        let model = GradingListModel(
            activityTitle: open.activity.title, backURL: base.path,
            rows: board.rows.map { row in
                GradingListModel.Row(
                    name: row.participant.name, unit: row.participant.unit_kerja,
                    status: row.latest.map { AssignmentFrontModel.status($0, req: req) }
                        ?? req.t("assignment.status.none"),
                    grade: row.latest.flatMap {
                        $0.isGraded ? GradingListModel.gradeText($0, assignment.settings, req) : nil
                    },
                    released: row.latest?.isReleased ?? false,
                    url: row.latest.flatMap { $0.status == .submitted ? $0.id : nil }.map {
                        AssignmentPage.grade(.value(SubmissionID($0))).path(under: base)
                    })
            },
            archiveURL: AssignmentPage.archive.path(under: base), releaseURL: AssignmentPage.release.path(under: base),
            unreleased: board.rows.filter { $0.latest.map { $0.isGraded && !$0.isReleased } ?? false }.count,
            submitted: board.rows.filter { $0.latest?.status == .submitted }.count)
        return try await req.render(
            model, title: "assignment.staff.grading_title", titleArgs: ["title": open.activity.title],
            tenant: open.tenant)
    }

    func release(req: Request) async throws -> Response {
        let (open, assignment) = try await Self.openAsGrader(req, web: true)
        let count = try await assignment.submissions.releaseAll(now: req.application.clock.now())
        req.flash(.success, "assignment.staff.released", ["count": "\(count)"])
        return req.seeOther(AssignmentPage.grading.path(under: AssignmentRoutes.base(open)))
    }

    func archive(req: Request) async throws -> Response {
        let (open, assignment) = try await Self.openAsGrader(req, web: true)
        return try await Self.archiveResponse(req, open, assignment)
    }

    /// Every participant's handed-in latest round as a ZIP, written to a temporary file that
    /// goes when the response is sent.
    static func archiveResponse(
        _ req: Request, _ open: OpenActivity, _ assignment: Assignment
    ) async throws
        -> Response
    {
        let board = try await GradingBoard.load(assignment, course: open.course, db: req.database)
        // Each participant's latest handed-in round: a reopened draft does not hide the last one.
        let handedIn = try await assignment.submissions.latestRounds(handedInOnly: true)
        let files = try await assignment.submissions.files(of: handedIn.values.compactMap(\.id), role: .submission)
        let entries = board.rows.compactMap { row in
            handedIn[row.participant.person_id].map { round in
                SubmissionsArchive.Entry(
                    participant: row.participant.name, email: row.participant.email, text: round.text,
                    files: files[round.id!] ?? [])
            }
        }
        let folder = Uploads.directory(of: req.application)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/archive-\(UUID().uuidString).zip"
        let response: Response
        do {
            try await SubmissionsArchive.write(
                entries, from: req.application.files, to: URL(fileURLWithPath: path), on: req.application.threadPool)
            response = try await req.fileio.asyncStreamFile(
                at: path, mediaType: HTTPMediaType(type: "application", subType: "zip")
            ) { _ in try? FileManager.default.removeItem(atPath: path) }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        response.headers.setAttachment(filename: SubmissionsArchive.safe(open.activity.title) + ".zip")
        return response
    }

    // MARK: One submission

    func gradePage(req: Request) async throws -> Response {
        let (open, assignment) = try await Self.openAsGrader(req, web: true)
        let submission = try await Self.submission(req, assignment)
        return try await renderGrade(req, open, assignment, submission, input: nil, errors: [:], status: .ok)
    }

    func grade(req: Request) async throws -> Response {
        let (open, assignment) = try await Self.openAsGrader(req, web: true)
        let submission = try await Self.submission(req, assignment)
        let form = try await req.receivedForm()
        let input = GradeInput(form: form, rubric: assignment.settings.rubric)
        do {
            try await assignment.submissions.grade(
                submission, input, by: try open.person.requireID(), now: req.application.clock.now())
        } catch let error as InputError {
            let errors = error.messages(req)
            return try await renderGrade(
                req, open, assignment, submission, input: input, errors: errors, status: .unprocessableEntity)
        } catch let refusal as Submissions.Refusal {
            req.flash(.error, refusal.key)
            return req.seeOther(AssignmentPage.grading.path(under: AssignmentRoutes.base(open)))
        }
        req.flash(.success, "assignment.staff.graded")
        let base = AssignmentRoutes.base(open)
        if form.values["go"] == "berikutnya" {
            let board = try await GradingBoard.load(assignment, course: open.course, db: req.database)
            if let next = board.next(after: submission.id!, ungradedOnly: true) {
                return req.seeOther(AssignmentPage.grade(.value(SubmissionID(next))).path(under: base))
            }
            req.flash(.info, "assignment.staff.all_graded")
            return req.seeOther(AssignmentPage.grading.path(under: base))
        }
        return req.seeOther(AssignmentPage.grade(.value(SubmissionID(submission.id!))).path(under: base))
    }

    func reopen(req: Request) async throws -> Response {
        let (open, assignment) = try await Self.openAsGrader(req, web: true)
        let submission = try await Self.submission(req, assignment)
        do {
            try await assignment.submissions.reopen(submission, now: req.application.clock.now())
            req.flash(.success, "assignment.staff.reopened")
        } catch let refusal as Submissions.Refusal {
            req.flash(.error, refusal.key)
        }
        return req.seeOther(AssignmentPage.grading.path(under: AssignmentRoutes.base(open)))
    }

    private func renderGrade(
        _ req: Request, _ open: OpenActivity, _ assignment: Assignment, _ submission: AssignmentSubmission,
        input: GradeInput?, errors: [String: String], status: HTTPStatus
    ) async throws -> Response {
        let model = try await GradePageModel.make(
            req, open, assignment, submission, input: input, errors: errors)
        return try await req.render(
            model, title: "assignment.staff.grade_title", titleArgs: ["name": model.participant], tenant: open.tenant,
            status: status)
    }
}

extension GradeInput {
    /// The grade form's fields: `score`, `passed`, `level_{criterion}`, `feedback`,
    /// `feedback_file`, `release`.
    init(form: ReceivedForm, rubric: Rubric?) {
        score = form.values["score"]
        passed = form.values["passed"]
        levels =
            (rubric?.criteria.indices).map { indices in
                indices.map { index in form.values["level_\(index)"].flatMap { WholeNumber.parse($0) } }
            } ?? []
        feedback = form.values["feedback"] ?? ""
        feedbackFile = form.files["feedback_file"].flatMap { $0.size > 0 ? $0 : nil }
        release = form.values["release"] == "on"
    }
}

/// The course's participants with their latest round, by name: the order graders step in.
struct GradingBoard: Sendable {
    struct Row: Sendable {
        let participant: CourseMembers.Participant
        let latest: AssignmentSubmission?
    }

    let rows: [Row]

    static func load(_ assignment: Assignment, course: Course, db: any Database) async throws -> GradingBoard {
        let participants = try await CourseMembers(course: course, on: db).participants()
        let latest = try await assignment.submissions.latestRounds()
        return GradingBoard(
            rows: participants.map { Row(participant: $0, latest: latest[$0.person_id]) }.sorted {
                $0.participant.name.localizedStandardCompare($1.participant.name) == .orderedAscending
            })
    }

    /// The handed-in submissions in the graders' order.
    var handedIn: [AssignmentSubmission] { rows.compactMap(\.latest).filter { $0.status == .submitted } }

    /// The next handed-in submission after `id` (ungraded ones only when asked), wrapping around.
    func next(after id: UUID, ungradedOnly: Bool = false) -> UUID? {
        let list = handedIn
        guard let index = list.firstIndex(where: { $0.id == id }) else { return nil }
        let after = list[(index + 1)...] + list[..<index]
        return after.first { !ungradedOnly || !$0.isGraded }?.id
    }

    func previous(before id: UUID) -> UUID? {
        let list = handedIn
        guard let index = list.firstIndex(where: { $0.id == id }), index > 0 else { return nil }
        return list[index - 1].id
    }
}
