import Foundation
import GotongPlatform
import Tagged
import Vapor

extension Tenant: PathTag {
    /// A tenant travels in an address by its slug (`/t/{tenantSlug}`), never by its id.
    public static let parameterName = "tenantSlug"
}

/// A tenant's slug in an address: `/t/bppk`.
public typealias TenantSlug = Tagged<Tenant, String>

extension Tenant {
    /// This tenant's slug, for the routes of its pages.
    public var routeSlug: Param<TenantSlug> { .value(TenantSlug(rawValue: slug)) }
}

/// The two homes of everything a tenant owns: its pages under `/t/{tenantSlug}` and its part of
/// the API under `/api/v1/tenants/{tenantSlug}`. Every module's tenant routes start with one
/// of them, and ``TenantResolver`` reads the slug they carry.
public enum TenancyRoute: SiteRoute {
    case pages(Param<TenantSlug>)
    case api(Param<TenantSlug>)

    public var segments: [PathSegment] {
        switch self {
        case .pages(let tenant): ["t", .param(tenant)]
        case .api(let tenant): ["api", "v1", "tenants", .param(tenant)]
        }
    }
}

extension RoutesBuilder {
    /// The routes under a tenant's pages (`/t/{tenantSlug}/…`), its tenant resolved.
    package func tenantPages() -> any RoutesBuilder {
        grouped(TenancyRoute.pages(.key).pathComponents).grouped(TenantResolver())
    }

    /// The routes under a tenant's part of the API (`/api/v1/tenants/{tenantSlug}/…`).
    package func tenantAPI() -> any RoutesBuilder {
        grouped(TenancyRoute.api(.key).pathComponents).grouped(TenantResolver())
    }

    /// A group whose routes are registered with their whole typed path (middleware only).
    package func resolvingTenant() -> any RoutesBuilder { grouped(TenantResolver()) }
}
