import Fluent
import GotongPlatform
import Vapor

/// The front page: the institutions whose storefronts are open.
package struct HomeRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(TenancyRoute.home, use: home)
    }

    struct HomeModel: Sendable {
        struct Card: Sendable {
            let url: String
            let name: String
            let kind: String
            let tagline: String
            let color: String
        }
        let tenants: [Card]
    }

    func home(req: Request) async throws -> Response {
        let tenants = try await Tenant.listed(on: req.database).filter(\.$status == .active).sort(\.$name).limit(200)
            .all()
        let cards = tenants.map {
            HomeModel.Card(
                url: TenancyRoute.pages($0.routeSlug).path, name: $0.name,
                kind: req.t("tenant.kind.\($0.kind.rawValue)"), tagline: $0.tagline,
                color: $0.primaryColor)
        }
        return try await req.render(HomeModel(tenants: cards), title: "home.title", brand: nil)
    }
}
