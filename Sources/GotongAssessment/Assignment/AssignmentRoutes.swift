import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The participant's side of an assignment on the web: save a draft (text and a file at a
/// time), hand it in, take a file out of the draft, and download a file.
struct AssignmentRoutes {
    /// A draft's form: one file of at most 20 MB with its text.
    static let maxUpload: ByteCount = "22mb"

    func register(web: any RoutesBuilder) {
        web.get(AssignmentPage.draft, use: draftPage)
        web.upload(.POST, AssignmentPage.draft, maxSize: Self.maxUpload, use: saveDraft)
        web.get(AssignmentPage.file(.key), use: download)
        web.post(AssignmentPage.removeFile(.key), use: removeFile)
    }

    // MARK: Opening

    /// The route's assignment, open to the caller.
    static func open(_ req: Request, web: Bool) async throws -> (OpenActivity, Assignment) {
        let open = try await OpenActivity.usable("assignment", req, web: web)
        return (open, Assignment(activity: open.activity, req: req))
    }

    /// The same, for a participant whose work this is (enrolled, so it is their progress).
    static func openAsParticipant(_ req: Request, web: Bool) async throws -> (OpenActivity, Assignment, UUID) {
        let (open, assignment) = try await Self.open(req, web: web)
        guard open.recordsProgress else { throw Abort(.forbidden, reason: req.t("assignment.error.preview")) }
        return (open, assignment, try open.person.requireID())
    }

    static func base(_ open: OpenActivity) -> LearningRoute {
        LearningRoute.activity(open.tenant.routeSlug, open.course.routeSlug, open.activity.routeID)
    }

    /// A file the caller may have: their own round's, a feedback file once its grade is
    /// released, or any for the course's staff.
    static func file(_ req: Request, _ open: OpenActivity, _ assignment: Assignment) async throws -> AssignmentFile {
        guard let file = try await assignment.submissions.file(req.parameter(AssignmentFileID.self).rawValue),
            let round = try await assignment.submissions.submission(file.submissionID)
        else { throw Abort(.notFound) }
        if open.isStaff { return file }
        guard round.personID == (try open.person.requireID()), file.role == .submission || round.isReleased else {
            throw Abort(.notFound)
        }
        return file
    }

    static func serve(_ file: AssignmentFile, req: Request) async throws -> Response {
        let response = try await req.application.files.serve(
            file.key, as: file.fileKind?.mediaType ?? .binary, for: req)
        response.headers.setAttachment(filename: file.name)
        return response
    }

    // MARK: Routes

    func draftPage(req: Request) async throws -> Response {
        let (open, assignment, person) = try await Self.openAsParticipant(req, web: true)
        guard let latest = try await assignment.submissions.rounds(of: person).last, latest.status == .draft else {
            return req.seeOther(Self.base(open).path)
        }
        return try await render(req, open, assignment, text: latest.text, round: latest, errors: [:], status: .ok)
    }

    func saveDraft(req: Request) async throws -> Response {
        let (open, assignment, person) = try await Self.openAsParticipant(req, web: true)
        let form = try await req.receivedForm()
        let upload = form.files["file"].flatMap { $0.size > 0 ? $0 : nil }
        let text = assignment.settings.takesText ? form.values["text"] ?? "" : nil
        let now = req.application.clock.now()
        do {
            try await assignment.submissions.saveDraft(
                of: person, text: text, uploads: upload.map { [$0] } ?? [], now: now)
            if form.values["go"] == "kumpulkan" {
                let round = try await assignment.submissions.submit(of: person, now: now)
                req.flash(.success, round.late ? "assignment.submitted_late" : "assignment.submitted")
            } else {
                req.flash(.success, "assignment.saved")
            }
            return req.seeOther(Self.base(open).path)
        } catch let error as InputError {
            let round = try await assignment.submissions.rounds(of: person).last
            let errors = error.messages(req)
            return try await render(
                req, open, assignment, text: text ?? "", round: round, errors: errors, status: .unprocessableEntity)
        } catch let refusal as Submissions.Refusal {
            // A second press of "Kumpulkan" finds it handed in: that is what was asked.
            if form.values["go"] == "kumpulkan", refusal.key == "assignment.error.submitted" {
                req.flash(.success, "assignment.submitted")
            } else {
                req.flash(.error, refusal.key)
            }
            return req.seeOther(Self.base(open).path)
        }
    }

    private func render(
        _ req: Request, _ open: OpenActivity, _ assignment: Assignment, text: String, round: AssignmentSubmission?,
        errors: [String: String], status: HTTPStatus
    ) async throws -> Response {
        let base = Self.base(open)
        var files: [AssignmentFile] = []
        if let round {
            files = try await assignment.submissions.files(of: [round.id!], role: .submission)[round.id!] ?? []
        }
        let model = DraftPageModel(
            activityTitle: open.activity.title, backURL: base.path,
            form: DraftForm(
                action: AssignmentPage.draft.path(under: base), takesText: assignment.settings.takesText,
                takesFiles: assignment.settings.takesFiles, text: text,
                files: files.map { ShownFile($0, base: base, removable: round?.status == .draft) },
                maxFiles: assignment.settings.maxFiles, errors: errors),
            error: errors.isEmpty ? nil : req.t("form.has_errors"))
        return try await req.render(
            model, title: "assignment.draft.title", titleArgs: ["title": open.activity.title], tenant: open.tenant,
            status: status)
    }

    func download(req: Request) async throws -> Response {
        let (open, assignment) = try await Self.open(req, web: true)
        return try await Self.serve(try await Self.file(req, open, assignment), req: req)
    }

    func removeFile(req: Request) async throws -> Response {
        let (open, assignment, person) = try await Self.openAsParticipant(req, web: true)
        guard let file = try await assignment.submissions.file(req.parameter(AssignmentFileID.self).rawValue) else {
            throw Abort(.notFound)
        }
        do {
            try await assignment.submissions.removeFile(file, of: person, now: req.application.clock.now())
            req.flash(.success, "assignment.file_removed", ["name": file.name])
        } catch let refusal as Submissions.Refusal {
            req.flash(.error, refusal.key)
        }
        return req.seeOther(Self.base(open).path)
    }
}
