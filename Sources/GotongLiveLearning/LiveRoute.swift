import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Tagged

extension LiveEpisode {
    /// The tag of an episode's number in an address: `/t/lan/live/live-learning/12`.
    public enum Number: PathTag { public static let parameterName = "episodeNumber" }
}
public typealias EpisodeNumber = Tagged<LiveEpisode.Number, Int>

/// The web addresses of Live Learning; notifications keep them (``StorableRoute``).
public enum LiveRoute: StorableRoute {
    public static let storageName = "live"

    /// Public: the tenant's programmes, one programme with its episodes, its calendar feed,
    /// an episode's page.
    case programmes(Param<TenantSlug>)
    case programme(Param<TenantSlug>, Param<ProgrammeSlug>)
    case calendar(Param<TenantSlug>, Param<ProgrammeSlug>)
    case episode(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    /// A signed-in civil servant claims attendance (GET: the form; POST: the claim).
    case claim(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    /// A signed-in person asks to be reminded of an episode (POST), or takes that back.
    case register(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    case unregister(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    /// The desk: programmes (GET: list; POST: a new one), one programme (GET; POST: its
    /// settings), a new episode, the figures import, the effectiveness view and its files.
    case desk(Param<TenantSlug>)
    case deskProgramme(Param<TenantSlug>, Param<ProgrammeSlug>)
    case newEpisode(Param<TenantSlug>, Param<ProgrammeSlug>)
    case importFigures(Param<TenantSlug>, Param<ProgrammeSlug>)
    case effectiveness(Param<TenantSlug>, Param<ProgrammeSlug>)
    case effectivenessCSV(Param<TenantSlug>, Param<ProgrammeSlug>)
    case effectivenessXLSX(Param<TenantSlug>, Param<ProgrammeSlug>)
    /// One episode at the desk (GET; POST: its details), its figures, the host's code screen,
    /// and its claims as CSV.
    case deskEpisode(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    case figures(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>, Param<LivePlatform>)
    case hostCode(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    case claimsCSV(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)

    public var segments: [PathSegment] {
        switch self {
        case .programmes(let t): TenancyRoute.pages(t).segments + ["live"]
        case .programme(let t, let p): Self.programmes(t).segments + [.param(p)]
        case .calendar(let t, let p): Self.programme(t, p).segments + ["kalender.ics"]
        case .episode(let t, let p, let n): Self.programme(t, p).segments + [.param(n)]
        case .claim(let t, let p, let n): Self.episode(t, p, n).segments + ["hadir"]
        case .register(let t, let p, let n): Self.episode(t, p, n).segments + ["daftar"]
        case .unregister(let t, let p, let n): Self.episode(t, p, n).segments + ["daftar", "batal"]
        case .desk(let t): TenantDesk.tenant(t).segments + ["live"]
        case .deskProgramme(let t, let p): Self.desk(t).segments + [.param(p)]
        case .newEpisode(let t, let p): Self.deskProgramme(t, p).segments + ["episode-baru"]
        case .importFigures(let t, let p): Self.deskProgramme(t, p).segments + ["impor"]
        case .effectiveness(let t, let p): Self.deskProgramme(t, p).segments + ["efektivitas"]
        case .effectivenessCSV(let t, let p): Self.deskProgramme(t, p).segments + ["efektivitas.csv"]
        case .effectivenessXLSX(let t, let p): Self.deskProgramme(t, p).segments + ["efektivitas.xlsx"]
        case .deskEpisode(let t, let p, let n): Self.deskProgramme(t, p).segments + [.param(n)]
        case .figures(let t, let p, let n, let f): Self.deskEpisode(t, p, n).segments + ["angka", .param(f)]
        case .hostCode(let t, let p, let n): Self.deskEpisode(t, p, n).segments + ["kode"]
        case .claimsCSV(let t, let p, let n): Self.deskEpisode(t, p, n).segments + ["klaim.csv"]
        }
    }
}

/// The JSON API's addresses of Live Learning.
public enum LiveAPIRoute: SiteRoute {
    case programmes(Param<TenantSlug>)
    case programme(Param<TenantSlug>, Param<ProgrammeSlug>)
    case episodes(Param<TenantSlug>, Param<ProgrammeSlug>)
    case episode(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    case figures(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>, Param<LivePlatform>)
    case claims(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    case importFigures(Param<TenantSlug>, Param<ProgrammeSlug>)
    case effectiveness(Param<TenantSlug>, Param<ProgrammeSlug>)
    /// The caller claims attendance.
    case claim(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)
    /// The caller's registration for the episode's reminder (GET, PUT, DELETE).
    case registration(Param<TenantSlug>, Param<ProgrammeSlug>, Param<EpisodeNumber>)

    public var segments: [PathSegment] {
        switch self {
        case .programmes(let t): TenancyRoute.api(t).segments + ["live", "programmes"]
        case .programme(let t, let p): Self.programmes(t).segments + [.param(p)]
        case .episodes(let t, let p): Self.programme(t, p).segments + ["episodes"]
        case .episode(let t, let p, let n): Self.episodes(t, p).segments + [.param(n)]
        case .figures(let t, let p, let n, let f): Self.episode(t, p, n).segments + ["figures", .param(f)]
        case .claims(let t, let p, let n): Self.episode(t, p, n).segments + ["claims"]
        case .importFigures(let t, let p): Self.programme(t, p).segments + ["import"]
        case .effectiveness(let t, let p): Self.programme(t, p).segments + ["effectiveness"]
        case .claim(let t, let p, let n): Self.episode(t, p, n).segments + ["claim"]
        case .registration(let t, let p, let n): Self.episode(t, p, n).segments + ["registration"]
        }
    }
}

extension LivePlatform: PathAction {}
