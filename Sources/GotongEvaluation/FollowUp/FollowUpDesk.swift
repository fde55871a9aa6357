import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A course's follow-ups at the desk: each participant who finished, when their follow-up is
/// due, their supervisor — which a coordinator may name for them — and who answered.
package struct FollowUpDesk: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(EvaluationRoute.followUps(.key, .key), use: list)
        tenant.post(EvaluationRoute.followUps(.key, .key), use: name)
        tenant.post(EvaluationRoute.sendFollowUp(.key, .key), use: sendNow)
    }

    func sendNow(req: Request) async throws -> Response {
        try await req.requireTenantRole(FormDesk.keepers)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let person = (try? req.content.decode(Naming.self))?.person_id.flatMap(UUID.init(uuidString:))
        let back = EvaluationRoute.followUps(try req.tenant.routeSlug, .value(CourseID(try course.requireID()))).path
        guard let person else { throw Abort(.notFound) }
        do {
            try await FollowUps.sendNow(req, course: course, person: person)
            req.flash(.success, "evaluation.follow_ups.sent_now")
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "evaluation.error.not_due")
        }
        return req.seeOther(back)
    }

    func list(req: Request) async throws -> Response {
        try await render(req, errors: [:], values: [:])
    }

    private func render(
        _ req: Request, errors: [String: String], values: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        try await req.requireTenantRole(FormDesk.keepers)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let courseID = try course.requireID()
        let rows = try await scope.query(EvaluationFollowUp.self).filter(\.$courseID == courseID).all()
        let finished = try await scope.query(Enrolment.self).filter(\.$courseID == courseID)
            .filter(\.$status == .completed).all()
        let people = Set(rows.map(\.personID)).union(finished.map(\.personID))
        let names = Dictionary(
            try await Person.query(on: req.database).filter(\.$id ~~ Array(people)).all().map { ($0.id!, $0.name) },
            uniquingKeysWith: { a, _ in a })
        let answered = Set(
            try await scope.query(EvaluationResponse.self).filter(\.$courseID == courseID)
                .filter(\.$purpose == .followUp).all().map(\.participantID))
        let byPerson = Dictionary(rows.map { ($0.personID, $0) }, uniquingKeysWith: { a, _ in a })
        let model = FollowUpDeskModel(
            slug: try req.tenant.routeSlug, courseID: CourseID(courseID), course: course.title,
            rows: people.map { person in
                let row = byPerson[person]
                return .init(
                    person: person, name: names[person] ?? "—", due: req.day(row?.dueAt),
                    supervisor: row.map {
                        $0.supervisorEmail.isEmpty ? "" : "\($0.supervisorName) <\($0.supervisorEmail)>"
                    }
                        ?? "",
                    sent: row?.sentAt != nil, mailed: row?.tokenHash != nil,
                    supervisorAnswered: row?.supervisorDoneAt != nil,
                    participantAnswered: answered.contains(person))
            }.sorted { $0.name < $1.name }, errors: errors, values: values)
        return try await req.render(model, title: "evaluation.follow_ups.title", tenant: try req.tenant, status: status)
    }

    struct Naming: Content {
        var person_id: String?
        var supervisor_name: String?
        var supervisor_email: String?
    }

    func name(req: Request) async throws -> Response {
        try await req.requireTenantRole(FormDesk.keepers)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let input = (try? req.content.decode(Naming.self)) ?? Naming()
        // Only a participant of this course's: anyone else's id names nobody here.
        guard let personID = input.person_id.flatMap(UUID.init(uuidString:)),
            try await scope.query(Enrolment.self).filter(\.$courseID == course.requireID())
                .filter(\.$personID == personID).filter(\.$status ~~ [.enrolled, .completed]).count() > 0,
            let person = try await Person.find(personID, on: req.database)
        else { throw Abort(.notFound) }
        do {
            try await Supervisors.name(
                req, course: course, person: person, name: input.supervisor_name, email: input.supervisor_email,
                by: req.actorName)
        } catch let error as InputError where error.status == .unprocessableEntity {
            let values = [
                "person_id": personID.uuidString, "supervisor_name": input.supervisor_name ?? "",
                "supervisor_email": input.supervisor_email ?? "",
            ]
            return try await render(req, errors: error.messages(req), values: values, status: .unprocessableEntity)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "evaluation.error.supervisor_sent")
            return req.seeOther(req.url.path)
        }
        req.flash(.success, "evaluation.supervisor.saved")
        return req.seeOther(req.url.path)
    }
}

