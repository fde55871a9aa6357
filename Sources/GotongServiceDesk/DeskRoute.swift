import GotongPlatform
import GotongTenancy
import Tagged

/// The web addresses of the service desk; notifications keep them (``StorableRoute``).
public enum DeskRoute: StorableRoute {
    public static let storageName = "desk"

    /// Public: the tenant's desk (GET: the report form and the tracker's lookup; POST: a
    /// report), the lookup by number and secret, a case as its citizen sees it, their reply.
    case desk(Param<TenantSlug>)
    case lookUp(Param<TenantSlug>)
    case citizenCase(Param<TenantSlug>, Param<CaseNumber>)
    case citizenReply(Param<TenantSlug>, Param<CaseNumber>)
    /// A file the citizen sent, to the citizen (`?kode=`) and to the officers who see the case.
    case citizenFile(Param<TenantSlug>, Param<CaseNumber>, Param<AttachmentID>)
    case officeFile(Param<TenantSlug>, Param<CaseNumber>, Param<AttachmentID>)
    /// The citizen rates the answer of their closed case, or reopens it (POST).
    case citizenRating(Param<TenantSlug>, Param<CaseNumber>)
    case citizenReopen(Param<TenantSlug>, Param<CaseNumber>)
    /// The public transparency tracker: the period's figures and the cases that may be shown.
    case tracker(Param<TenantSlug>)
    /// The tenant's administration of its desk (GET; POST: turn it on).
    case setup(Param<TenantSlug>)
    /// Its work units, their officers and the routing rules (GET; POST: add a unit), an
    /// officer added (POST), a rule added (POST), one of them removed (POST).
    case units(Param<TenantSlug>)
    case staff(Param<TenantSlug>)
    case rules(Param<TenantSlug>)
    case unitsRemove(Param<TenantSlug>)
    /// The data protection officer's lookup of who reported a case (`?nomor=`), recorded.
    case reporter(Param<TenantSlug>)
    /// The quick replies (GET; POST: add one), one removed (POST).
    case templates(Param<TenantSlug>)
    case templatesRemove(Param<TenantSlug>)
    /// The desk's holidays of a year (GET; POST: add one), one removed (POST).
    case holidays(Param<TenantSlug>)
    case holidaysRemove(Param<TenantSlug>)
    /// The dashboard (per tenant, or per unit), and its figures as CSV and XLSX.
    case dashboard(Param<TenantSlug>)
    case dashboardCSV(Param<TenantSlug>)
    case dashboardXLSX(Param<TenantSlug>)
    /// The social channels (GET; POST: connect one), one disconnected (POST).
    case channels(Param<TenantSlug>)
    case channelsRemove(Param<TenantSlug>)
    /// The channel's messages whose intake failed, tried again (POST).
    case channelsRetry(Param<TenantSlug>)
    /// The officers' queue, a case as officers see it, and their work on it (POST): a reply
    /// or an internal note, a step of its lifecycle, an assignment.
    case queue(Param<TenantSlug>)
    case officeCase(Param<TenantSlug>, Param<CaseNumber>)
    case officeWrite(Param<TenantSlug>, Param<CaseNumber>)
    case officeAction(Param<TenantSlug>, Param<CaseNumber>)
    case officeAssign(Param<TenantSlug>, Param<CaseNumber>)
    /// A reply the platform did not take, sent again (POST).
    case officeResend(Param<TenantSlug>, Param<CaseNumber>)
    /// The case merged as a duplicate into another (POST, `nomor`).
    case officeMerge(Param<TenantSlug>, Param<CaseNumber>)

    public var segments: [PathSegment] {
        switch self {
        case .desk(let t): ["layanan", .param(t)]
        case .lookUp(let t): Self.desk(t).segments + ["lacak"]
        case .citizenCase(let t, let n): Self.desk(t).segments + ["aduan", .param(n)]
        case .citizenReply(let t, let n): Self.citizenCase(t, n).segments + ["balas"]
        case .citizenFile(let t, let n, let f): Self.citizenCase(t, n).segments + ["lampiran", .param(f)]
        case .officeFile(let t, let n, let f): Self.officeCase(t, n).segments + ["lampiran", .param(f)]
        case .citizenRating(let t, let n): Self.citizenCase(t, n).segments + ["nilai"]
        case .citizenReopen(let t, let n): Self.citizenCase(t, n).segments + ["buka-kembali"]
        case .tracker(let t): Self.desk(t).segments + ["transparansi"]
        case .setup(let t): TenantDesk.tenant(t).segments + ["layanan"]
        case .units(let t): Self.setup(t).segments + ["unit"]
        case .staff(let t): Self.units(t).segments + ["petugas"]
        case .rules(let t): Self.units(t).segments + ["aturan"]
        case .unitsRemove(let t): Self.units(t).segments + ["hapus"]
        case .reporter(let t): Self.setup(t).segments + ["pelapor"]
        case .templates(let t): Self.setup(t).segments + ["templat"]
        case .templatesRemove(let t): Self.templates(t).segments + ["hapus"]
        case .holidays(let t): Self.setup(t).segments + ["libur"]
        case .holidaysRemove(let t): Self.holidays(t).segments + ["hapus"]
        case .dashboard(let t): Self.setup(t).segments + ["dasbor"]
        case .dashboardCSV(let t): Self.setup(t).segments + ["dasbor.csv"]
        case .dashboardXLSX(let t): Self.setup(t).segments + ["dasbor.xlsx"]
        case .channels(let t): Self.setup(t).segments + ["kanal"]
        case .channelsRemove(let t): Self.channels(t).segments + ["lepas"]
        case .channelsRetry(let t): Self.channels(t).segments + ["ulang"]
        case .queue(let t): Self.setup(t).segments + ["antrean"]
        case .officeCase(let t, let n): Self.setup(t).segments + ["aduan", .param(n)]
        case .officeWrite(let t, let n): Self.officeCase(t, n).segments + ["tulis"]
        case .officeAction(let t, let n): Self.officeCase(t, n).segments + ["tindakan"]
        case .officeAssign(let t, let n): Self.officeCase(t, n).segments + ["tugaskan"]
        case .officeResend(let t, let n): Self.officeCase(t, n).segments + ["kirim-ulang"]
        case .officeMerge(let t, let n): Self.officeCase(t, n).segments + ["gabung"]
        }
    }
}

