import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Synchronization
import Vapor

/// The marketplace search service: holds the process's ``CatalogIndex`` and keeps it fresh.
/// Every change to a course, its trainers or a tenant raises the shared `catalog_state` version
/// (see ``ModelChangeMiddleware``); a search checks that version at most every 200 ms and
/// rebuilds when it moved. Seat counts in the index (the "most enrolled" order) may lag by ten
/// minutes (a background refresh); the course page reads them through its own cache.
public final class CatalogSearch: Sendable {
    private struct State {
        var index: CatalogIndex?
        var lastCheck: ContinuousClock.Instant?
        var staleHere = false
        var building: Task<CatalogIndex, any Error>?
    }

    private let state = Mutex(State())
    private let afterBuildHook = Mutex<(@Sendable (CatalogIndex, any Database) async -> Void)?>(nil)
    private let lastHookVersion = Mutex<Int?>(nil)
    /// The latest after-build work, awaited by ``drain()``.
    private let lastHook = Mutex<Task<Void, Never>?>(nil)
    static let checkInterval: Duration = .milliseconds(200)

    /// Work to do after each build, in the background (reading course pages ahead).
    public var afterBuild: (@Sendable (CatalogIndex, any Database) async -> Void)? {
        get { afterBuildHook.withLock { $0 } }
        set { afterBuildHook.withLock { $0 = newValue } }
    }
    /// Seat counts (the "most enrolled" order) are refreshed this often when nothing else changed:
    /// a rebuild costs a second or two of CPU, too much to spend every minute for an order.
    static let refreshAge: TimeInterval = 600

    public init() {}

    /// Marks the index out of date after a change made by this process.
    public func markStale() {
        state.withLock { $0.staleHere = true }
    }

    /// The current index, rebuilt first when the catalogue changed.
    public func index(on db: any Database) async throws -> CatalogIndex {
        let now = ContinuousClock.now
        let (current, mustCheck) = state.withLock { s -> (CatalogIndex?, Bool) in
            let due = s.lastCheck.map { now - $0 >= Self.checkInterval } ?? true
            return (s.index, s.index == nil || s.staleHere || due)
        }
        if let current, !mustCheck { return current }
        let version = try await CatalogState.version(on: db)
        // The index as it is now, not as it was before the wait: another request may have
        // built the first one meanwhile (serving the earlier read's nil trapped).
        let fresh = state.withLock { s -> CatalogIndex? in
            s.lastCheck = now
            guard let index = s.index, !s.staleHere, index.version == version else { return nil }
            return index
        }
        guard let fresh else { return try await rebuild(on: db) }
        if Date().timeIntervalSince(fresh.builtAt) > Self.refreshAge {
            // Old but unchanged: serve it and refresh seat counts in the background.
            _ = startBuild(on: db)
        }
        return fresh
    }

    /// Waits for the build and the after-build work under way. The server calls it before it
    /// closes the databases: work that opens a connection on a closing pool leaks it (SQLite's
    /// driver then traps in debug builds), and its result would be thrown away anyway.
    package func drain() async {
        _ = try? await state.withLock({ $0.building })?.value
        await lastHook.withLock({ $0 })?.value
    }

    private func rebuild(on db: any Database) async throws -> CatalogIndex {
        try await startBuild(on: db).value
    }

    /// One build at a time; concurrent callers wait for the same one.
    private func startBuild(on db: any Database) -> Task<CatalogIndex, any Error> {
        state.withLock { s in
            if let running = s.building { return running }
            s.staleHere = false
            let task = Task { [weak self] () throws -> CatalogIndex in
                do {
                    let index = try await MarketplaceReader.load(on: db)
                    self?.state.withLock { s in
                        s.index = index
                        s.building = nil
                    }
                    // Work for a new version only: a refresh of seat counts changes nothing it reads.
                    if let hook = self?.afterBuild,
                        self?.lastHookVersion.withLock({ last in
                            defer { last = index.version }
                            return last != index.version
                        }) == true
                    {
                        let work = Task { await hook(index, db) }
                        self?.lastHook.withLock { $0 = work }
                    }
                    return index
                } catch {
                    self?.state.withLock { s in
                        s.building = nil
                        s.staleHere = true
                    }
                    throw error
                }
            }
            s.building = task
            return task
        }
    }
}

/// Reads the marketplace from the database: every published, curated course of an active
/// tenant. This is the catalogue's one cross-tenant read, which the marketplace exists for.
enum MarketplaceReader {
    /// The tenant a marketplace course belongs to, joined to its row.
    private struct TenantHead: Decodable {
        let tenant_slug: String
        let tenant_name: String
        let tenant_color: String
    }

    private struct Trainer: Decodable {
        let course_id: UUID
        let name: String
    }