struct FollowUpDeskModel: PageBody {
    struct Row {
        let person: UUID, name: String, due: String?, supervisor: String
        let sent: Bool, mailed: Bool, supervisorAnswered: Bool, participantAnswered: Bool
    }

    let slug: Param<TenantSlug>
    let courseID: CourseID
    let course: String
    let rows: [Row]
    let errors: [String: String]
    let values: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(EvaluationRoute.course(slug, .value(courseID)).path).raw("\">")
            .text(t("evaluation.follow_ups.back")).raw("</a></p>\n<h1>")
            .text(t("evaluation.follow_ups.heading", ["course": course])).raw("</h1>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("evaluation.follow_ups.none")).raw("</p>\n")
            return
        }
        h.raw("<ul class=\"list\">\n")
        for row in rows {
            h.raw("<li><strong>").text(row.name).raw("</strong><br><span class=\"muted\">")
                .text(
                    row.due.map { t("evaluation.follow_ups.due", ["day": $0]) }
                        ?? t("evaluation.follow_ups.not_finished")
                )
                .raw(" · ").text(
                    t(
                        row.participantAnswered
                            ? "evaluation.follow_ups.participant_done" : "evaluation.follow_ups.participant_waiting")
                )
                .raw("</span><br>")
            if row.supervisorAnswered {
                h.text(t("evaluation.follow_ups.supervisor_done", ["supervisor": row.supervisor]))
            } else {
                // Mailed and not answered: the same form sends a new link (to a new address, or
                // again to the same one when the link expired).
                if row.mailed { h.text(t("evaluation.follow_ups.supervisor_mailed", ["supervisor": row.supervisor])) }
                writeNaming(h, t, csrf, row)
            }
            if row.due != nil && !row.sent {
                h.postForm(EvaluationRoute.sendFollowUp(slug, .value(courseID)).path, csrf: csrf, class: "inline")
                    .raw("<input type=\"hidden\" name=\"person_id\" value=\"").attr(row.person.uuidString).raw("\">")
                    .raw("<button type=\"submit\" class=\"secondary\">").text(t("evaluation.follow_ups.send_now"))
                    .raw("</button></form>")
            }
            h.raw("</li>\n")
        }
        h.raw("</ul>\n")
    }

    private func writeNaming(_ h: HTMLText, _ t: Texts, _ csrf: String, _ row: Row) {
        let mine = values["person_id"] == row.person.uuidString
        let id = "sv-" + row.person.uuidString.lowercased().prefix(8)
        h.raw("<details").flag("open", mine).raw("><summary>")
            .text(
                row.mailed
                    ? t("evaluation.follow_ups.resend")
                    : row.supervisor.isEmpty
                        ? t("evaluation.follow_ups.name")
                        : t("evaluation.follow_ups.change", ["supervisor": row.supervisor])
            )
            .raw("</summary>").postForm(
                EvaluationRoute.followUps(slug, .value(courseID)).path, csrf: csrf, class: "form"
            )
            .raw("<input type=\"hidden\" name=\"person_id\" value=\"").attr(row.person.uuidString).raw("\">")
        var name = TextField(
            "supervisor_name", label: t("evaluation.field.supervisor_name"),
            value: mine ? values["supervisor_name"] : nil,
            error: mine ? errors["supervisor_name"] : nil, max: 120, required: true)
        name.id = id + "-name"
        var email = TextField(
            "supervisor_email", label: t("evaluation.field.supervisor_email"),
            value: mine ? values["supervisor_email"] : nil,
            error: mine ? errors["supervisor_email"] : nil, kind: .input("email"), max: 254, required: true)
        email.id = id + "-email"
        h.textField(name).textField(email).raw("<button type=\"submit\">").text(t("evaluation.supervisor.save"))
            .raw("</button></form></details>")
    }
}
