import Fluent
import Foundation
import GotongPlatform
import Vapor

/// What a cloner gets while a new tenant is provisioned: the transaction, the master and the new
/// tenant, and a map of master ids to new ids so that later kinds can re-point their references
/// (a section to its cloned course, say).
public final class TenantCloneContext: @unchecked Sendable {
    public let db: any Database
    public let masterID: UUID
    public let tenantID: UUID
    // Only touched sequentially inside one provisioning transaction.
    private var idMap: [UUID: UUID] = [:]

    init(db: any Database, masterID: UUID, tenantID: UUID) {
        self.db = db
        self.masterID = masterID
        self.tenantID = tenantID
    }

    /// The new id for a master row's id, made on first ask and stable after.
    public func newID(for masterRowID: UUID) -> UUID {
        if let existing = idMap[masterRowID] { return existing }
        let fresh = UUID()
        idMap[masterRowID] = fresh
        return fresh
    }
}

/// One kind of tenant-owned data that is copied from the master template into every new tenant.
/// Modules register theirs at start-up; Tenancy never needs to know what they are.
public protocol TenantCloner: Sendable {
    var name: String { get }
    func clone(_ context: TenantCloneContext) async throws
}

/// The registered cloners, run in registration order (register parents before children).
public final class TenantCloneRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var cloners: [any TenantCloner] = []

    public init() {}

    public func register(_ cloner: any TenantCloner) {
        lock.withLock { cloners.append(cloner) }
    }

    public var all: [any TenantCloner] { lock.withLock { cloners } }
}

/// Clones every row of a simple tenant-owned model: same fields, new id, new tenant.
/// `copy` makes the new row from the master row; `tenant_id` and the id are set here; `remap`
/// re-points references to other cloned rows (`context.newID(for:)`).
public struct ModelCloner<M: TenantOwned>: TenantCloner {
    public let name: String
    private let copy: @Sendable (M) -> M
    private let remap: (@Sendable (_ master: M, _ copy: M, TenantCloneContext) -> Void)?

    public init(
        _ name: String, copy: @escaping @Sendable (M) -> M,
        remap: (@Sendable (_ master: M, _ copy: M, TenantCloneContext) -> Void)? = nil
    ) {
        self.name = name
        self.copy = copy
        self.remap = remap
    }

    public func clone(_ context: TenantCloneContext) async throws {
        let rows = try await TenantScope(tenantID: context.masterID, db: context.db).query(M.self).all()
        guard !rows.isEmpty else { return }
        let copies = try rows.map { row -> M in
            let new = copy(row)
            new.id = context.newID(for: try row.requireID())
            new[keyPath: M.tenantKey].value = context.tenantID
            remap?(row, new, context)
            return new
        }
        try await copies.create(on: context.db)
    }
}

extension Application {
    private struct ClonersKey: StorageKey { typealias Value = TenantCloneRegistry }

    /// Every kind of data cloned from the master template into a new tenant.
    public var tenantCloners: TenantCloneRegistry {
        if let existing = storage[ClonersKey.self] { return existing }
        let registry = TenantCloneRegistry()
        storage[ClonersKey.self] = registry
        return registry
    }
}
