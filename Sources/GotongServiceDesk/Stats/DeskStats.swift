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
        // Cases in, by channel, status and category at once (one pass over the period's rows,
        // read from the covering index), with how many of each group were verified.
        var verified = 0
        for row in try await scope.groups(
            DeskCase.self, by: ["channel", "status", "category_id"], nonNull: ["verify_seconds"], where: reported)
        {
            let n = try row.decode(column: "n", as: Int.self)
            if let channel = DeskCase.Channel(rawValue: try row.decode(column: "channel", as: String.self)) {
                stats.byChannel[channel, default: 0] += n
            }
            if let status = DeskCase.Status(rawValue: try row.decode(column: "status", as: String.self)) {
                stats.byStatus[status, default: 0] += n
            }
            stats.byCategory[try row.decode(column: "category_id", as: UUID.self), default: 0] += n
            stats.received += n
            verified += try row.decode(column: "n_verify_seconds", as: Int.self)
        }
        // Cases closed, by category and rating.
        var rated = 0
        for row in try await scope.groups(
            DeskCase.self, by: ["category_id", "rating"], nonNull: ["close_seconds"], where: finished)
        {
            let n = try row.decode(column: "n", as: Int.self)
            stats.closedByCategory[try row.decode(column: "category_id", as: UUID.self), default: 0] += n
            stats.closed += n
            if let rating = try row.decode(column: "rating", as: Int?.self) {
                stats.ratings += n
                rated += rating * n
            }
        }
        if stats.ratings > 0 { stats.rating = Double(rated) / Double(stats.ratings) }
        var late = scope.query(DeskCase.self).filter(\.$dueAt < now).filter(\.$closedAt == nil)
        if let unit { late = late.filter(\.$unitID == unit) }
        stats.overdue = try await late.count()
        let days = { (seconds: Double?) in seconds.map { $0 / max(1, dayLength) } }
        if verified > 0 {
            stats.medianVerifyDays = days(try await scope.median(DeskCase.self, of: "verify_seconds", where: reported))
        }
        if stats.closed > 0 {
            stats.medianCloseDays = days(try await scope.median(DeskCase.self, of: "close_seconds", where: finished))
        }
        return stats
    }
}

struct AddDeskStats: AsyncMigration {
    func prepare(on db: any Database) async throws {
        for name in ["verify_seconds", "close_seconds"] {
            try await db.schema(DeskCase.schema).field(.string(name), .double).update()
        }
        // The dashboard's and the tracker's reads, answered from these indexes alone (a year of
        // a big desk is a hundred thousand rows): cases reported in a period, and cases closed.
        try await db.sql.create(index: "desk_cases_stats_reported_idx").on(DeskCase.schema)
            .column("tenant_id").column("created_at").column("unit_id").column("channel").column("status")
            .column("category_id").column("privacy").column("verify_seconds").run()
        try await db.sql.create(index: "desk_cases_stats_closed_idx").on(DeskCase.schema)
            .column("tenant_id").column("closed_at").column("unit_id").column("category_id").column("rating")
            .column("close_seconds").run()
    }

    func revert(on db: any Database) async throws {
        for index in ["desk_cases_stats_reported_idx", "desk_cases_stats_closed_idx"] {
            try await db.sql.drop(index: index).run()
        }
        for name in ["verify_seconds", "close_seconds"] {
            try await db.schema(DeskCase.schema).deleteField(.string(name)).update()
        }
    }
}
