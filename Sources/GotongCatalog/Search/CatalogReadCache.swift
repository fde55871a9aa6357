import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Synchronization
import Vapor

/// The catalogue's version as this process last saw it, read from the database at most every
/// 200 ms (``VersionCheck``): what every catalogue read cache compares against. The version
/// rises with every change to a course, its staff or a tenant (``ModelChangeMiddleware``), in any
/// process.
public final class CatalogVersion: Sendable {
    private let check = VersionCheck()

    public init() {}

    public func current(on db: any Database) async throws -> Int {
        try await check.current { try await CatalogState.version(on: db) }
    }

    /// After a change made here, the next read asks the database again.
    public func forget() { check.forget() }
}

/// A small per-process cache of catalogue reads (a tenant by slug, a course page's data),
/// valid while the catalogue version is unchanged and for at most `maxAge` (seat counts move
/// without changing the version). Derived state only: every process holds its own.
public final class CatalogReadCache<Value: Sendable>: @unchecked Sendable {
    fileprivate struct Entry { let version: AnyHashable; let storedAt: ContinuousClock.Instant; let value: Value }
    // Guarded by `lock`.
    fileprivate var entries: [String: Entry] = [:]
    fileprivate let lock = NSLock()
    let maxAge: Duration
    let capacity: Int

    public init(maxAge: Duration, capacity: Int) {
        self.maxAge = maxAge
        self.capacity = capacity
    }

    /// The cached value for `key`, or `load`'s, which is then kept. A nil from `load` is not kept.
    /// `isFresh` can refuse a hit for reasons of its own (a seat taken here since).
    public func value(
        _ key: String, version: AnyHashable, isFresh: (Value) -> Bool = { _ in true },
        load: () async throws -> Value?
    ) async throws -> Value? {
        let now = ContinuousClock.now
        let hit: Value? = lock.withLock {
            guard let entry = entries[key], entry.version == version, now - entry.storedAt < maxAge else { return nil }
            return entry.value
        }
        if let hit, isFresh(hit) { return hit }
        guard let value = try await load() else { return nil }
        lock.withLock {
            // Full: start over rather than track use; the next reads refill what is popular.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(version: version, storedAt: now, value: value)
        }
        return value
    }
}

extension CatalogReadCache {
    /// Keeps many values at once, read together (a warm start after the catalogue changed).
    public func store(_ values: [String: Value], version: AnyHashable) {
        let now = ContinuousClock.now
        lock.withLock {
            if entries.count + values.count > capacity { entries.removeAll(keepingCapacity: true) }
            for (key, value) in values { entries[key] = Entry(version: version, storedAt: now, value: value) }
        }
    }
}

/// Seat changes of courses made by this process, by course: a cached course page is good only
/// while its course's count here is unchanged (changes in other processes show within the
/// cache's age limit).
enum SeatChanges {
    private static let counts = Mutex([UUID: Int]())

    static func bump(_ courseID: UUID) { counts.withLock { $0[courseID, default: 0] += 1 } }
    static func count(_ courseID: UUID) -> Int { counts.withLock { $0[courseID] ?? 0 } }
}

/// A tenant's row as the cache keeps it; each request gets its own ``Tenant`` made from it, so
/// a handler that changes and saves its tenant never touches another request's.
struct TenantSnapshot: Sendable {
    let id: UUID
    let slug: String, name: String, kind: Tenant.Kind, description: String, tagline: String, primaryColor: String
    let logoPath: String?, contactEmail: String, contactPhone: String, address: String, website: String
    let status: Tenant.Status, isMaster: Bool, createdAt: Date?, updatedAt: Date?

    init(_ t: Tenant) {
        id = t.id!; slug = t.slug; name = t.name; kind = t.kind; description = t.description; tagline = t.tagline
        primaryColor = t.primaryColor; logoPath = t.logoPath; contactEmail = t.contactEmail;
        contactPhone = t.contactPhone
        address = t.address; website = t.website; status = t.status; isMaster = t.isMaster; createdAt = t.createdAt;
        updatedAt = t.updatedAt
    }

    func model() -> Tenant {
        let t = Tenant()
        t.id = id; t.slug = slug; t.name = name; t.kind = kind; t.description = description; t.tagline = tagline
        t.primaryColor = primaryColor; t.logoPath = logoPath; t.contactEmail = contactEmail;
        t.contactPhone = contactPhone
        t.address = address; t.website = website; t.status = status; t.isMaster = isMaster
        t.createdAt = createdAt; t.updatedAt = updatedAt
        t.$id.exists = true
        return t
    }
}

extension Application {
    private struct CatalogVersionKey: StorageKey { typealias Value = CatalogVersion }
    private struct TenantCacheKey: StorageKey { typealias Value = CatalogReadCache<TenantSnapshot> }

    public var catalogVersion: CatalogVersion {
        guard let version = storage[CatalogVersionKey.self] else {
            fatalError("catalogue caches are set up in configure")
        }
        return version
    }

    var tenantCache: CatalogReadCache<TenantSnapshot> {
        guard let cache = storage[TenantCacheKey.self] else { fatalError("catalogue caches are set up in configure") }
        return cache
    }

    /// Made once, before the server takes requests.
    package func setUpCatalogCaches() {
        storage[CatalogVersionKey.self] = CatalogVersion()
        storage[TenantCacheKey.self] = CatalogReadCache(maxAge: .seconds(30), capacity: 5000)
        setUpStorefrontCache()
        // Course pages of other processes' seat changes may lag by this much; this process's own
        // show at once (``SeatChanges``).
        let coursePages = CatalogReadCache<CoursePageData>(maxAge: .seconds(90), capacity: 100_000)
        storage[CoursePageCacheKey.self] = coursePages
        // After each build of the marketplace index, its course pages are read in one go.
        tenantLookup = { slug, req in try await Tenant.cached(slug: slug, on: req) }
        lifecycle.use(CatalogSearchDrain())
        catalogSearch.afterBuild = { index, db in
            do { coursePages.store(try await CoursePageData.loadMarketplace(on: db), version: index.version) } catch {
                db.logger.error("course pages could not be read ahead: \(String(describing: error))")
            }
        }
    }

    struct CoursePageCacheKey: StorageKey { typealias Value = CatalogReadCache<CoursePageData> }

    var coursePageCache: CatalogReadCache<CoursePageData> {
        guard let cache = storage[CoursePageCacheKey.self] else {
            fatalError("catalogue caches are set up in configure")
        }
        return cache
    }
}

extension Tenant {
    /// The tenant with this slug, from the process's cache when the catalogue has not changed.
    static func cached(slug: String, on req: Request) async throws -> Tenant? {
        guard isValidSlug(slug) else { return nil }
        let version = try await req.application.catalogVersion.current(on: req.database)
        return try await req.application.tenantCache.value(slug, version: version) {
            try await Tenant.find(slug: slug, on: req.database).map(TenantSnapshot.init)
        }?.model()
    }
}
