import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// Level 3 of a course's run: how many follow-ups are due, how many participants and
/// supervisors answered, and their answers, read as level 1's are.
public struct LevelThree: Sendable {
    public let scheduled: Int
    public let due: Int
    public let participantsAnswered: Int
    public let supervisorsMailed: Int
    public let supervisorsAnswered: Int
    public let answers: LevelOneResults

    public static func load(_ scope: TenantScope, course: UUID, year: Int, now: Date) async throws -> LevelThree {
        let rows = try await scope.query(EvaluationFollowUp.self).filter(\.$courseID == course).all()
            .filter { $0.completedAt.map { LocalDates.year(of: $0) == year } ?? false }
        let answers = try await LevelOneResults.load(
            scope, course: course, year: year, purposes: [.followUp, .supervisor])
        let participants = answers.parts.filter { $0.form.purpose == .followUp }.reduce(0) { $0 + $1.responses }
        return LevelThree(
            scheduled: rows.count, due: rows.filter { ($0.dueAt ?? .distantFuture) <= now }.count,
            participantsAnswered: participants, supervisorsMailed: rows.filter { $0.tokenHash != nil }.count,
            supervisorsAnswered: rows.filter { $0.supervisorDoneAt != nil }.count, answers: answers)
    }
}
