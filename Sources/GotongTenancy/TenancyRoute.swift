import Foundation
import GotongPlatform
import Tagged
import Vapor

extension Tenant {
    /// The tag of a tenant's slug: a tenant travels in an address by its slug
    /// (`/t/{tenantSlug}`), never by its id.
    public enum Slug: PathTag { public static let parameterName = "tenantSlug" }
}

/// A tenant's slug in an address: `/t/bppk`.
public typealias TenantSlug = Tagged<Tenant.Slug, String>
/// A tenant's id, across module boundaries (not an address: tenants travel by slug).
public typealias TenantID = Tagged<Tenant, UUID>

extension Tenant {
    /// This tenant's slug, for the routes of its pages.
    public var routeSlug: Param<TenantSlug> { .value(TenantSlug(rawValue: slug)) }
}

extension TenantPage: PathTag { public static let parameterName = "pageKey" }
/// A standard page's key (`tentang`, `kontak`) in an address.
public typealias PageKey = Tagged<TenantPage, String>

extension TenantCategory: PathTag { public static let parameterName = "categoryID" }
/// A course category's id.
public typealias CategoryID = Tagged<TenantCategory, UUID>

/// Where a tenant is managed: its administrators' desk `/t/{tenantSlug}/kelola`, or the master
/// template's `/admin/master` (tenant-shaped, so the same pages serve both).
public enum TenantDesk: Sendable, Codable {
    case tenant(Param<TenantSlug>)
    case master

    /// The desk of `tenant`.
    public init(_ tenant: Tenant) {
        self = tenant.isMaster ? .master : .tenant(tenant.routeSlug)
    }

    public var segments: [PathSegment] {
        switch self {
        case .tenant(let tenant): TenancyRoute.pages(tenant).segments + ["kelola"]
        case .master: ["admin", "master"]
        }
    }
}

/// Every address of Tenancy, as a value: a tenant's homes (`/t/{tenantSlug}` and
/// `/api/v1/tenants/{tenantSlug}`, which every module's tenant routes start from and
/// ``TenantResolver`` reads), its standard pages, its desk's editor, and platform
/// administration.
public enum TenancyRoute: SiteRoute {
    case home
    case pages(Param<TenantSlug>)
    case api(Param<TenantSlug>)
    case page(Param<TenantSlug>, Param<PageKey>)
    case logo(Param<TenantSlug>)
    case join(Param<TenantSlug>)
    /// The editor of profile, branding and settings (shown and saved at the desk itself).
    case desk(TenantDesk)
    case savePage(TenantDesk, Param<PageKey>)
    case categories(TenantDesk)
    case deleteCategory(TenantDesk, Param<CategoryID>)
    case admin
    case adminTenants
    case tenantStatus(Param<TenantSlug>)
    /// What to do next with an institution just created: `/admin/instansi/{slug}`.
    case tenantCreated(Param<TenantSlug>)
    case platformAudit
    case apiTenants

    public var segments: [PathSegment] {
        switch self {
        case .home: []
        case .pages(let t): ["t", .param(t)]
        case .api(let t): Self.apiTenants.segments + [.param(t)]
        case .page(let t, let key): Self.pages(t).segments + ["halaman", .param(key)]
        case .logo(let t): Self.pages(t).segments + ["logo"]
        case .join(let t): Self.pages(t).segments + ["gabung"]
        case .desk(let desk): desk.segments
        case .savePage(let desk, let key): desk.segments + ["halaman", .param(key)]
        case .categories(let desk): desk.segments + ["kategori"]
        case .deleteCategory(let desk, let c): Self.categories(desk).segments + [.param(c), "hapus"]
        case .admin: ["admin"]
        case .adminTenants: ["admin", "instansi"]
        case .tenantStatus(let t): Self.adminTenants.segments + [.param(t), "status"]
        case .tenantCreated(let t): Self.adminTenants.segments + [.param(t)]
        case .platformAudit: ["admin", "audit"]
        case .apiTenants: ["api", "v1", "tenants"]
        }
    }
}

extension RoutesBuilder {
    /// A group whose routes are registered with their whole typed path (middleware only).
    package func resolvingTenant() -> any RoutesBuilder { grouped(TenantResolver()) }
}
