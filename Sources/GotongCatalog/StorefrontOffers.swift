import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Something a tenant offers besides courses, as its storefront lists it: a heading (a
/// catalogue key) and links (Live Learning: the tenant's programmes).
public struct StorefrontOffer: Sendable {
    public let heading: String
    public let links: [(title: String, url: String)]

    public init(heading: String, links: [(title: String, url: String)]) {
        self.heading = heading
        self.links = links
    }
}

/// The offers modules above the catalogue registered. Catalog cannot name them; each module
/// adds its own. They are read with the storefront's kept content, so a module raises the
/// catalogue version when what it offers changes (``ModelChangeMiddleware/storefront(search:version:)``).
public final class StorefrontOffers: @unchecked Sendable {
    public typealias Load = @Sendable (_ tenant: Tenant, _ db: any Database) async throws -> StorefrontOffer?
    private let lock = NSLock()
    private var loads: [Load] = []

    public func register(_ load: @escaping Load) { lock.withLock { loads.append(load) } }

    /// The tenant's offers, in the order modules registered them; none where a module has nothing.
    func offers(of tenant: Tenant, on db: any Database) async throws -> [StorefrontOffer] {
        var offers: [StorefrontOffer] = []
        for load in lock.withLock({ loads }) {
            if let offer = try await load(tenant, db), !offer.links.isEmpty { offers.append(offer) }
        }
        return offers
    }
}

extension Application {
    private struct StorefrontOffersKey: StorageKey { typealias Value = StorefrontOffers }

    public var storefrontOffers: StorefrontOffers {
        if let offers = storage[StorefrontOffersKey.self] { return offers }
        let offers = StorefrontOffers()
        storage[StorefrontOffersKey.self] = offers
        return offers
    }
}