/// The JSON API's addresses of the service desk.
public enum DeskAPIRoute: SiteRoute {
    /// A citizen's report (POST, no token).
    case cases(Param<TenantSlug>)
    /// A case as its citizen sees it (`?secret=`).
    case citizenCase(Param<TenantSlug>, Param<CaseNumber>)
    /// The citizen rates their closed case, or reopens it (POST, with the secret).
    case citizenRating(Param<TenantSlug>, Param<CaseNumber>)
    case citizenReopen(Param<TenantSlug>, Param<CaseNumber>)
    /// The citizen sends a file (POST, its bytes the body) or reads one (GET), with the secret.
    case citizenFiles(Param<TenantSlug>, Param<CaseNumber>)
    case citizenFile(Param<TenantSlug>, Param<CaseNumber>, Param<AttachmentID>)
    /// The officers' queue (bearer token), a case as they see it, a step of its lifecycle
    /// (POST), a message or note (POST), its assignee (PUT).
    case queue(Param<TenantSlug>)
    case officeCase(Param<TenantSlug>, Param<CaseNumber>)
    case officeActions(Param<TenantSlug>, Param<CaseNumber>)
    case officeMessages(Param<TenantSlug>, Param<CaseNumber>)
    case officeAssignee(Param<TenantSlug>, Param<CaseNumber>)
    /// The case merged as a duplicate into another (POST, `into`).
    case officeMerge(Param<TenantSlug>, Param<CaseNumber>)
    /// A file a citizen sent, to the officers who see the case.
    case officeFile(Param<TenantSlug>, Param<CaseNumber>, Param<AttachmentID>)
    /// The period's figures (public: counts and medians only).
    case stats(Param<TenantSlug>)
    /// A platform's webhook for the tenant (GET: its set-up handshake; POST: a delivery).
    case hook(Param<HookChannel>, Param<TenantSlug>)

    public var segments: [PathSegment] {
        switch self {
        case .cases(let t): ["api", "v1", "desk", .param(t), "cases"]
        case .citizenCase(let t, let n): Self.cases(t).segments + [.param(n)]
        case .citizenRating(let t, let n): Self.citizenCase(t, n).segments + ["rating"]
        case .citizenReopen(let t, let n): Self.citizenCase(t, n).segments + ["reopen"]
        case .citizenFiles(let t, let n): Self.citizenCase(t, n).segments + ["files"]
        case .citizenFile(let t, let n, let f): Self.citizenFiles(t, n).segments + [.param(f)]
        case .queue(let t): ["api", "v1", "desk", .param(t), "queue"]
        case .officeCase(let t, let n): Self.queue(t).segments + [.param(n)]
        case .officeActions(let t, let n): Self.officeCase(t, n).segments + ["actions"]
        case .officeMessages(let t, let n): Self.officeCase(t, n).segments + ["messages"]
        case .officeAssignee(let t, let n): Self.officeCase(t, n).segments + ["assignee"]
        case .officeMerge(let t, let n): Self.officeCase(t, n).segments + ["merge"]
        case .officeFile(let t, let n, let f): Self.officeCase(t, n).segments + ["files", .param(f)]
        case .stats(let t): ["api", "v1", "desk", .param(t), "stats"]
        case .hook(let c, let t): ["hooks", .param(c), .param(t)]
        }
    }
}

/// A platform in a webhook's address: `whatsapp`, `instagram`, `x` (the web is no platform).
public struct HookChannel: PathValue, Hashable {
    public static let parameterName = "channel"
    public let channel: DeskCase.Channel

    public init?(pathSegment: String) {
        guard let channel = DeskCase.Channel(rawValue: pathSegment), channel != .web else { return nil }
        self.channel = channel
    }

    public init(_ channel: DeskCase.Channel) { self.channel = channel }
    public var pathSegment: String { channel.rawValue }
}
