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
/// The course is published on the tenant's storefront but not offered to the marketplace, and
/// its enrolment is by assignment: nobody joins it from the catalogue, only with the code.
/// Its quiz is built with the course editor like any other.
enum EpisodeCourse {
    /// Makes the episode's course, in `db`'s transaction.
    static func make(
        for episode: LiveEpisode, in programme: LiveProgramme, on db: any Database, now: Date
    ) async throws -> Course {
        let course = try await CourseWorkflow(db: db, now: now).create(
            in: TenantID(episode.tenantID), change(for: episode, in: programme, isNew: true))
        course.status = .published
        course.publishedAt = now
        try await course.save(on: db)
        return course
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
