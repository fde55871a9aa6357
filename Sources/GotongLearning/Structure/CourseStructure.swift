import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A course's sections and activities, in order: read for the outline, changed by trainers and
/// coordinators. Every change is checked first and written in one transaction.
public struct CourseStructure: Sendable {
    let course: Course
    let scope: TenantScope
    let types: ActivityTypeRegistry
    let files: any FileStore
    /// Where learner outlines are kept; nil reads every time.
    var outlines: CourseOutlines? = nil

    public init(course: Course, db: any Database, types: ActivityTypeRegistry, files: any FileStore) {
        self.course = course
        self.scope = TenantScope(tenantID: course.tenantID, db: db)
        self.types = types
        self.files = files
    }

    // MARK: Reading

    /// A section with its activities, in order.
    public struct Section: Sendable {
        public let section: CourseSection
        public let activities: [Activity]
        /// The activities again, in plain values, for the pages that read every one of them.
        public let steps: [Step]

        init(section: CourseSection, activities: [Activity]) {
            self.section = section
            self.activities = activities
            steps = activities.map(Step.init)
        }
    }

    /// What the learner's pages read of an activity, taken out of its model once. Reading a
    /// Fluent field looks its type up at run time: /saya and the outline read four or five of
    /// every activity on each visit, and that was a tenth of their time (docs/performance.md).
    public struct Step: Sendable, Equatable {
        public let id: UUID
        public let title: String
        public let type: String
        public let isRequired: Bool
        public let opensAt: Date?

        init(_ activity: Activity) {
            id = activity.id!  // read from the database: saved
            title = activity.title
            type = activity.type
            isRequired = activity.isRequired
            opensAt = activity.opensAt
        }
    }

    /// The whole course in order; learners see only what is not hidden. The learner's outline
    /// comes from ``CourseOutlines`` when there is one (its models are shared: read them only).
    public func outline(forLearner: Bool) async throws -> [Section] {
        let courseID = try course.requireID()
        if forLearner, let outlines {
            return try await outlines.learnerOutlines(of: [(course.tenantID, courseID)], on: scope.db)[courseID] ?? []
        }
        return try await Self.read([courseID], in: scope, forLearner: forLearner)[courseID] ?? []
    }

    /// The outlines of `courseIDs` (of the scope's tenant), by course: two queries for any number.
    static func read(_ courseIDs: [UUID], in scope: TenantScope, forLearner: Bool) async throws -> [UUID: [Section]] {
        async let sections = scope.query(CourseSection.self).filter(\.$courseID ~~ courseIDs).sort(\.$position).all()
        async let activities = scope.query(Activity.self).filter(\.$courseID ~~ courseIDs).sort(\.$position).all()
        let bySection = Dictionary(grouping: try await activities, by: \.sectionID)
        var result: [UUID: [Section]] = Dictionary(uniqueKeysWithValues: courseIDs.map { ($0, []) })
        for section in try await sections where !(forLearner && section.hidden) {
            let list = (bySection[section.id!] ?? []).filter { !forLearner || !$0.hidden }
            result[section.courseID, default: []].append(Section(section: section, activities: list))
        }
        return result
    }

    // MARK: Sections

