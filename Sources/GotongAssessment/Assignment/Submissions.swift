import Fluent
import Foundation
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// An assignment's submissions: a participant's drafts and hand-ins, and what graders do to
/// them. Every change is checked whole before anything is written; files are put in the store
/// first and taken out again if the change fails, so a refused change leaves nothing behind.
struct Submissions: Sendable {
    let activity: Activity
    let settings: AssignmentSettings
    let db: any Database
    let progress: ProgressStore
    let files: any FileStore

    var scope: TenantScope { TenantScope(tenantID: activity.tenantID, db: db) }
    private var activityID: UUID { activity.id! }

    /// Why a participant's change was not taken: the round is handed in, or the cut-off passed.
    struct Refusal: Error {
        let key: String
    }

    // MARK: Reading

    /// A person's rounds, the latest last.
    func rounds(of person: UUID) async throws -> [AssignmentSubmission] {
        try await scope.query(AssignmentSubmission.self).filter(\.$activityID == activityID)
            .filter(\.$personID == person).sort(\.$round).all()
    }

    func submission(_ id: UUID) async throws -> AssignmentSubmission? {
        guard let found = try await scope.find(AssignmentSubmission.self, id), found.activityID == activityID else {
            return nil
        }
        return found
    }

    /// Everyone's latest round (or latest handed-in one), by person.
    func latestRounds(handedInOnly: Bool = false) async throws -> [UUID: AssignmentSubmission] {
        var query = scope.query(AssignmentSubmission.self).filter(\.$activityID == activityID)
        if handedInOnly { query = query.filter(\.$status == .submitted) }
        let all = try await query.all()
        return Dictionary(all.map { ($0.personID, $0) }, uniquingKeysWith: { $0.round >= $1.round ? $0 : $1 })
    }

    /// The files of `submissions`, by submission.
    func files(of submissions: [UUID], role: AssignmentFile.Role? = nil) async throws -> [UUID: [AssignmentFile]] {
        guard !submissions.isEmpty else { return [:] }
        var query = scope.query(AssignmentFile.self).filter(\.$submissionID ~~ submissions)
        if let role { query = query.filter(\.$role == role) }
        return Dictionary(grouping: try await query.sort(\.$createdAt).all(), by: \.submissionID)
    }

    func file(_ id: UUID) async throws -> AssignmentFile? {
        guard let found = try await scope.find(AssignmentFile.self, id), found.activityID == activityID else {
            return nil
        }
        return found
    }

    // MARK: The participant's side

    /// The person's round they may still change: the latest when it is a draft.
    func draft(of person: UUID, now: Date, retried: Bool = false) async throws -> AssignmentSubmission {
        if let latest = try await rounds(of: person).last {
            guard latest.status == .draft else { throw Refusal(key: "assignment.error.submitted") }
            return latest
        }
        guard !settings.isClosed(at: now) else { throw Refusal(key: "assignment.error.closed") }
        let first = AssignmentSubmission(
            tenantID: activity.tenantID, courseID: activity.courseID, activityID: activityID, personID: person,
            round: 1, text: "", now: now)
        do {
            try await first.create(on: db)
            return first
        } catch let error as any DatabaseError where error.isConstraintFailure && !retried {
            // Two first saves at once: the other made the row (once; any other failure stands).
            return try await draft(of: person, now: now, retried: true)
        }
    }

    /// Saves the draft's text (when given) and adds `uploads`, all checked first.
    @discardableResult
    func saveDraft(
        of person: UUID, text: String?, uploads: [ReceivedFile], now: Date
    ) async throws -> AssignmentSubmission {
        var problems = ProblemList()
        let text = text.map { problems.text($0, "text", max: AssignmentSettings.maxText) }
        if let text, !settings.takesText, !text.isEmpty { problems.add("text", "assignment.error.no_text") }
        if !uploads.isEmpty, !settings.takesFiles { problems.add("file", "assignment.error.no_files") }
        let checked = Self.check(uploads, field: "file", problems: &problems)
        try problems.throwIfAny()
        let draft = try await draft(of: person, now: now)
        try await guardOpen(draft, now: now)
        let present = try await files(of: [draft.id!], role: .submission)[draft.id!]?.count ?? 0
        if present + checked.count > settings.maxFiles {
            problems.add("file", "assignment.error.too_many", ["max": "\(settings.maxFiles)"])
            try problems.throwIfAny()
        }
        let stored = try await store(checked, for: draft, role: .submission, now: now)
        let (tenantID, activityID, maxFiles) = (activity.tenantID, activityID, settings.maxFiles)
        do {
            return try await db.lockingTransaction { tx in
                // The round as it is now, held to the end: a hand-in meanwhile is seen, not undone.
                let fresh = try await Self.lockRound(draft.requireID(), tenantID: tenantID, on: tx)
                guard fresh.status == .draft else { throw Refusal(key: "assignment.error.submitted") }
                let present = try await TenantScope(tenantID: tenantID, db: tx).query(AssignmentFile.self)
                    .filter(\.$submissionID == fresh.requireID()).filter(\.$role == .submission).count()
                if present + stored.count > maxFiles {
                    throw InputError(field: "file", key: "assignment.error.too_many", args: ["max": "\(maxFiles)"])
                }
                if let text { fresh.text = text }
                fresh.updatedAt = now
                try await fresh.save(on: tx)
                try await stored.create(on: tx)
                try await FileReferences(db: tx).add(stored.map(\.key), tenantID: tenantID, ownerID: activityID)
                return fresh
            }
        } catch {
            for file in stored { try? await files.delete(file.key) }
            throw error
        }
    }

