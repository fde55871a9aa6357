import Fluent
import FluentSQL
import Foundation
import GotongPlatform
import SQLKit

extension TenantScope {
    /// This tenant's `M`s that match `condition` (in `order`, at most `limit`), read with plain
    /// SQL and decoded as Fluent decodes them. For the hottest reads: Fluent's query builder
    /// builds, quotes and serialises a statement of every column on each call, which on a page
    /// of seven reads cost more than the database's answers (docs/performance.md). The tenant
    /// condition is added here, as ``query(_:)`` adds it; `condition` names columns as the
    /// table does and binds every value.
    public func rows<M: TenantOwned>(
        _ model: M.Type, where condition: SQLQueryString, order: String? = nil, limit: Int? = nil
    ) async throws -> [M] {
        let table = TableColumns.of(model)
        var sql: SQLQueryString = """
            SELECT \(unsafeRaw: table.columns) FROM \(unsafeRaw: M.schema) \
            WHERE \(unsafeRaw: table.tenantColumn) = \(bind: tenantID) AND (\(condition))
            """
        if let order { sql += " ORDER BY \(unsafeRaw: order)" }
        if let limit { sql += " LIMIT \(literal: limit)" }
        return try await db.sql.raw(sql).all().map { try $0.decode(fluentModel: M.self) }
    }
}

/// A read of one tenant's rows of `Model` that a hot page makes on every request, prepared
/// (``PreparedRead``): `SELECT <its columns> FROM <its table> WHERE <tenant> = $1 AND
/// (<condition>)`, the condition's values numbered from `$2`. ``TenantScope/read(_:)`` binds
/// the tenant, as ``TenantScope/rows(_:where:order:limit:)`` adds it.
public protocol TenantRowsRead: Sendable {
    associatedtype Model: TenantOwned
    /// Names columns as the table does; `$2` is the first of ``values``.
    static var condition: String { get }
    /// The values of `$2`, `$3`, … in that order.
    var values: [any PreparedValue] { get }
}

extension TenantScope {
    /// This tenant's rows that `read` names.
    public func read<R: TenantRowsRead>(_ read: R) async throws -> [R.Model] {
        try await db.read(TenantRows(tenantID: tenantID, read: read))
    }

    /// This tenant's rows that `a` and `b` name, in one statement (``Database/read(_:and:)``).
    public func read<A: TenantRowsRead, B: TenantRowsRead>(_ a: A, and b: B) async throws -> ([A.Model], [B.Model]) {
        try await db.read(TenantRows(tenantID: tenantID, read: a), and: TenantRows(tenantID: tenantID, read: b))
    }
}

/// A tenant's rows read as a ``PreparedRead``, the tenant as `$1`.
struct TenantRows<Read: TenantRowsRead>: CombinableRead {
    let tenantID: UUID
    let read: Read

    static var sql: String {
        let table = TableColumns.of(Read.Model.self)
        return
            "SELECT \(table.columns) FROM \(Read.Model.schema) WHERE \(table.tenantColumn) = $1 AND (\(Read.condition))"
    }

    var values: [any PreparedValue] { [tenantID] + read.values }

    static var columnCount: Int { TableColumns.of(Read.Model.self).keys.count }

    static func decode(_ columns: inout RowColumns) throws -> Read.Model {
        try columns.model(Read.Model.self, keys: TableColumns.of(Read.Model.self).keys)
    }
}

/// A model's column list and tenant column, worked out once per type.
enum TableColumns {
    struct Names: Sendable {
        let columns: String
        let tenantColumn: String
        /// The model's field keys, in the order of ``columns``.
        let keys: [FieldKey]
    }

    private static let kept = KeptPerType<Names>()

    static func of<M: TenantOwned>(_ model: M.Type) -> Names {
        kept.value(for: model) {
            let keys = M.keys
            return Names(
                columns: keys.map(\.description).joined(separator: ", "),
                tenantColumn: M.path(for: M.tenantKey).map(\.description).joined(separator: "."), keys: keys)
        }
    }
}
