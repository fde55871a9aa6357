import Fluent
import Foundation
import SQLKit

/// One use of a stored file: a tenant's record (an activity) whose settings name the file's key.
///
/// Copies of a record (a duplicated course, every new tenant's clone of the master template)
/// use the original's files by key rather than copying the bytes, so one file may have many
/// uses across tenants. It belongs to all of them together: it is deleted from the store only
/// when the last use is gone (``FileReferences/deleteUnused(_:from:)``). Uses are written in the
/// same transaction as the record that names the file.
public final class FileReference: Model, @unchecked Sendable {
    public static let schema = "file_references"

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// The record that uses the file (an activity).
    @Field(key: "owner_id") public var ownerID: UUID
    /// The file's key in the ``FileStore``.
    @Field(key: "key") public var key: String

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $ownerID, $key] }

    public init(tenantID: UUID, ownerID: UUID, key: String) {
        self.id = UUID()
        self.tenantID = tenantID
        self.ownerID = ownerID
        self.key = key
    }
}

/// Keeps the uses of stored files beside the records that name them, and deletes a file from
/// the store once nothing uses it.
///
/// A file is deleted only after the transaction that dropped its last use committed, so a
/// committed row never names a deleted file. A crash between that commit and the deletion
/// leaves the file behind with no use: an orphan, which costs disk space and nothing else.
public struct FileReferences: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    /// Records that `ownerID` in `tenantID` uses `keys`.
    public func add(_ keys: some Sequence<String>, tenantID: UUID, ownerID: UUID) async throws {
        try await add(Set(keys).map { FileReference(tenantID: tenantID, ownerID: ownerID, key: $0) })
    }

    /// Records many uses at once (a course copied with its activities): one insert per
    /// thousand rows, well under either database's limit on values in one statement.
    public func add(_ references: [FileReference]) async throws {
        for start in stride(from: 0, to: references.count, by: 1000) {
            try await references[start..<min(start + 1000, references.count)].create(on: db)
        }
    }

    /// Removes the uses `owners` in `tenantID` make of `keys`, or of every file when `keys` is
    /// nil (the owners are being deleted). Returns the keys they used, for
    /// ``deleteUnused(_:from:)`` once the transaction committed.
    @discardableResult
    public func remove(owners: [UUID], tenantID: UUID, keys: [String]? = nil) async throws -> [String] {
        guard !owners.isEmpty, keys?.isEmpty != true else { return [] }
        func uses() -> QueryBuilder<FileReference> {
            let query = FileReference.query(on: db).filter(\.$tenantID == tenantID).filter(\.$ownerID ~~ owners)
            return keys.map { query.filter(\.$key ~~ $0) } ?? query
        }
        let used = try await uses().unique().all(\.$key)
        try await uses().delete()
        return used
    }

    /// Taken first by a transaction that copies records with their uses of files, and held
    /// until it ends. ``deleteUnused(_:from:)`` waits for such transactions before it looks:
    /// otherwise it could see the original's use gone (replaced and committed) but not yet the
    /// use a copy in flight took from the original as it was a moment earlier, and delete a
    /// file the copy is about to name. PostgreSQL: a transaction-scoped advisory lock, shared
    /// between copies. SQLite needs none: it has one writer at a time, and a transaction that
    /// read the original before a newer commit fails when it tries to write.
    public func holdForCopying() async throws {
        guard !db.isSQLite else { return }
        try await db.sql.raw("SELECT pg_advisory_xact_lock_shared(\(literal: Self.copyLock))").run()
    }

    /// Deletes from `store` those of `keys` that no use names any more. Call it after the
    /// transaction that removed the uses committed, never inside it. A file that cannot be
    /// deleted now is only disk space, so this never fails the change that made it unneeded.
    public func deleteUnused(_ keys: [String], from store: any FileStore) async {
        let keys = Array(Set(keys))
        guard !keys.isEmpty else { return }
        guard
            let used = try? await db.lockingTransaction({ tx in
                if !tx.isSQLite {
                    try await tx.sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.copyLock))").run()
                }
                return Set(try await FileReference.query(on: tx).filter(\.$key ~~ keys).unique().all(\.$key))
            })
        else { return }
        for key in keys where !used.contains(key) { try? await store.delete(key) }
    }

    /// The advisory lock copies hold shared and deletions take alone ("GotongFR").
    static let copyLock: Int64 = 0x476F_746F_6E67_4652
}
