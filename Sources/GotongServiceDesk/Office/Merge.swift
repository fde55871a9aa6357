import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Merging a duplicate into the case it repeats. The duplicate closes as refused, its reason
/// "merged with ADU-…" (its citizen reads it on their page) and a message to its citizen on
/// its channel; the case kept gets a step in its history and a message to its own citizen that
/// a like report joined theirs. Both rows are held in one transaction, taken in id order, so
/// two officers merging the pair both ways at once take turns (the second finds one closed).
extension CaseWork {
    /// The texts written to the citizens (in Indonesian, the desk's language with citizens).
    struct MergeTexts {
        let localizer: Localizer

        func text(_ key: String, _ number: String) -> String { localizer.text(key, .id, ["number": number]) }
    }

    @discardableResult
    func merge(_ duplicate: DeskCase, into raw: String?, texts: MergeTexts) async throws -> DeskCase {
        guard let number = raw.flatMap({ CaseNumber($0.trimmingCharacters(in: .whitespaces)) }),
            let found = try await scope.query(DeskCase.self).filter(\.$number == number.description).first(),
            access.sees(found)
        else { throw InputError(field: "into", key: "desk.error.merge_number") }
        guard found.id != duplicate.id else { throw InputError(field: "into", key: "desk.error.merge_self") }
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let calendar = try await DeskSetup.calendar(settings, scope)
        return try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            let ids = [try duplicate.requireID(), try found.requireID()]
            var held: [UUID: DeskCase] = [:]
            for id in ids.sorted(by: { $0.uuidString < $1.uuidString }) {
                guard let item = try await scope.locked(DeskCase.self, id), access.sees(item) else {
                    throw Abort(.notFound)
                }
                held[id] = item
            }
            let (dup, kept) = (held[ids[0]]!, held[ids[1]]!)
            guard !dup.status.isClosed, !kept.status.isClosed else {
                throw InputError(field: "into", key: "desk.error.merge_closed", status: .conflict)
            }
            let from = dup.status
            Self.move(dup, to: .ditolak, by: .refuse, calendar: calendar, settings: settings, now: now)
            dup.mergedInto = kept.id
            try await dup.save(on: tx)
            try await Self.record(
                dup, from: from, by: access.personID, note: texts.text("desk.merge.note", kept.number), now: now, on: tx
            )
            try await Self.record(
                kept, from: kept.status, by: access.personID, note: texts.text("desk.merge.joined", dup.number),
                now: now, on: tx)
            for (item, key, other) in [(dup, "desk.merge.told_duplicate", kept), (kept, "desk.merge.told_kept", dup)] {
                let message = try DeskMessage(
                    on: item, .outgoing, item.channel, body: texts.text(key, other.number), author: access.personID,
                    at: now)
                try await message.create(on: tx)
                try await Outbox.reply(message, on: item, db: tx, now: now)
            }
            kept.updatedAt = now
            try await kept.save(on: tx)
            try await Retention.schedule(dup, retentionDays: settings.retentionDays, on: tx)
            return kept
        }
    }
}

struct AddDeskMerge: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(DeskCase.schema).field("merged_into", .uuid).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(DeskCase.schema).deleteField("merged_into").update()
    }
}
