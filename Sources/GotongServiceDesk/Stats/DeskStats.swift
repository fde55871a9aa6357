import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit

/// A desk's figures over a period, for its dashboard, its public tracker and the stats API:
/// cases in (reported in the period) by channel, category and current status; cases closed in
/// the period and their citizens' satisfaction; the cases open and past their deadline now;
/// and the median working days to verify and to close. Counted by the database over the
/// tenant's rows (a year of a big desk is a hundred thousand), optionally of one unit.
struct DeskStats: Sendable {
    var from: Date
    var to: Date
    var received = 0
    var closed = 0
    var overdue = 0
    var medianVerifyDays: Double?
    var medianCloseDays: Double?
    var rating: Double?
    var ratings = 0
    var byChannel: [DeskCase.Channel: Int] = [:]
    var byCategory: [UUID: Int] = [:]
    var closedByCategory: [UUID: Int] = [:]
    var byStatus: [DeskCase.Status: Int] = [:]

    static func load(
        _ scope: TenantScope, from: Date, to: Date, unit: UUID?, dayLength: TimeInterval, now: Date
    ) async throws -> DeskStats {
        var stats = DeskStats(from: from, to: to)
        let unitOnly: TenantScope.Conditions = { select in
            unit.map { select.where("unit_id", .equal, SQLBind($0)) } ?? select
        }
        let reported: TenantScope.Conditions = { select in
            unitOnly(select).where("created_at", .greaterThanOrEqual, SQLBind(from))
                .where("created_at", .lessThan, SQLBind(to))
        }
        let finished: TenantScope.Conditions = { select in
            unitOnly(select).where("closed_at", .greaterThanOrEqual, SQLBind(from))
                .where("closed_at", .lessThan, SQLBind(to))
        }
        for (raw, n) in try await scope.counts(DeskCase.self, by: "channel", as: String.self, where: reported) {
            if let channel = DeskCase.Channel(rawValue: raw) { stats.byChannel[channel, default: 0] += n }
        }
        for (raw, n) in try await scope.counts(DeskCase.self, by: "status", as: String.self, where: reported) {
            if let status = DeskCase.Status(rawValue: raw) { stats.byStatus[status, default: 0] += n }
        }
        stats.byCategory = try await scope.counts(DeskCase.self, by: "category_id", as: UUID.self, where: reported)
        stats.closedByCategory = try await scope.counts(
            DeskCase.self, by: "category_id", as: UUID.self, where: finished)
        stats.received = stats.byChannel.values.reduce(0, +)
        stats.closed = stats.closedByCategory.values.reduce(0, +)
        let ratings = try await scope.counts(DeskCase.self, by: "rating", as: Int.self, where: finished)
        stats.ratings = ratings.values.reduce(0, +)
        if stats.ratings > 0 {
            stats.rating = Double(ratings.reduce(0) { $0 + $1.key * $1.value }) / Double(stats.ratings)
        }
        var late = scope.query(DeskCase.self).filter(\.$dueAt < now).filter(\.$status !~ [.selesai, .ditolak])
        if let unit { late = late.filter(\.$unitID == unit) }
        stats.overdue = try await late.count()
        let days = { (seconds: Double?) in seconds.map { $0 / max(1, dayLength) } }
        stats.medianVerifyDays = days(try await scope.median(DeskCase.self, of: "verify_seconds", where: reported))
        stats.medianCloseDays = days(try await scope.median(DeskCase.self, of: "close_seconds", where: finished))
        return stats
    }
}

struct AddDeskStats: AsyncMigration {
    func prepare(on db: any Database) async throws {
        for name in ["verify_seconds", "close_seconds"] {
            try await db.schema(DeskCase.schema).field(.string(name), .double).update()
        }
        // Cases closed in a period, for the dashboard's closed counts and medians.
        try await db.sql.create(index: "desk_cases_tenant_closed_idx").on(DeskCase.schema)
            .column("tenant_id").column("closed_at").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "desk_cases_tenant_closed_idx").run()
        for name in ["verify_seconds", "close_seconds"] {
            try await db.schema(DeskCase.schema).deleteField(.string(name)).update()
        }
    }
}
