import GotongPlatform
import GotongTenancy

/// The web addresses of the service desk.
public enum DeskRoute: SiteRoute {
    /// Public: the tenant's desk (GET: the report form and the tracker's lookup; POST: a
    /// report), the lookup by number and secret, a case as its citizen sees it, their reply.
    case desk(Param<TenantSlug>)
    case lookUp(Param<TenantSlug>)
    case citizenCase(Param<TenantSlug>, Param<CaseNumber>)
    case citizenReply(Param<TenantSlug>, Param<CaseNumber>)
    /// The tenant's administration of its desk (GET; POST: turn it on).
    case setup(Param<TenantSlug>)

    public var segments: [PathSegment] {
        switch self {
        case .desk(let t): ["layanan", .param(t)]
        case .lookUp(let t): Self.desk(t).segments + ["lacak"]
        case .citizenCase(let t, let n): Self.desk(t).segments + ["aduan", .param(n)]
        case .citizenReply(let t, let n): Self.citizenCase(t, n).segments + ["balas"]
        case .setup(let t): TenantDesk.tenant(t).segments + ["layanan"]
        }
    }
}

/// The JSON API's addresses of the service desk.
public enum DeskAPIRoute: SiteRoute {
    /// A citizen's report (POST, no token).
    case cases(Param<TenantSlug>)
    /// A case as its citizen sees it (`?secret=`).
    case citizenCase(Param<TenantSlug>, Param<CaseNumber>)

    public var segments: [PathSegment] {
        switch self {
        case .cases(let t): ["api", "v1", "desk", .param(t), "cases"]
        case .citizenCase(let t, let n): Self.cases(t).segments + [.param(n)]
        }
    }
}