    public func addSection(title: String) async throws -> CourseSection {
        let title = try Self.checkTitle(title, field: "title", key: "section.error.title")
        let courseID = try course.requireID()
        return try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: course.tenantID, db: tx)
            let last = try await scope.query(CourseSection.self).filter(\.$courseID == courseID).max(\.$position) ?? 0
            let section = CourseSection(tenantID: course.tenantID, courseID: courseID, position: last + 1, title: title)
            try await section.create(on: tx)
            return section
        }
    }

    public func section(_ id: UUID?) async throws -> CourseSection {
        guard let section = try await scope.find(CourseSection.self, id), section.courseID == course.id else {
            throw Abort(.notFound)
        }
        return section
    }

    public func updateSection(_ section: CourseSection, title: String?, hidden: Bool?) async throws {
        if let title { section.title = try Self.checkTitle(title, field: "title", key: "section.error.title") }
        if let hidden { section.hidden = hidden }
        try await section.save(on: scope.db)
    }

    /// Deletes a section with its activities, what their types keep and their uses of files
    /// (in one transaction); then the files nothing uses any more.
    public func deleteSection(_ section: CourseSection) async throws {
        let sectionID = try section.requireID()
        let released = try await scope.db.lockingTransaction { tx in
            let inSection = TenantScope(tenantID: course.tenantID, db: tx).query(Activity.self).filter(
                \.$sectionID == sectionID)
            let activities = try await inSection.all()
            for activity in activities { try await types[activity.type]?.deleteData(of: activity, on: tx) }
            let released = try await FileReferences(db: tx).remove(
                owners: activities.map { try $0.requireID() }, tenantID: course.tenantID)
            try await inSection.delete()
            try await section.delete(on: tx)
            try await renumberSections(on: tx)
            return released
        }
        await FileReferences(db: scope.db).deleteUnused(released, from: files)
    }

    /// Moves a section one place up (-1) or down (+1), or to a position (from 1).
    public func moveSection(_ section: CourseSection, to position: Int) async throws {
        let courseID = try course.requireID()
        try await scope.db.lockingTransaction { tx in
            var list = try await TenantScope(tenantID: course.tenantID, db: tx).query(CourseSection.self)
                .filter(\.$courseID == courseID).sort(\.$position).all()
            guard let from = list.firstIndex(where: { $0.id == section.id }) else { throw Abort(.notFound) }
            let moved = list.remove(at: from)
            list.insert(moved, at: min(max(position - 1, 0), list.count))
            for (i, s) in list.enumerated() where s.position != i + 1 {
                s.position = i + 1
                try await s.save(on: tx)
            }
        }
    }

    private func renumberSections(on tx: any Database) async throws {
        let list = try await TenantScope(tenantID: course.tenantID, db: tx).query(CourseSection.self)
            .filter(\.$courseID == course.requireID()).sort(\.$position).all()
        for (i, s) in list.enumerated() where s.position != i + 1 {
            s.position = i + 1
            try await s.save(on: tx)
        }
    }

    // MARK: Activities

    public func activity(_ id: UUID?) async throws -> Activity {
        guard let activity = try await scope.find(Activity.self, id), activity.courseID == course.id else {
            throw Abort(.notFound)
        }
        return activity
    }

    /// Adds an activity at the end of `section`; every problem is reported at once.
    public func addActivity(to section: CourseSection, _ change: ActivityChange) async throws -> Activity {
        var p = change.inputProblems
        guard let typeKey = change.type, let type = types[typeKey] else {
            p.add("type", "activity.error.type", ["types": types.all.map(\.key).joined(separator: ", ")])
            throw InputError(p.problems)
        }
        let activity = Activity(
            tenantID: course.tenantID, courseID: try course.requireID(), sectionID: try section.requireID(),
            position: 0, type: type.key, title: "")
        activity.id = UUID()
        let stored = try await apply(change, to: activity, type: type, isNew: true, problems: &p)
        try await saving(activity, stored) { tx in
            let last =
                try await TenantScope(tenantID: course.tenantID, db: tx).query(Activity.self)
                .filter(\.$sectionID == section.requireID()).max(\.$position) ?? 0
            activity.position = last + 1
            try await activity.create(on: tx)
        }
        return activity
    }

    public func updateActivity(_ activity: Activity, _ change: ActivityChange) async throws {
        guard let type = types[activity.type] else { throw Abort(.conflict) }
        var p = change.inputProblems
        if let wanted = change.type, wanted != activity.type { p.add("type", "activity.error.type_fixed") }
        let stored = try await apply(change, to: activity, type: type, isNew: false, problems: &p)
        try await saving(activity, stored) { tx in try await activity.save(on: tx) }
    }

    /// The files a change stored, and the ones they replace.
    struct StoredFiles: Sendable {
        var added: [String] = []
        var replaced: [String] = []
    }

    /// Runs `save` and moves the activity's uses of files from the replaced files to the added
    /// ones, in one transaction. After it committed, the replaced files are deleted unless
    /// something still uses them (a copy of the course, in this tenant or another). When saving
    /// fails, the added files are deleted instead: they have fresh keys that no committed row
    /// names.
    private func saving(
        _ activity: Activity, _ stored: StoredFiles, _ save: @escaping @Sendable (any Database) async throws -> Void
    ) async throws {
        let tenantID = course.tenantID
        do {
            try await scope.db.lockingTransaction { tx in
                try await save(tx)
                let owner = try activity.requireID()
                try await FileReferences(db: tx).remove(owners: [owner], tenantID: tenantID, keys: stored.replaced)
                try await FileReferences(db: tx).add(stored.added, tenantID: tenantID, ownerID: owner)
            }
        } catch {
            await forget(stored.added)
            throw error
        }
        await FileReferences(db: scope.db).deleteUnused(stored.replaced, from: files)
    }

    /// Checks the change and applies it to `activity` in memory; stores new files last. A new
    /// activity without a rule, one whose author asked for the type's default, and one whose
    /// rule its new settings cannot keep get the default for their settings.
    private func apply(
        _ change: ActivityChange, to activity: Activity, type: any ActivityType, isNew: Bool,
        problems p: inout ProblemList
    ) async throws -> StoredFiles {
        if let title = change.title {
            let t = title.trimmed(max: 201)
            if t.count < 2 || t.count > 200 { p.add("title", "activity.error.title") } else { activity.title = t }
        } else if activity.title.isEmpty {
            p.add("title", "activity.error.title")
        }
        var (settings, pending) = change.checkedSettings(for: type, existing: activity.settings, problems: &p)
        type.validate(&settings, problems: &p)
        if let rule = change.completionRule(offered: types.completionOption, problems: &p) {
            if let refusal = type.completionRefusal(rule, with: settings) {
                p.add("completion", refusal)
            } else {
                activity.completion = rule
            }
        } else if isNew || change.asksForDefault || !type.supports(activity.completion, with: settings) {
            activity.completion = type.defaultCompletion(for: settings)
        }
        if let hidden = change.hidden { activity.hidden = hidden }
        if let opensAt = change.opensAt { activity.opensAt = opensAt }
        try p.throwIfAny()
        var stored = StoredFiles()
        for upload in pending {
            let key =
                Self.folder(of: try activity.requireID())
                + "\(upload.field)-\(UUID().uuidString.prefix(8).lowercased()).\(upload.kind.fileExtension)"
            do {
                try await files.put(upload.file, at: key)
            } catch {
                await forget(stored.added)
                throw error
            }
            stored.added.append(key)
            if case .string(let old)? = activity.settings[upload.field], old != key { stored.replaced.append(old) }
            settings[upload.field] = .string(key)
            settings[upload.field + "_name"] = .string(Self.safeFilename(upload.file.filename, kind: upload.kind))
            settings[upload.field + "_size"] = .int(upload.file.size)
        }
        activity.settings = settings
        return stored
    }

    /// Where an activity uploads its files: one folder per activity. Copies of the activity
    /// name the same keys, so the folder is not the activity's alone.
    public static func folder(of activityID: UUID) -> String { "activities/\(activityID.uuidString)/" }

    /// The stored files an activity's settings name. Only an upload writes a key together
    /// with its `<field>_size` (settings a type does not declare are refused), so a text that
    /// merely looks like a key is never taken for one.
    static func fileKeys(in settings: ActivitySettings) -> [String] {
        settings.values.compactMap { name, value in
            guard case .string(let key) = value, key.hasPrefix("activities/"), settings.int(name + "_size") != nil
            else { return nil }
            return key
        }
    }

    /// Deletes files that were just stored and that no committed row names. A file that cannot
    /// be deleted now is only disk space, so this never fails the change.
    private func forget(_ keys: [String]) async {
        for key in keys { try? await files.delete(key) }
    }

    /// Deletes an activity with what its type keeps and its uses of files (in one
    /// transaction); then its files, unless a copy still uses them.
    public func deleteActivity(_ activity: Activity) async throws {
        let sectionID = activity.sectionID
        let released = try await scope.db.lockingTransaction { tx in
            try await types[activity.type]?.deleteData(of: activity, on: tx)
            let released = try await FileReferences(db: tx).remove(
                owners: [activity.requireID()], tenantID: course.tenantID)
            try await activity.delete(on: tx)
            let list = try await TenantScope(tenantID: course.tenantID, db: tx).query(Activity.self)
                .filter(\.$sectionID == sectionID).sort(\.$position).all()
            for (i, a) in list.enumerated() where a.position != i + 1 {
                a.position = i + 1
                try await a.save(on: tx)
            }
            return released
        }
        await FileReferences(db: scope.db).deleteUnused(released, from: files)
    }

    /// Moves an activity to a position (from 1) in a section of the same course.
    public func moveActivity(_ activity: Activity, to section: CourseSection, position: Int) async throws {
        let fromSection = activity.sectionID
        let toSection = try section.requireID()
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: course.tenantID, db: tx)
            var target = try await scope.query(Activity.self).filter(\.$sectionID == toSection).sort(\.$position).all()
                .filter { $0.id != activity.id }
            activity.sectionID = toSection
            target.insert(activity, at: min(max(position - 1, 0), target.count))
            for (i, a) in target.enumerated() where a.position != i + 1 || a.id == activity.id {
                a.position = i + 1
                try await a.save(on: tx)
            }
            if fromSection != toSection {
                let rest = try await scope.query(Activity.self).filter(\.$sectionID == fromSection).sort(\.$position)
                    .all()
                for (i, a) in rest.enumerated() where a.position != i + 1 {
                    a.position = i + 1
                    try await a.save(on: tx)
                }
            }
        }
    }

    // MARK: Helpers

    static func checkTitle(_ title: String, field: String, key: String) throws -> String {
        let t = title.trimmed(max: 201)
        guard (2...200).contains(t.count) else { throw InputError(field: field, key: key) }
        return t
    }

    /// A download name with nothing a header or a file system could trip over.
    static func safeFilename(_ name: String, kind: FileKind) -> String {
        let base = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
        let cleaned = String(
            base.unicodeScalars.map {
                CharacterSet.alphanumerics.contains($0) || "-_ ".unicodeScalars.contains($0) ? Character($0) : "-"
            }
        )
        .trimmingCharacters(in: .whitespaces).prefix(80)
        return (cleaned.isEmpty ? "berkas" : String(cleaned)) + "." + kind.fileExtension
    }
}