    static func load(on db: any Database) async throws -> CatalogIndex {
        // Read the version first: a change landing during the load raises it again, so the
        // next search rebuilds rather than keep a half-new index.
        let version = try await CatalogState.version(on: db)
        let rows = try await db.sql.raw(
            """
            SELECT \(unsafeRaw: CourseRow.selectList("c")),
                   t.slug AS tenant_slug, t.name AS tenant_name, t.primary_color AS tenant_color
            FROM courses c JOIN tenants t ON t.id = c.tenant_id
            WHERE c.status = 'published' AND c.curation = 'approved' AND t.status = 'active' AND t.is_master = \
            \(bind: false)
            """
        ).all().map { (try $0.decode(model: CourseRow.self), try $0.decode(model: TenantHead.self)) }
        let trainers = try await db.sql.raw(
            """
            SELECT s.course_id, p.name FROM course_staff s JOIN people p ON p.id = s.person_id
            WHERE s.role = 'pengajar'
            """
        ).all(decoding: Trainer.self)
        let trainersByCourse = Dictionary(grouping: trainers, by: \.course_id)
        let entries = rows.compactMap { row, tenant -> CatalogEntry? in
            guard let competency = Course.CompetencyType(rawValue: row.competency_type),
                let method = Course.DeliveryMethod(rawValue: row.delivery_method),
                let audience = Course.Audience(rawValue: row.audience),
                let mode = Course.EnrolmentMode(rawValue: row.enrolment_mode)
            else { return nil }
            return CatalogEntry(
                courseID: row.id, tenantID: row.tenant_id, tenantSlug: tenant.tenant_slug,
                tenantName: tenant.tenant_name,
                tenantColor: tenant.tenant_color, slug: row.slug, title: row.title, summary: row.summary,
                tags: Course.tagList(row.tags),
                trainers: (trainersByCourse[row.id] ?? []).map(\.name).sorted(),
                competencyType: competency, deliveryMethod: method, microMinutes: row.micro_minutes, jp: row.jp,
                language: row.language, audience: audience,
                audienceTenantIDs: Course.tenantIDs(row.audience_tenants),
                enrolmentMode: mode, enrolOpensAt: row.enrol_opens_at, enrolClosesAt: row.enrol_closes_at,
                startsAt: row.starts_at, endsAt: row.ends_at, enrolledCount: row.enrolled_count,
                publishedAt: row.published_at ?? .distantPast
            )
        }
        return CatalogIndex(entries: entries, version: version)
    }
}

extension ModelChangeMiddleware {
    /// Raises the catalogue version whenever a course, a course's staff or a tenant is written,
    /// in the writer's own transaction, and tells this process's search at once. `onCreate` is
    /// off for tenants: a new tenant has no courses, and the master row is made before the
    /// catalogue's tables exist.
    package static func catalogue(search: CatalogSearch, version: CatalogVersion, onCreate: Bool = true) -> Self {
        Self(onCreate: onCreate) { _, db in try await CatalogVersion.changed(on: db, search: search, version: version) }
    }
}

extension ModelChangeMiddleware where M: TenantOwned {
    /// Raises the catalogue version when a tenant's category, page or setting is written (what
    /// its storefront shows besides courses), except the master template's: no storefront shows
    /// it, and its first rows are written before the catalogue's tables exist.
    package static func storefront(search: CatalogSearch, version: CatalogVersion) -> Self {
        let master = MasterTenantID()
        return Self { model, db in
            guard model[keyPath: M.tenantKey].value != (try await master.id(on: db)) else { return }
            try await CatalogVersion.changed(on: db, search: search, version: version)
        }
    }
}

extension CatalogVersion {
    /// A change to the catalogue: the version raised, this process's search and version told.
    static func changed(on db: any Database, search: CatalogSearch, version: CatalogVersion) async throws {
        try await CatalogState.bump(on: db)
        search.markStale()
        version.forget()
    }
}

/// The master template tenant's id, read from the database the first time it is asked for.
final class MasterTenantID: Sendable {
    private let known = Mutex<UUID?>(nil)

    func id(on db: any Database) async throws -> UUID? {
        if let id = known.withLock({ $0 }) { return id }
        let id = try await Tenant.query(on: db).filter(\.$isMaster == true).first()?.id
        known.withLock { $0 = id }
        return id
    }
}

extension Application {
    private struct CatalogSearchKey: StorageKey { typealias Value = CatalogSearch }

    /// This process's marketplace search.
    public var catalogSearch: CatalogSearch {
        if let existing = storage[CatalogSearchKey.self] { return existing }
        let search = CatalogSearch()
        storage[CatalogSearchKey.self] = search
        return search
    }
}

/// Lets the catalogue's background work end before the databases close (see ``CatalogSearch/drain()``).
struct CatalogSearchDrain: LifecycleHandler {
    func shutdownAsync(_ app: Application) async {
        await app.catalogSearch.drain()
    }
}
