import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension LearningAPIRoutes {
    // MARK: Outline and progress

    struct OutlineResponse: Content {
        struct Lock: Content {
            var opens_at: Date?
            var waiting_for: UUID?
            var reason: String
        }
        struct Item: Content {
            var id: UUID
            var type: String
            var title: String
            var required: Bool
            var completed: Bool
            var seconds: Int
            var locked: Lock?
        }
        struct Section: Content {
            var id: UUID
            var title: String
            var activities: [Item]
        }
        var course_id: UUID
        var percent: Int
        var completed_at: Date?
        var next_activity_id: UUID?
        var sections: [Section]
    }

    func learnerCourse(_ req: Request) async throws -> (Course, LearningAccess, LearnerOutline) {
        guard let course = try await Course.find(req.parameter(CourseID.self).rawValue, on: req.database),
            let tenant = try await Tenant.find(course.tenantID, on: req.database), tenant.status == .active
        else { throw Abort(.notFound) }
        let access = try await LearningAccess.check(req, course: course, tenantSlug: tenant.slug)
        let outline = try await LearnerOutline.load(req.courseStructure(course), progress: access.progress)
        return (course, access, outline)
    }

    func outline(req: Request) async throws -> OutlineResponse {
        let (course, access, outline) = try await learnerCourse(req)
        return OutlineResponse(
            course_id: course.id!, percent: outline.percent, completed_at: access.enrolment?.completedAt,
            next_activity_id: outline.next?.id,
            sections: outline.sections.map { s in
                .init(
                    id: s.section.id!, title: s.section.title,
                    activities: s.items.map { item in
                        .init(
                            id: item.activity.id!, type: item.activity.type, title: item.activity.title,
                            required: item.activity.isRequired,
                            completed: item.completed, seconds: item.progress?.seconds ?? 0,
                            locked: item.lock.map {
                                .init(
                                    opens_at: $0.opensAt, waiting_for: $0.waitingFor?.id,
                                    reason: LearningRoutes.lockText($0, req: req))
                            })
                    })
            }
        )
    }

    struct CourseProgressResponse: Content {
        struct Item: Content {
            var id: UUID
            var completed: Bool
            var seconds: Int
            var video_percent: Int
            var views: Int
        }
        var percent: Int
        var completed_at: Date?
        var activities: [Item]
    }

    func progress(req: Request) async throws -> CourseProgressResponse {
        let (_, access, outline) = try await learnerCourse(req)
        return CourseProgressResponse(
            percent: outline.percent, completed_at: access.enrolment?.completedAt,
            activities: outline.items.map {
                .init(
                    id: $0.activity.id!, completed: $0.completed, seconds: $0.progress?.seconds ?? 0,
                    video_percent: $0.progress?.state.videoPercent ?? 0, views: $0.progress?.views ?? 0)
            })
    }
}
