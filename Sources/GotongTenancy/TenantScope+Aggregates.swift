import Fluent
import Foundation
import SQLKit

/// Aggregates Fluent's query builder does not offer — counts grouped by columns, a median —
/// still only over one tenant's rows (`tenant_id` is the first condition, as its indexes lead
/// with it). For dashboards over a tenant's hundred thousand rows, where loading the rows as
/// models would take seconds.
extension TenantScope {
    public typealias Conditions = @Sendable (SQLSelectBuilder) -> SQLSelectBuilder

    /// The tenant's rows (meeting `conditions`) grouped by `columns`: each group's values under
    /// the columns' names, its size as `n`, and for each of `nonNull` how many of the group
    /// have it, as `n_<column>`. One pass over the rows for several breakdowns at once.
    public func groups<M: TenantOwned>(
        _ model: M.Type, by columns: [String], nonNull: [String] = [], where conditions: Conditions = { $0 }
    ) async throws -> [any SQLRow] {
        var select = db.sql.select()
        for column in columns { select = select.column(SQLIdentifier(column)) }
        select = select.column(SQLFunction("count", args: SQLLiteral.all), as: "n")
        for column in nonNull {
            select = select.column(SQLFunction("count", args: SQLIdentifier(column)), as: "n_" + column)
        }
        select = conditions(select.from(M.schema).where("tenant_id", .equal, SQLBind(tenantID)))
        for column in columns { select = select.groupBy(SQLIdentifier(column)) }
        return try await select.all()
    }

    /// The median of `column` over the tenant's rows that have it (and meet `conditions`): the
    /// middle value, or the mean of the two middle ones; nil when none has it. Two statements:
    /// the count, then the middle rows in the column's order.
    public func median<M: TenantOwned>(
        _ model: M.Type, of column: String, where conditions: Conditions = { $0 }
    ) async throws -> Double? {
        let counted = db.sql.select().column(SQLFunction("count", args: SQLIdentifier(column)), as: "n")
            .from(M.schema).where("tenant_id", .equal, SQLBind(tenantID))
        let n = try await conditions(counted).first(decodingColumn: "n", as: Int.self) ?? 0
        guard n > 0 else { return nil }
        let middle = db.sql.select().column(SQLIdentifier(column), as: "value").from(M.schema)
            .where("tenant_id", .equal, SQLBind(tenantID)).where(SQLIdentifier(column), .isNot, SQLLiteral.null)
        let values = try await conditions(middle).orderBy(SQLIdentifier(column)).limit(n % 2 == 0 ? 2 : 1)
            .offset((n - 1) / 2).all().map { try $0.decode(column: "value", as: Double.self) }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
