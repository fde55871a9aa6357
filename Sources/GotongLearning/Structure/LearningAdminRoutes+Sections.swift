import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Sections of the editor: added, renamed, moved, hidden and deleted after a confirmation.
extension LearningAdminRoutes {
    // MARK: Sections

    func addSection(req: Request) async throws -> Response {
        let c = try await context(req)
        struct Form: Content { var title: String? }
        do {
            _ = try await c.structure.addSection(title: try req.content.decode(Form.self).title ?? "")
        } catch let error as InputError {
            return try await renderEditor(
                req, c, sectionError: error.problems.first.map { req.t($0.key, $0.args) }, status: .unprocessableEntity)
        }
        req.flash(.success, "authoring.section_added")
        return req.seeOther(c.base)
    }

    func renameSection(req: Request) async throws -> Response {
        let c = try await context(req)
        struct Form: Content { var title: String? }
        let section = try await c.structure.section(req.parameter(SectionID.self).rawValue)
        let typed = try req.content.decode(Form.self).title ?? ""
        do {
            try await c.structure.updateSection(section, title: typed, hidden: nil)
        } catch let error as InputError {
            let failure = RenameFailure(
                sectionID: try section.requireID(), typed: typed,
                message: error.problems.first.map { req.t($0.key, $0.args) } ?? req.t("error.422.detail"))
            return try await renderEditor(req, c, rename: failure, status: .unprocessableEntity)
        }
        req.flash(.success, "authoring.saved")
        return req.seeOther(c.base)
    }

    /// Up, down, hide, show.
    func sectionAction(req: Request) async throws -> Response {
        let c = try await context(req)
        let section = try await c.structure.section(req.parameter(SectionID.self).rawValue)
        switch try req.parameter(ArrangeAction.self) {
        case .up: try await c.structure.moveSection(section, to: section.position - 1)
        case .down: try await c.structure.moveSection(section, to: section.position + 1)
        case .hide: try await c.structure.updateSection(section, title: nil, hidden: true)
        case .show: try await c.structure.updateSection(section, title: nil, hidden: false)
        }
        Self.confirmArrangement(req, title: section.title)
        return req.seeOther(c.base + "#topik-\(section.id!)")
    }

    /// Says what a move, hide or show did, so the page that follows confirms it (a screen
    /// reader hears it in the status region).
    static func confirmArrangement(_ req: Request, title: String) {
        guard let action = try? req.parameter(ArrangeAction.self).rawValue else { return }
        req.flash(.success, "authoring.arranged.\(action)", ["title": title])
    }

    struct ConfirmModel: Sendable {
        let heading: String
        let warning: String
        let action: String
        let back: String
    }

    func confirmSectionDelete(req: Request) async throws -> Response {
        let c = try await context(req)
        let section = try await c.structure.section(req.parameter(SectionID.self).rawValue)
        let count =
            try await c.structure.outline(forLearner: false).first { $0.section.id == section.id }?.activities.count
            ?? 0
        let confirm = ConfirmModel(
            heading: req.t("authoring.delete_section_heading", ["title": section.title]),
            warning: count == 0
                ? req.t("authoring.delete_empty_section_warning")
                : req.t("authoring.delete_section_warning", ["n": "\(count)"]),
            action: LearningRoute.deleteSection(c.desk, .value(c.courseID), section.routeID).path, back: c.base)
        return try await req.render(confirm, title: "authoring.delete_section", tenant: c.brand)
    }

    func deleteSection(req: Request) async throws -> Response {
        let c = try await context(req)
        let section = try await c.structure.section(req.parameter(SectionID.self).rawValue)
        try await c.structure.deleteSection(section)
        req.flash(.success, "authoring.deleted", ["title": section.title])
        return req.seeOther(c.base)
    }
}
