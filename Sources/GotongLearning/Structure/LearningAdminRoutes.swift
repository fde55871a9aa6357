import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The authors' editor of a course's content under `…/pelatihan/{course}/materi` (a tenant's
/// courses and the master template's): sections and activities added, edited, reordered with
/// plain buttons (no JavaScript needed), hidden, and deleted after a confirmation page.
struct LearningAdminRoutes {
    let types: ActivityTypeRegistry
    /// The desk whose routes these are (`.key` parameters when registering).
    let desk: TenantDesk

    /// Registers the editor on `routes`, whose tenant is already resolved.
    func register(on routes: any RoutesBuilder) {
        typealias R = LearningRoute
        routes.get(R.editor(desk, .key), use: editor)
        routes.post(R.addSection(desk, .key), use: addSection)
        routes.post(R.renameSection(desk, .key, .key), use: renameSection)
        routes.get(R.deleteSection(desk, .key, .key), use: confirmSectionDelete)
        routes.post(R.deleteSection(desk, .key, .key), use: deleteSection)
        routes.post(R.arrangeSection(desk, .key, .key, .key), use: sectionAction)
        routes.get(R.newActivity(desk, .key), use: newActivity)
        routes.upload(.POST, R.newActivity(desk, .key), maxSize: Uploads.maxRequestSize, use: createActivity)
        routes.get(R.editActivity(desk, .key, .key), use: editActivity)
        routes.upload(.POST, R.editActivity(desk, .key, .key), maxSize: Uploads.maxRequestSize, use: saveActivity)
        routes.get(R.deleteActivity(desk, .key, .key), use: confirmActivityDelete)
        routes.post(R.deleteActivity(desk, .key, .key), use: deleteActivity)
        routes.post(R.arrangeActivity(desk, .key, .key, .key), use: activityAction)
    }

    // MARK: Loading

    struct Context: Sendable {
        let course: Course
        let structure: CourseStructure
        let desk: TenantDesk
        let base: String
        let courseBase: String
        let brand: Tenant?

        var courseID: CourseID { CourseID(course.id!) }
    }

    func context(_ req: Request) async throws -> Context {
        let tenant = try req.tenant
        let course = try await req.tenantScope.require(Course.self, req.parameter(CourseID.self).rawValue)
        try await LearningAccess.requireAuthor(req, course: course)
        let desk = TenantDesk(tenant)
        return Context(
            course: course, structure: req.courseStructure(course), desk: desk,
            base: LearningRoute.editor(desk, course.routeID).path,
            courseBase: CatalogRoute.managedCourse(desk, course.routeID).path,
            brand: tenant.isMaster ? nil : tenant)
    }

    // MARK: Editor

    struct EditorModel: Sendable {
        struct Item: Sendable {
            let id: ActivityID; let title: String; let type: String; let rule: String?; let hidden: Bool
            let opens: String?; let first: Bool; let last: Bool
        }
        struct Section: Sendable {
            let id: SectionID; let title: String; let hidden: Bool; let first: Bool; let last: Bool
            let items: [Item]
            /// Why renaming this section failed, shown at its own title field.
            let renameError: String?
            /// The title as typed when renaming failed.
            let typedTitle: String
        }
        let desk: TenantDesk
        let courseID: CourseID
        let courseTitle: String
        let learnURL: String?
        let sequential: Bool
        let sections: [Section]
        /// The activity types an author can add: key and name.
        let types: [SelectOption]
        let sectionError: String?
    }

    func editor(req: Request) async throws -> Response {
        try await renderEditor(req, context(req))
    }

    /// A failed rename: which section, what was typed, and why it was refused.
    struct RenameFailure {
        let sectionID: UUID
        let typed: String
        let message: String
    }

    func renderEditor(
        _ req: Request, _ c: Context, sectionError: String? = nil, rename: RenameFailure? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let outline = try await c.structure.outline(forLearner: false)
        let sections: [EditorModel.Section] = outline.enumerated().map { i, s in
            let failed = rename?.sectionID == s.section.id ? rename : nil
            let items: [EditorModel.Item] = s.activities.enumerated().map { j, a in
                .init(
                    id: ActivityID(a.id!), title: a.title, type: req.t("activity.type.\(a.type)"),
                    rule: LearningRoutes.ruleText(a.completion, req: req), hidden: a.hidden,
                    opens: a.opensAt.map { req.dayTime($0) }, first: j == 0, last: j == s.activities.count - 1)
            }
            return .init(
                id: SectionID(s.section.id!), title: s.section.title, hidden: s.section.hidden, first: i == 0,
                last: i == outline.count - 1, items: items, renameError: failed?.message,
                typedTitle: failed?.typed ?? s.section.title)
        }
        let model = EditorModel(
            desk: c.desk, courseID: c.courseID, courseTitle: c.course.title,
            learnURL: c.brand.map { LearningRoute.outline($0.routeSlug, c.course.routeSlug).path },
            sequential: c.course.sequential,
            sections: sections,
            types: types.all.map { .init(value: $0.key, label: req.t("activity.type.\($0.key)"), selected: false) },
            sectionError: sectionError
        )
        return try await req.render(
            model, title: "authoring.title", titleArgs: ["course": c.course.title], tenant: c.brand, status: status)
    }

    // MARK: Activities

    struct ActivityFormModel: Sendable {
        struct Field: Sendable {
            enum Kind: Sendable { case text, markdown, url, number, file, choice, dateTime }
            let name: String; let label: String; let kind: Kind; let value: String; let required: Bool
            let hint: String?; let error: String?; let accept: String?; let min: Int?; let max: Int?
            /// A choice's words and their labels.
            var options: [(value: String, label: String)] = []
        }
        let desk: TenantDesk
        let courseID: CourseID
        /// Nil for a new activity.
        let activityID: ActivityID?
        let courseTitle: String
        let typeLabel: String
        let type: String
        let sectionID: SectionID
        let title: String
        let titleError: String?
        let fields: [Field]
        let completions: [CompletionChoice]
        let completionError: String?
        let hidden: Bool
        let opensAt: String
        let opensError: String?
        let formError: String?
    }

    func newActivity(req: Request) async throws -> Response {
        let c = try await context(req)
        guard let type = types[(try? req.query.get(String.self, at: "jenis")) ?? ""] else { throw Abort(.notFound) }
        let section = try await c.structure.section(try? req.query.get(UUID.self, at: "topik"))
        let draft = Activity(
            tenantID: c.course.tenantID, courseID: c.course.id!, sectionID: section.id!, position: 0, type: type.key,
            title: "")
        return try await renderActivityForm(req, c, activity: draft, isNew: true, values: [:], problems: [])
    }

    func createActivity(req: Request) async throws -> Response {
        let c = try await context(req)
        let form = try await ActivityForm.read(req)
        guard let type = types[form.type ?? ""] else { throw Abort(.notFound) }
        let section = try await c.structure.section(form.sectionID)
        var change = form.change(for: type)
        change.type = type.key
        do {
            let activity = try await c.structure.addActivity(to: section, change)
            req.flash(.success, "authoring.activity_added", ["title": activity.title])
            return req.seeOther(c.base + "#materi-\(activity.id!)")
        } catch let error as InputError {
            let draft = Activity(
                tenantID: c.course.tenantID, courseID: c.course.id!, sectionID: section.id!, position: 0,
                type: type.key, title: "")
            return try await renderActivityForm(
                req, c, activity: draft, isNew: true, values: form.values, problems: error.problems,
                status: .unprocessableEntity)
        }
    }

    func editActivity(req: Request) async throws -> Response {
        let c = try await context(req)
        let activity = try await c.structure.activity(req.parameter(ActivityID.self).rawValue)
        return try await renderActivityForm(req, c, activity: activity, isNew: false, values: [:], problems: [])
    }

    func saveActivity(req: Request) async throws -> Response {
        let c = try await context(req)
        let activity = try await c.structure.activity(req.parameter(ActivityID.self).rawValue)
        guard let type = types[activity.type] else { throw Abort(.conflict) }
        let form = try await ActivityForm.read(req)
        do {
            try await c.structure.updateActivity(activity, form.change(for: type))
            req.flash(.success, "authoring.saved")
            return req.seeOther(c.base + "#materi-\(activity.id!)")
        } catch let error as InputError {
            let fresh = try await c.structure.activity(activity.id)
            return try await renderActivityForm(
                req, c, activity: fresh, isNew: false, values: form.values, problems: error.problems,
                status: .unprocessableEntity)
        }
    }

    /// The form of one activity: the type's declared fields, then what every activity has.
    func renderActivityForm(
        _ req: Request, _ c: Context, activity: Activity, isNew: Bool, values: [String: String],
        problems: [InputError.Problem], status: HTTPStatus = .ok
    ) async throws -> Response {
        guard let type = types[activity.type] else { throw Abort(.conflict) }
        func error(_ field: String) -> String? {
            problems.first { $0.field == field }.map { req.t($0.key, $0.args) }
        }
        let settings = activity.settings
        let fields: [ActivityFormModel.Field] = type.fields.map { field in
            let stored =
                settings[field.name].map { value -> String in
                    switch value {
                    case .string(let s): s;
                    case .int(let i): "\(i)";
                    case .bool(let b): b ? "true" : "";
                    case .null: ""
                    }
                } ?? ""
            let label = req.t("activity.field.\(type.key).\(field.name)", fallback: "activity.field.\(field.name)")
            switch field.kind {
            case .text(let max):
                return .init(
                    name: field.name, label: label, kind: .text, value: values[field.name] ?? stored,
                    required: field.required,
                    hint: nil, error: error("settings.\(field.name)"), accept: nil, min: nil, max: max)
            case .markdown(let max):
                return .init(
                    name: field.name, label: label, kind: .markdown, value: values[field.name] ?? stored,
                    required: field.required,
                    hint: req.t("activity.hint.\(type.key).\(field.name)", fallback: "authoring.markdown_hint"),
                    error: error("settings.\(field.name)"), accept: nil,
                    min: nil, max: max)
            case .url:
                return .init(
                    name: field.name, label: label, kind: .url, value: values[field.name] ?? stored,
                    required: field.required,
                    hint: req.t("activity.hint.\(type.key).\(field.name)", fallback: "activity.hint.url"),
                    error: error("settings.\(field.name)"),
                    accept: nil, min: nil, max: nil)
            case .number(let range):
                return .init(
                    name: field.name, label: label, kind: .number, value: values[field.name] ?? stored,
                    required: field.required,
                    hint: nil, error: error("settings.\(field.name)"), accept: nil, min: range.lowerBound,
                    max: range.upperBound)
            case .dateTime:
                return .init(
                    name: field.name, label: label, kind: .dateTime,
                    value: values[field.name] ?? LocalDates.formValue(moment: settings.date(field.name)),
                    required: field.required, hint: req.t("authoring.datetime_hint"),
                    error: error("settings.\(field.name)"), accept: nil, min: nil, max: nil)
            case .choice(let words):
                let hintKey = "activity.hint.\(type.key).\(field.name)"
                let hint = req.t(hintKey)
                return .init(
                    name: field.name, label: label, kind: .choice, value: values[field.name] ?? stored,
                    required: field.required,
                    hint: hint == hintKey ? nil : hint,
                    error: error("settings.\(field.name)"), accept: nil, min: nil, max: nil,
                    options: words.map { ($0, req.t("activity.choice.\(type.key).\(field.name).\($0)")) })
            case .file(let rule):
                let current = settings.string(field.name + "_name")
                let kinds = rule.kinds.map { $0.fileExtension.uppercased() }.joined(separator: ", ")
                return .init(
                    name: field.name, label: label, kind: .file, value: "",
                    required: field.required && settings[field.name] == nil,
                    hint: req.t(
                        "authoring.file_hint", ["kinds": kinds, "max": ActivityChange.megabytes(rule.maxBytes)])
                        + (current.isEmpty ? "" : " " + req.t("authoring.file_current", ["name": current])),
                    error: error("settings.\(field.name)"),
                    accept: rule.kinds.map { "." + $0.fileExtension }.joined(separator: ","), min: nil, max: nil)
            }
        }
        let completions = Self.completionChoices(
            type, activity: activity, isNew: isNew, values: values, req: req)
        let known = Set(["title", "completion", "opens_at"] + type.fields.map { "settings.\($0.name)" })
        let model = ActivityFormModel(
            desk: c.desk, courseID: c.courseID, activityID: isNew ? nil : ActivityID(activity.id!),
            courseTitle: c.course.title,
            typeLabel: req.t("activity.type.\(type.key)"), type: type.key, sectionID: SectionID(activity.sectionID),
            title: values["title"] ?? activity.title, titleError: error("title"), fields: fields,
            completions: completions, completionError: error("completion"),
            hidden: values["hidden"].map { $0 == "on" } ?? activity.hidden,
            opensAt: values["opens_at"] ?? LocalDates.formValue(activity.opensAt), opensError: error("opens_at"),
            formError: problems.first { !known.contains($0.field) }.map { req.t($0.key, $0.args) }
        )
        return try await req.render(
            model, title: isNew ? "authoring.new_activity" : "authoring.edit_activity",
            titleArgs: ["type": model.typeLabel], tenant: c.brand, status: status)
    }

    /// Up, down, hide, show.
    func activityAction(req: Request) async throws -> Response {
        let c = try await context(req)
        let activity = try await c.structure.activity(req.parameter(ActivityID.self).rawValue)
        var change = ActivityChange()
        switch try req.parameter(ArrangeAction.self) {
        case .up:
            try await c.structure.moveActivity(
                activity, to: try await c.structure.section(activity.sectionID), position: activity.position - 1)
        case .down:
            try await c.structure.moveActivity(
                activity, to: try await c.structure.section(activity.sectionID), position: activity.position + 1)
        case .hide: change.hidden = true; try await c.structure.updateActivity(activity, change)
        case .show: change.hidden = false; try await c.structure.updateActivity(activity, change)
        }
        Self.confirmArrangement(req, title: activity.title)
        return req.seeOther(c.base + "#materi-\(activity.id!)")
    }

    func confirmActivityDelete(req: Request) async throws -> Response {
        let c = try await context(req)
        let activity = try await c.structure.activity(req.parameter(ActivityID.self).rawValue)
        let confirm = ConfirmModel(
            heading: req.t("authoring.delete_activity_heading", ["title": activity.title]),
            warning: req.t("authoring.delete_activity_warning"),
            action: LearningRoute.deleteActivity(c.desk, .value(c.courseID), activity.routeID).path, back: c.base)
        return try await req.render(confirm, title: "authoring.delete_activity", tenant: c.brand)
    }

    func deleteActivity(req: Request) async throws -> Response {
        let c = try await context(req)
        let activity = try await c.structure.activity(req.parameter(ActivityID.self).rawValue)
        try await c.structure.deleteActivity(activity)
        req.flash(.success, "authoring.deleted", ["title": activity.title])
        return req.seeOther(c.base)
    }
}
