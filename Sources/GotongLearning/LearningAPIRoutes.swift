import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Learning in the JSON API: authoring a course's sections and activities (staff), and all a
/// learner does — the outline, an activity, views, heartbeats with time and video progress,
/// files, and progress — so a mobile client can do everything the web does.
package struct LearningAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = LearningAPIRoute
        routes.get(R.outline(.key), use: outline)
        routes.get(R.myProgress(.key), use: progress)
        routes.get(R.activity(.key), use: activity)
        routes.post(R.views(.key), use: view)
        routes.post(R.heartbeat(.key), use: heartbeat)
        routes.get(R.file(.key, .key), use: file)

        let tenant = routes.resolvingTenant()
        tenant.get(R.sections(.key, .key), use: sections)
        tenant.post(R.sections(.key, .key), use: addSection)
        tenant.patch(R.section(.key, .key, .key), use: updateSection)
        tenant.delete(R.section(.key, .key, .key), use: deleteSection)
        // JSON, or multipart with the activity's files: a streamed body either way.
        tenant.upload(.POST, R.sectionActivities(.key, .key, .key), maxSize: Uploads.maxRequestSize, use: addActivity)
        tenant.patch(R.managedActivity(.key, .key, .key), use: updateActivity)
        tenant.delete(R.managedActivity(.key, .key, .key), use: deleteActivity)
        tenant.upload(.PUT, R.managedFile(.key, .key, .key, .key), maxSize: Uploads.maxRequestSize, use: uploadFile)
    }

    // MARK: Representations

    struct ActivityResponse: Content {
        var id: UUID
        var course_id: UUID
        var section_id: UUID
        var position: Int
        var type: String
        var title: String
        var settings: [String: JSONScalar]
        var completion: [String: JSONScalar]
        var required: Bool
        var hidden: Bool
        var opens_at: Date?

        init(_ a: Activity) {
            id = a.id!
            course_id = a.courseID
            section_id = a.sectionID
            position = a.position
            type = a.type
            title = a.title
            settings = a.settings.values
            completion = a.completion.json
            required = a.isRequired
            hidden = a.hidden
            opens_at = a.opensAt
        }
    }

    struct SectionResponse: Content {
        var id: UUID
        var title: String
        var position: Int
        var hidden: Bool
        var activities: [ActivityResponse]
    }

    struct SectionList: Content {
        var sequential: Bool
        var sections: [SectionResponse]
    }

    // MARK: Authoring (staff)

    /// The route's course, for people who may author it.
    func authoredCourse(_ req: Request) async throws -> Course {
        let id = try req.parameter(CourseID.self).rawValue
        let course = try await req.tenantScope.require(Course.self, id)
        try await LearningAccess.requireAuthor(req, course: course)
        return course
    }

    func sections(req: Request) async throws -> SectionList {
        let course = try await authoredCourse(req)
        let outline = try await req.courseStructure(course).outline(forLearner: false)
        return SectionList(
            sequential: course.sequential,
            sections: outline.map { s in
                SectionResponse(
                    id: s.section.id!, title: s.section.title, position: s.section.position, hidden: s.section.hidden,
                    activities: s.activities.map(ActivityResponse.init))
            })
    }

    struct SectionRequest: Content {
        var title: String?
        var hidden: Bool?
        var position: Int?

        enum CodingKeys: String, CodingKey { case title, hidden, position }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decodeUnlessNull(String.self, forKey: .title)
            hidden = try c.decodeUnlessNull(Bool.self, forKey: .hidden)
            position = try c.decodeUnlessNull(Int.self, forKey: .position)
        }

        /// Places count from 1 (and no course has a hundred thousand of anything).
        func checkPosition() throws {
            if let position, !(1...100_000).contains(position) {
                throw InputError(field: "position", key: "structure.error.position")
            }
        }
    }

    func addSection(req: Request) async throws -> Response {
        let course = try await authoredCourse(req)
        let input = try req.content.decode(SectionRequest.self)
        try input.checkPosition()
        let section = try await req.courseStructure(course).addSection(title: input.title ?? "")
        if let position = input.position { try await req.courseStructure(course).moveSection(section, to: position) }
        return try await SectionResponse(
            id: section.id!, title: section.title, position: section.position, hidden: section.hidden, activities: []
        )
        .encodeResponse(status: .created, for: req)
    }

    func updateSection(req: Request) async throws -> SectionResponse {
        let course = try await authoredCourse(req)
        let structure = req.courseStructure(course)
        let section = try await structure.section(req.parameter(SectionID.self).rawValue)
        let input = try req.content.decode(SectionRequest.self)
        try input.checkPosition()
        try await structure.updateSection(section, title: input.title, hidden: input.hidden)
        if let position = input.position { try await structure.moveSection(section, to: position) }
        let fresh = try await structure.section(section.id)
        let activities =
            try await structure.outline(forLearner: false).first { $0.section.id == section.id }?.activities ?? []
        return SectionResponse(
            id: fresh.id!, title: fresh.title, position: fresh.position, hidden: fresh.hidden,
            activities: activities.map(ActivityResponse.init))
    }

    func deleteSection(req: Request) async throws -> HTTPStatus {
        let course = try await authoredCourse(req)
        let structure = req.courseStructure(course)
        try await structure.deleteSection(try await structure.section(req.parameter(SectionID.self).rawValue))
        return .noContent
    }

    /// An activity change as JSON; absent fields stay as they are.
    struct ActivityRequest: Decodable {
        var change = ActivityChange()
        var sectionID: UUID?
        var position: Int?

        enum Key: String, CodingKey { case type, title, settings, completion, hidden, opens_at, section_id, position }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            change.type = try c.decodeUnlessNull(String.self, forKey: .type)
            change.title = try c.decodeUnlessNull(String.self, forKey: .title)
            change.settings = try c.decodeUnlessNull([String: JSONScalar].self, forKey: .settings)
            if c.contains(.completion) {
                let object = try c.decodeIfPresent([String: JSONScalar].self, forKey: .completion) ?? [:]
                change.completionInput = .object(object)
            }
            change.hidden = try c.decodeUnlessNull(Bool.self, forKey: .hidden)
            if c.contains(.opens_at) {
                if try c.decodeNil(forKey: .opens_at) {
                    change.opensAt = .some(nil)
                } else {
                    switch LocalDates.parse(try c.decode(String.self, forKey: .opens_at)) {
                    case .success(let date): change.opensAt = .some(date)
                    case .failure: change.inputProblems.add("opens_at", "activity.error.opens_at")
                    }
                }
            }
            sectionID = try c.decodeUnlessNull(UUID.self, forKey: .section_id)
            position = try c.decodeUnlessNull(Int.self, forKey: .position)
            if let position, !(1...100_000).contains(position) {
                change.inputProblems.add("position", "structure.error.position")
            }
        }
    }

    func addActivity(req: Request) async throws -> Response {
        let course = try await authoredCourse(req)
        let structure = req.courseStructure(course)
        let section = try await structure.section(req.parameter(SectionID.self).rawValue)
        let input = try await Self.activityInput(req)
        let activity = try await structure.addActivity(to: section, input.change)
        return try await ActivityResponse(activity).encodeResponse(status: .created, for: req)
    }

    /// A new activity as the API takes it: JSON, or `multipart/form-data` with that JSON in the
    /// part `activity` and each file setting's file in a part named after the setting, so an
    /// activity that needs a file (a module, an uploaded video) is made in one request.
    static func activityInput(_ req: Request) async throws -> ActivityRequest {
        guard req.headers.contentType?.type == "multipart" else {
            _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
            return try req.content.decode(ActivityRequest.self)
        }
        let form = try await req.receivedForm()
        guard let json = form.values["activity"] else {
            throw InputError(field: "activity", key: "activity.error.multipart")
        }
        var input = try JSONDecoder().decode(ActivityRequest.self, from: Data(json.utf8))
        for (name, file) in form.files where file.size > 0 { input.change.files[name] = file }
        return input
    }

    func updateActivity(req: Request) async throws -> ActivityResponse {
        let course = try await authoredCourse(req)
        let structure = req.courseStructure(course)
        let activity = try await structure.activity(req.parameter(ActivityID.self).rawValue)
        let input = try req.content.decode(ActivityRequest.self)
        // A missing section is the caller's mistake: checked before anything is written.
        var target: CourseSection?
        if let sectionID = input.sectionID { target = try await structure.section(sectionID) }
        try await structure.updateActivity(activity, input.change)
        if target != nil || input.position != nil {
            let section: CourseSection
            if let target { section = target } else { section = try await structure.section(activity.sectionID) }
            try await structure.moveActivity(activity, to: section, position: input.position ?? Int.max)
        }
        return ActivityResponse(try await structure.activity(activity.id))
    }

    func deleteActivity(req: Request) async throws -> HTTPStatus {
        let course = try await authoredCourse(req)
        let structure = req.courseStructure(course)
        try await structure.deleteActivity(
            try await structure.activity(req.parameter(ActivityID.self).rawValue))
        return .noContent
    }

    /// The file of a file setting, as the raw request body; `?filename=` names it.
    func uploadFile(req: Request) async throws -> ActivityResponse {
        let course = try await authoredCourse(req)
        let structure = req.courseStructure(course)
        let activity = try await structure.activity(req.parameter(ActivityID.self).rawValue)
        let field = try req.parameter(FileField.self).rawValue
        guard let type = req.learning.types[activity.type],
            type.fields.contains(where: { if case .file = $0.kind { $0.name == field } else { false } })
        else { throw Abort(.notFound) }
        let file = try await req.receivedFile(named: (try? req.query.get(String.self, at: "filename")) ?? field)
        var change = ActivityChange()
        change.files[field] = file
        if file.size == 0 { change.inputProblems.add("settings.\(field)", "activity.error.required") }
        try await structure.updateActivity(activity, change)
        return ActivityResponse(activity)
    }
}
