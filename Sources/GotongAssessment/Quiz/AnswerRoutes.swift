import Fluent
import Foundation
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// `POST /api/v1/quiz-answers`: one answer, authorised by the attempt's ticket
/// (`X-Attempt-Ticket`) instead of a session or token. The attempt page's script and mobile
/// clients send answers here; it costs one statement.
package struct AnswerRoutes: RouteCollection {
    package init() {}

    static let header = "X-Attempt-Ticket"

    package func boot(routes: any RoutesBuilder) throws {
        routes.post(AssessmentAPIRoute.answers, use: save)
    }

    func save(req: Request) async throws -> Response {
        let now = req.application.clock.now()
        let key = try await req.application.secretKeys.key(AnswerTicket.keyName, on: req.database)
        guard let text = req.headers.first(name: Self.header),
            let ticket = AnswerTicket.verify(text, with: key, now: now)
        else { throw InputError(field: Self.header, key: "quiz.error.ticket", status: .unauthorized) }
        let body: QuizAPIRoutes.SaveBody
        do { body = try req.content.decode(QuizAPIRoutes.SaveBody.self) } catch let error as DecodingError {
            throw InputError(field: error.fieldName, key: "quiz.error.answer_json", args: ["field": error.fieldName])
        }
        try QuizAttempts.check(body.response, slot: body.slot, slots: ticket.slots)
        if let deadline = ticket.deadline, now > deadline.addingTimeInterval(QuizAttempts.grace) {
            try await QuizAttempts.close(
                .init(attempt: ticket.attemptID, tenant: ticket.tenantID), app: req.application)
            throw InputError(field: "attempt", key: "quiz.error.time_up", status: .conflict)
        }
        let written = try await QuizAttempts.write(
            body.response, slot: body.slot, attempt: ticket.attemptID, tenant: ticket.tenantID, now: now,
            with: req.application.quizWriter)
        guard written else { throw InputError(field: "attempt", key: "quiz.error.closed", status: .conflict) }
        return try await QuizAPIRoutes.Saved(
            slot: body.slot, saved_at: now, seconds_left: ticket.deadline.map { max(0, Int($0.timeIntervalSince(now))) }
        ).encodeResponse(for: req)
    }
}

extension QuizAttempt {
    /// The ticket the attempt's page and the API hand to the client for saving answers.
    func answerTicket(_ req: Request) async throws -> String {
        let key = try await req.application.secretKeys.key(AnswerTicket.keyName, on: req.database)
        return try AnswerTicket(attempt: self, now: req.application.clock.now()).signed(with: key)
    }
}