    /// Takes a file out of the person's draft.
    func removeFile(_ file: AssignmentFile, of person: UUID, now: Date) async throws {
        guard let owner = try await submission(file.submissionID), owner.personID == person, file.role == .submission
        else { throw Abort(.notFound) }
        guard owner.status == .draft else { throw Refusal(key: "assignment.error.submitted") }
        try await guardOpen(owner, now: now)
        try await forget([file])
    }

    /// Hands the draft in; a second hand-in of the same round changes nothing.
    @discardableResult
    func submit(of person: UUID, now: Date) async throws -> AssignmentSubmission {
        guard let latest = try await rounds(of: person).last else { throw Refusal(key: "assignment.error.empty") }
        guard latest.status == .draft else { return latest }
        try await guardOpen(latest, now: now)
        let attached = try await files(of: [latest.id!], role: .submission)[latest.id!] ?? []
        let hasText = !latest.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let complete =
            switch settings.submission {
            case .text: hasText
            case .file: !attached.isEmpty
            case .textAndFile: hasText || !attached.isEmpty
            }
        guard complete else { throw Refusal(key: "assignment.error.empty_\(settings.submission.rawValue)") }
        // Claimed by its status: of two hand-ins at once, one changes the row.
        try await scope.query(AssignmentSubmission.self).filter(\.$id == latest.id!).filter(\.$status == .draft)
            .set(\.$status, to: .submitted).set(\.$submittedAt, to: now).set(\.$late, to: settings.isLate(now))
            .set(\.$updatedAt, to: now).update()
        try await recordProgress(of: person, now: now)
        return try await submission(latest.id!) ?? latest
    }

    /// The round read again inside a transaction, locked (PostgreSQL: `FOR UPDATE`) so a save
    /// and a hand-in of it take turns; SQLite's one writer at a time does the same.
    static func lockRound(_ id: UUID, tenantID: UUID, on tx: any Database) async throws -> AssignmentSubmission {
        if !tx.sql.isSQLite {
            try await tx.sql.raw(
                "SELECT id FROM \(ident: AssignmentSubmission.schema) WHERE id = \(bind: id) FOR UPDATE"
            ).run()
        }
        guard let round = try await TenantScope(tenantID: tenantID, db: tx).find(AssignmentSubmission.self, id) else {
            throw Abort(.notFound)
        }
        return round
    }

    private func guardOpen(_ round: AssignmentSubmission, now: Date) async throws {
        if round.round == 1, settings.isClosed(at: now) { throw Refusal(key: "assignment.error.closed") }
    }

    // MARK: Files

    struct CheckedFile: Sendable {
        let file: ReceivedFile
        let kind: FileKind
    }

    /// The uploads that pass the rule; a problem on `field` for each that does not.
    static func check(_ uploads: [ReceivedFile], field: String, problems: inout ProblemList) -> [CheckedFile] {
        let rule = AssignmentSettings.fileRule
        return uploads.compactMap { upload in
            guard upload.size <= rule.maxBytes else {
                problems.add(field, "activity.error.file_size", ["max": "\(rule.maxBytes / 1_048_576) MB"])
                return nil
            }
            guard let kind = FileKind.sniff(head: upload.head, filename: upload.filename, allowed: rule.kinds) else {
                problems.add(
                    field, "activity.error.file_type",
                    ["kinds": rule.kinds.map { $0.fileExtension.uppercased() }.joined(separator: ", ")])
                return nil
            }
            return CheckedFile(file: upload, kind: kind)
        }
    }

    /// Puts checked uploads in the store, returning their rows (not yet saved).
    func store(
        _ uploads: [CheckedFile], for submission: AssignmentSubmission, role: AssignmentFile.Role, now: Date
    ) async throws -> [AssignmentFile] {
        var stored: [AssignmentFile] = []
        for upload in uploads {
            let key =
                CourseStructure.folder(of: activityID) + "submissions/\(UUID().uuidString.lowercased())."
                + upload.kind.fileExtension
            do {
                try await files.put(upload.file, at: key)
            } catch {
                for file in stored { try? await files.delete(file.key) }
                throw error
            }
            stored.append(
                AssignmentFile(
                    submission: submission, role: role, name: Self.displayName(upload.file.filename, kind: upload.kind),
                    key: key, kind: upload.kind, size: upload.file.size, now: now))
        }
        return stored
    }

    /// Deletes file rows; a key no other row of the activity lists loses the activity's use,
    /// and its bytes once the change committed.
    func forget(_ gone: [AssignmentFile]) async throws {
        guard !gone.isEmpty else { return }
        let keys = Array(Set(gone.map(\.key)))
        let released = try await db.lockingTransaction { tx -> [String] in
            let scope = TenantScope(tenantID: activity.tenantID, db: tx)
            try await scope.query(AssignmentFile.self).filter(\.$id ~~ gone.compactMap(\.id)).delete()
            let still = Set(
                try await scope.query(AssignmentFile.self).filter(\.$activityID == activityID).filter(\.$key ~~ keys)
                    .all().map(\.key))
            let unused = keys.filter { !still.contains($0) }
            return try await FileReferences(db: tx).remove(
                owners: [activityID], tenantID: activity.tenantID, keys: unused)
        }
        await FileReferences(db: db).deleteUnused(released, from: files)
    }

    /// The sender's file name, kept for showing and for the ZIP: no folders, no control
    /// characters, at most 120 characters, with the extension its bytes have.
    static func displayName(_ sent: String, kind: FileKind) -> String {
        kind.displayName(for: sent, fallback: "berkas")
    }
}
