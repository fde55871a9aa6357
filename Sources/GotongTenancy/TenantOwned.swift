import Fluent
import SQLKit
import Foundation
import GotongPlatform
import Vapor

/// A kind of data that belongs to one tenant. Its table carries `tenant_id`, its indexes lead with
/// it, and it is read and written only through a ``TenantScope``.
public protocol TenantOwned: Model where IDValue == UUID {
    static var tenantKey: KeyPath<Self, FieldProperty<Self, UUID>> { get }
}

/// The only path to tenant-owned rows: every query made here is filtered to one tenant, so a
/// record id from another tenant simply is not found.
public struct TenantScope: Sendable {
    public let tenantID: UUID
    public let db: any Database

    public init(tenantID: UUID, db: any Database) {
        self.tenantID = tenantID
        self.db = db
    }

    public func query<M: TenantOwned>(_ model: M.Type) -> QueryBuilder<M> {
        M.query(on: db).filter(M.tenantKey == tenantID)
    }

    public func find<M: TenantOwned>(_ model: M.Type, _ id: UUID?) async throws -> M? {
        guard let id else { return nil }
        return try await query(model).filter(\._$id == id).first()
    }

    /// Finds a record of this tenant or answers 404, never revealing that it exists elsewhere.
    public func require<M: TenantOwned>(_ model: M.Type, _ id: UUID?) async throws -> M {
        guard let found = try await find(model, id) else { throw Abort(.notFound) }
        return found
    }

    /// A record of this tenant read again inside a transaction with its row held until the
    /// transaction ends (PostgreSQL: `FOR UPDATE`; SQLite's one writer at a time does the
    /// same), so two changes of it take turns and each decides on what the other left.
    public func locked<M: TenantOwned>(_ model: M.Type, _ id: UUID) async throws -> M? {
        if !db.isSQLite {
            try await db.sql.raw(
                "SELECT id FROM \(ident: M.schema) WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) FOR UPDATE"
            ).run()
        }
        return try await find(model, id)
    }
}
