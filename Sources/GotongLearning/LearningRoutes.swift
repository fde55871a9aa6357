import Fluent
import SQLKit
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The learner's pages of a course under `/t/{slug}/belajar/{course}`: the outline with
/// progress, and each activity, which records a view on the server (so it counts without
/// JavaScript) and carries a progress ticket for the page's heartbeats.
package struct LearningRoutes: RouteCollection {
    let types: ActivityTypeRegistry

    package init(types: ActivityTypeRegistry) {
        self.types = types
    }

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LearningRoute.outline(.key, .key), use: outline)
        tenant.get(LearningRoute.activity(.key, .key, .key), use: activityPage)
        tenant.get(LearningRoute.activityFile(.key, .key, .key, .key), use: file)
        tenant.post(LearningRoute.finishedReading(.key, .key, .key), use: finishedReading)
        tenant.get(LearningRoute.finished(.key, .key), use: finishedPage)
        // Authoring, beside the course's other management pages: a tenant's courses and the
        // master template's.
        LearningAdminRoutes(types: types, desk: .tenant(.key)).register(on: tenant)
        LearningAdminRoutes(types: types, desk: .master).register(
            on: routes.grouped(PlatformAdminMiddleware()).grouped(MasterTemplateResolver()))
        MonitoringRoutes(types: types).register(on: tenant)
        for type in types.all {
            try type.boot(
                web: tenant.grouped(LearningRoute.activity(.key, .key, .key).pathComponents),
                api: routes.grouped(LearningAPIRoute.activity(.key).pathComponents))
        }
    }

    // MARK: Loading

    /// The route's course, its learner's standing and outline.
    struct Loaded: Sendable {
        let tenant: Tenant
        let course: Course
        let access: LearningAccess
        let outline: LearnerOutline
        let structure: CourseStructure
    }

    static func load(_ req: Request) async throws -> Loaded {
        let tenant = try req.tenant
        let slug = try req.parameter(CourseSlug.self).rawValue
        // The course as its page keeps it (shared, never changed), with its staff.
        guard let page = try await CoursePageData.cached(tenant: tenant, slug: slug, on: req) else {
            throw Abort(.notFound)
        }
        let course = page.course
        let access = try await LearningAccess.check(req, course: course, tenantSlug: tenant.slug, staff: page.staffIDs)
        let structure = req.courseStructure(course)
        let outline = try await LearnerOutline.load(structure, progress: access.progress)
        return Loaded(tenant: tenant, course: course, access: access, outline: outline, structure: structure)
    }

    // MARK: Outline

    struct OutlineModel: Encodable, Sendable {
        struct Item: Encodable, Sendable {
            let title: String
            let url: String
            let type: String
            let completed: Bool
            let locked: String?
            let minutes: Int?
        }
        struct Section: Encodable, Sendable { let title: String; let items: [Item] }
        let courseTitle: String
        let courseURL: String
        let percent: Int
        let nextURL: String?
        let nextTitle: String?
        let completed: Bool
        /// The page that closes the course, once every required step is done.
        var finishedURL: String? = nil
        /// Shown to staff outside the course: a preview, nothing recorded.
        var preview = false
        let sections: [Section]
        let isEmpty: Bool
        let sequential: Bool
    }

    func outline(req: Request) async throws -> Response {
        let loaded = try await Self.load(req)
        let (tenant, course) = (loaded.tenant.routeSlug, loaded.course.routeSlug)
        let t = req.texts
        var model = OutlineModel(
            courseTitle: loaded.course.title, courseURL: CatalogRoute.course(tenant, course).path,
            percent: loaded.outline.percent,
            nextURL: loaded.outline.next.map { LearningRoute.activity(tenant, course, $0.routeID).path },
            nextTitle: loaded.outline.next?.title,
            completed: loaded.access.enrolment?.status == .completed,
            sections: loaded.outline.sections.map { section in
                .init(
                    title: section.section.title,
                    items: section.items.map { item in
                        .init(
                            title: item.step.title,
                            url: LearningRoute.activity(tenant, course, .value(ActivityID(item.step.id))).path,
                            type: t("activity.type.\(item.step.type)"), completed: item.completed,
                            locked: item.lock.map { Self.lockText($0, req: req) },
                            minutes: item.progress.map { $0.seconds / 60 }.flatMap { $0 > 0 ? $0 : nil })
                    })
            },
            isEmpty: loaded.outline.items.isEmpty, sequential: loaded.course.sequential
        )
        model.preview = !loaded.access.recordsProgress
        if model.completed || loaded.outline.percent == 100, loaded.access.enrolment != nil {
            model.finishedURL = LearningRoute.finished(tenant, course).path
        }
        return try await req.render(
            model, title: "learning.outline.title", titleArgs: ["course": loaded.course.title], tenant: loaded.tenant)
    }

    // MARK: Activity

    struct ActivityModel: Encodable, Sendable {
        let courseTitle: String
        let outlineURL: String
        let sectionTitle: String
        let title: String
        let type: String
        let bodyHTML: String?
        let locked: String?
        let completed: Bool
        let rule: String?
        let beatURL: String?
        let ticket: String?
        let previousURL: String?
        let nextURL: String?
        /// Why the next step cannot be opened yet, instead of a "Berikutnya" that leads to a lock.
        var nextLocked: String? = nil
        let position: Int
        let count: Int
        /// How long a timed step still asks, with its "finished reading" button.
        var timer: StudyTimer? = nil
        /// The page that closes the course, once this visit (or an earlier one) finished it.
        var finishedURL: String? = nil
        /// Shown to staff outside the course: a preview, nothing recorded.
        var preview = false
    }

    func activityPage(req: Request) async throws -> Response {
        let loaded = try await Self.load(req)
        guard let id = (try? req.parameter(ActivityID.self))?.rawValue, let item = loaded.outline.item(id) else {
            throw Abort(.notFound)
        }
        let activity = item.activity
        let (tenant, course) = (loaded.tenant.routeSlug, loaded.course.routeSlug)
        let base = LearningRoute.outline(tenant, course).path
        let items = loaded.outline.items
        let index = items.firstIndex { $0.activity.id == id } ?? 0
        let section = loaded.outline.sections.first { $0.items.contains { $0.activity.id == id } }?.section
        var body: ActivityBody?
        var progress = item.progress
        var ticket: String?
        // Staff who are not in the course (a curator, a coordinator checking) preview it:
        // nothing of theirs is recorded, and no heartbeats are sent.
        let previewing = !loaded.access.recordsProgress
        if item.lock == nil || loaded.access.isStaff, let type = req.learning.types[activity.type] {
            if item.lock == nil, !previewing {
                progress = try await req.learning.progressStore(on: req.database).recordVisit(
                    activity, person: loaded.access.person.typedID(), known: progress, at: req.application.clock.now())
            }
            body = try await type.render(
                ActivityViewContext(
                    activity: activity, course: loaded.course, tenant: loaded.tenant,
                    progress: progress, isStaff: loaded.access.isStaff, request: req))
            if body?.tracksTime == true, item.lock == nil, !previewing {
                ticket = try await Self.ticket(for: activity, personID: loaded.access.person.requireID(), req: req)
            }
        }
        // The next step as it stands after this visit (which may have finished what it waited for).
        var nextLock = index + 1 < items.count ? items[index + 1].lock : nil
        if nextLock?.waitingFor?.id == id, progress?.completedAt != nil { nextLock?.waitingFor = nil }
        if nextLock?.opensAt == nil, nextLock?.waitingFor == nil { nextLock = nil }
        if loaded.access.isStaff { nextLock = nil }
        let model = ActivityModel(
            courseTitle: loaded.course.title, outlineURL: base, sectionTitle: section?.title ?? "",
            title: activity.title, type: req.t("activity.type.\(activity.type)"),
            bodyHTML: body?.html, locked: item.lock.map { Self.lockText($0, req: req) },
            completed: progress?.completedAt != nil, rule: Self.ruleText(activity.completion, req: req),
            beatURL: ticket == nil ? nil : LearningAPIRoute.heartbeat(activity.routeID).path, ticket: ticket,
            previousURL: index > 0
                ? LearningRoute.activity(tenant, course, items[index - 1].activity.routeID).path : nil,
            nextURL: index + 1 < items.count && nextLock == nil
                ? LearningRoute.activity(tenant, course, items[index + 1].activity.routeID).path : nil,
            nextLocked: nextLock.map { Self.lockText($0, req: req) },
            position: index + 1, count: items.count,
            timer: ticket.flatMap {
                StudyTimer(activity, progress: progress, ticket: $0, tenant: tenant, course: course)
            },
            finishedURL: loaded.access.enrolment != nil
                && Self.courseDone(loaded, after: id, completed: progress?.completedAt != nil)
                ? LearningRoute.finished(tenant, course).path : nil,
            preview: previewing
        )
        return try await req.render(
            model, title: "learning.activity.title",
            titleArgs: ["activity": activity.title, "course": loaded.course.title],
            tenant: loaded.tenant, status: item.lock != nil && !loaded.access.isStaff ? .locked : .ok)
    }

    /// A file setting of an activity (a video, a module), for those who may open the activity.
    func file(req: Request) async throws -> Response {
        let loaded = try await Self.load(req)
        guard let id = (try? req.parameter(ActivityID.self))?.rawValue, let item = loaded.outline.item(id),
            item.lock == nil || loaded.access.isStaff
        else { throw Abort(.notFound) }
        return try await Self.serveFile(item.activity, field: try req.parameter(FileField.self).rawValue, req: req)
    }

    static func serveFile(_ activity: Activity, field: String, req: Request) async throws -> Response {
        guard let type = req.learning.types[activity.type],
            type.fields.contains(where: { if case .file = $0.kind { $0.name == field } else { false } })
        else { throw Abort(.notFound) }
        let settings = activity.settings
        let key = settings.string(field)
        guard !key.isEmpty, let kind = FileKind.of(key: key) else { throw Abort(.notFound) }
        let response = try await req.application.files.serve(key, as: kind.mediaType, for: req)
        let name = settings.string(field + "_name")
        if !name.isEmpty, ![FileKind.mp4, .webm, .png, .jpeg, .pdf].contains(kind) {
            response.headers.setAttachment(filename: name)
        }
        return response
    }

    /// Whether every required step is done, this one as the visit left it.
    static func courseDone(_ loaded: Loaded, after id: UUID, completed: Bool) -> Bool {
        if loaded.access.enrolment?.status == .completed { return true }
        let required = loaded.outline.items.filter(\.activity.isRequired)
        return !required.isEmpty && required.allSatisfy { $0.activity.id == id ? completed : $0.completed }
    }

    // MARK: Texts

    static func lockText(_ lock: ActivityLock, req: Request) -> String {
        var parts: [String] = []
        if let waiting = lock.waitingFor {
            parts.append(req.t("learning.locked.previous", ["activity": waiting.title]))
        }
        if let opens = lock.opensAt { parts.append(req.t("learning.locked.date", ["date": req.dayTime(opens)])) }
        return parts.joined(separator: " ")
    }

    /// What the learner reads of a rule ("selesai setelah 5 menit"), in the form's unit.
    static func ruleText(_ rule: CompletionRule, req: Request) -> String? {
        guard rule != .none, let option = req.learning.types.completionOption(rule.kind) else { return nil }
        return req.t("learning.rule.\(rule.kind)", ["value": option.formValue(rule).map(String.init) ?? ""])
    }

    static func ticket(for activity: Activity, personID: UUID, req: Request) async throws -> String {
        let key = try await req.application.secretKeys.key(ProgressTicket.keyName, on: req.database)
        return ProgressTicket(
            personID: personID, activityID: try activity.requireID(), courseID: activity.courseID,
            tenantID: activity.tenantID, activityType: activity.type, completion: activity.completion,
            expires: req.application.clock.now().addingTimeInterval(ProgressTicket.lifetime)
        ).signed(with: key)
    }
}
