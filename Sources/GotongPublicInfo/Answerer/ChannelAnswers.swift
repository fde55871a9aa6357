import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// The answerer on the desk's social channels: a question sent on WhatsApp, Instagram or X by
/// someone with no open case is answered from the catalogue when the answerer is sure — the
/// facts asked for, the service's page, and how to reach an officer — and becomes no case.
/// A question it is not sure of is kept for the officers and goes on to the desk as a case.
enum ChannelAnswers {
    static func register(_ app: Application) {
        let (kept, localizer, base, clock) = (app.keptCatalogues, app.localizer, app.gotong.baseURL, app.clock)
        app.channelAnswerer.register { scope, question in
            guard let tenant = try await Tenant.find(scope.tenantID, on: scope.db) else { return nil }
            let catalogue = try await ServiceCatalogue.current(scope, kept: kept)
            let texts = Texts(localizer, .id)
            let answers = Answers.of(question, slug: tenant.routeSlug, catalogue: catalogue, texts: texts)
            guard answers.confident, let best = answers.items.first else {
                try await Unanswered.record(question, in: scope, now: clock.now())
                return nil
            }
            return texts(
                "info.channel.answer", ["service": best.service.name, "text": best.text, "url": base + best.path])
        }
    }
}
