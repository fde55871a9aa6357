import Fluent
import Foundation
import GotongCatalog
import GotongLearning
import GotongPlatform
import GotongTenancy

/// The course behind an episode. Attendance earns JP and a certificate through the same
/// mechanisms as any course: a claim finishes the episode's course (or admits the person to it
/// when it holds a quiz, which then finishes it), Learning tells the completion hooks, and
/// Credentials credits the ledger and issues the certificate — and a badge or an evaluation
/// set up for the course applies as well.
///
/// The course is the episode's bookkeeping, not a course anyone browses: it stays a draft, so
/// it is on neither the storefront nor the marketplace (the episode's own pages are), and its
/// enrolment is by assignment: nobody joins it but with the code. Learning needs only the
/// enrolment, so claimants take its quiz, built with the course editor like any other.
enum EpisodeCourse {
    /// Makes the episode's course, in `db`'s transaction.
    static func make(
        for episode: LiveEpisode, in programme: LiveProgramme, on db: any Database, now: Date
    ) async throws -> Course {
        try await CourseWorkflow(db: db, now: now).create(
            in: TenantID(episode.tenantID), change(for: episode, in: programme, isNew: true))
    }

    /// Brings the course in line with the episode after an edit (title, JP, date).
    static func update(
        _ course: Course, for episode: LiveEpisode, in programme: LiveProgramme, on db: any Database, now: Date
    ) async throws {
        _ = try await CourseWorkflow(db: db, now: now).update(course, change(for: episode, in: programme, isNew: false))
    }

    static func title(of episode: LiveEpisode, in programme: LiveProgramme) -> String {
        let title = "\(programme.name) #\(episode.number): \(episode.topic)"
        return title.count <= 200 ? title : String(title.prefix(199)) + "…"
    }

    private static func change(for episode: LiveEpisode, in programme: LiveProgramme, isNew: Bool) -> CourseChange {
        var change = CourseChange()
        change.title = title(of: episode, in: programme)
        change.summary = String(
            (episode.speakerNames.isEmpty ? episode.topic : "\(episode.topic) — \(episode.speakerNames)").prefix(500))
        change.competencyType = episode.competencyType
        change.jp = episode.jp
        change.startsAt = .some(episode.startsAt)
        if isNew {
            change.deliveryMethod = Course.DeliveryMethod.sinkron.rawValue
            change.enrolmentMode = Course.EnrolmentMode.assigned.rawValue
        }
        return change
    }
}
