import Fluent
import Foundation
import GotongEvaluation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// The public information site of a tenant's service desk (`/layanan/{slug}`): its service
/// catalogue and the answerer over it. It sits on the service desk — a tenant without its desk
/// on has none of it — and adds its pages to the desk's through the desk's ``DeskLinks``.
package enum PublicInfo {
    package static var migrations: [any Migration] {
        [
            CreatePublicInfo(), AddInfoDocuments(), AddFactChecks(), AddQASessions(), AddInfoPosts(), AddServiceForms(),
            AddConsultations(),
        ]
    }

    package static func setUp(_ app: Application) {
        ChannelAnswers.register(app)
        Posts.register(app)
        // A survey's form keeps its questions once citizens answered it.
        app.formUses.register { form, scope in
            let surveys = try await scope.query(Consultation.self).filter(\.$formID == form).all(\.$id).compactMap {
                $0
            }
            guard !surveys.isEmpty else { return false }
            return try await scope.query(ConsultationResponse.self).filter(\.$consultationID ~~ surveys).count() > 0
        }
        let links = app.deskLinks
        links.register(
            DeskLinks.Link(position: 5, label: "info.posts.link") { InfoRoute.posts($0).path }, on: .citizens)
        links.register(
            DeskLinks.Link(position: 9, label: "info.posts.editor_link") { InfoRoute.postEditor($0).path },
            on: .coordinators)
        links.register(
            DeskLinks.Link(position: 10, label: "info.services.link") { InfoRoute.services($0).path }, on: .citizens)
        links.register(
            DeskLinks.Link(position: 20, label: "info.documents.link") { InfoRoute.documents($0).path }, on: .citizens)
        links.register(
            DeskLinks.Link(position: 12, label: "info.documents.editor_link") { InfoRoute.documentEditor($0).path },
            on: .coordinators)
        links.register(
            DeskLinks.Link(position: 30, label: "info.facts.link") { InfoRoute.factChecks($0).path }, on: .citizens)
        links.register(
            DeskLinks.Link(position: 13, label: "info.facts.editor_link") { InfoRoute.factCheckEditor($0).path },
            on: .coordinators)
        links.register(
            DeskLinks.Link(position: 35, label: "info.voice.link") { InfoRoute.consultations($0).path }, on: .citizens)
        links.register(
            DeskLinks.Link(position: 15, label: "info.voice.editor_link") { InfoRoute.consultationEditor($0).path },
            on: .coordinators)
        links.register(
            DeskLinks.Link(position: 40, label: "info.qa.link") { InfoRoute.qaSessions($0).path }, on: .citizens)
        links.register(
            DeskLinks.Link(position: 14, label: "info.qa.editor_link") { InfoRoute.qaEditor($0).path },
            on: .coordinators)
        links.register(
            DeskLinks.Search(label: "info.ask.heading", hint: "info.ask.hint", button: "info.ask.submit") {
                InfoRoute.ask($0).path
            })
        links.register(
            DeskLinks.Link(position: 10, label: "info.editor.link") { InfoRoute.editor($0).path }, on: .coordinators)
        links.register(
            DeskLinks.Link(position: 11, label: "info.unanswered.title") { InfoRoute.unanswered($0).path },
            on: .coordinators)
    }

    package static var routes: [any RouteCollection] {
        [
            ServicePages(), ServiceEditor(), AnswererPages(), ServiceAPIRoutes(), DocumentPages(), DocumentAPIRoutes(),
            FactCheckPages(), FactCheckAPIRoutes(), QAPages(), QAAPIRoutes(), PostPages(), PostAPIRoutes(),
            ConsultationPages(), ConsultationEditor(), ConsultationAPIRoutes(),
        ]
    }
}

extension ModuleResources {
    /// The public information site's strings and API paths.
    public static var publicInfo: ModuleResources {
        get throws { try ModuleResources(module: "GotongPublicInfo", bundle: .module) }
    }
}

/// The demo's catalogue: BPSDM Jawa Barat's desk holds the thirty services of
/// `Resources/demo-services.json` (the same file the answerer's evaluation asks about).
package enum PublicInfoDemo {
    package static func seed(_ app: Application, on db: any Database) async throws {
        guard let tenant = try await Tenant.find(slug: "bpsdm-jabar", on: db) else { return }
        let scope = TenantScope(tenantID: try tenant.requireID(), db: db)
        if try await scope.query(InfoService.self).count() == 0 {
            for draft in try demoServices() {
                try await ServiceCatalogue.add(draft, in: scope, now: app.clock.now())
            }
        }
        try await seedSite(app, scope, now: app.clock.now())
    }

    /// The demo's services as drafts.
    package static func demoServices() throws -> [ServiceDraft] {
        guard let url = Bundle.module.url(forResource: "Resources/demo-services", withExtension: "json") else {
            throw Abort(.internalServerError, reason: "the demo services are missing from the build")
        }
        return try ServiceFile.read(Data(contentsOf: url))
    }
}

/// Services written as the API's JSON (an array of its bodies): the demo's, and the benchmark's.
package enum ServiceFile {
    package static func read(_ data: Data) throws -> [ServiceDraft] {
        try JSONDecoder().decode([ServiceAPIRoutes.ServiceInput].self, from: data).map(\.draft)
    }
}
