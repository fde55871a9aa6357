import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// The coordinator's view of a course: every participant against every activity — opened or
/// not, time spent, completed — with filters to find who lags, sorting by progress, and the
/// figures the charts draw. Read with a few set-based queries, so a course of thousands of
/// participants loads in one go.
struct CourseMonitor: Sendable {
    let structure: CourseStructure
    let types: ActivityTypeRegistry
    var course: Course { structure.course }
    var db: any Database { structure.scope.db }

    struct Cell: Sendable {
        var opened = false
        var seconds = 0
        var completed = false
        /// What the activity's type records (it says what to show of it).
        var state = ProgressState()
    }

    struct Row: Sendable {
        let enrolmentID: UUID
        let personID: UUID
        let name: String
        let email: String
        let unit: String
        let status: Enrolment.Status
        let dueAt: Date?
        let completedAt: Date?
        var cells: [Cell]
        var lastSeen: Date?
        var percent: Int
        var seconds: Int { cells.reduce(0) { $0 + $1.seconds } }
        /// Done with the course (or at 100 % while its completion is being recorded).
        var finished: Bool { status == .completed || percent >= 100 }
    }

    /// Who to show.
    enum Filter: String, CaseIterable, Sendable {
        case all = "semua"
        /// Has not opened every video of the course.
        case videosNotOpened = "belum_buka_video"
        case notFinished = "belum_selesai"
        case inactive7 = "tidak_aktif_7_hari"
        case neverStarted = "belum_mulai"
    }

    enum Sort: String, CaseIterable, Sendable {
        case progressAscending = "kemajuan"
        case progressDescending = "kemajuan_turun"
        case name = "nama"
        case lastSeen = "terakhir_aktif"
    }

    struct Table: Sendable {
        let activities: [Activity]
        let rows: [Row]
        /// For each activity, how many participants opened it (the funnel).
        let reached: [Int]
        let total: Int
    }

    /// Every participant (enrolled or finished) with their progress, filtered and sorted.
    func table(filter: Filter, sort: Sort, now: Date = Date()) async throws -> Table {
        let courseID = try course.requireID()
        let activities = try await structure.outline(forLearner: true).flatMap(\.activities)
        let index = Dictionary(uniqueKeysWithValues: activities.enumerated().map { ($1.id!, $0) })
        let required = activities.enumerated().filter { $1.isRequired }.map(\.offset)
        var rows: [UUID: Row] = [:]
        for e in try await CourseMembers(course: course, on: db).participants() {
            rows[e.person_id] = Row(
                enrolmentID: e.id, personID: e.person_id, name: e.name, email: e.email, unit: e.unit_kerja,
                status: e.status, dueAt: e.due_at, completedAt: e.completed_at,
                cells: Array(repeating: Cell(), count: activities.count), lastSeen: nil, percent: 0)
        }
        for progress in try await Self.progress(courseID: courseID, tenantID: course.tenantID, on: db) {
            guard let i = index[progress.activity_id], var row = rows[progress.person_id] else { continue }
            row.cells[i] = Cell(
                opened: progress.views > 0 || progress.seconds > 0, seconds: progress.seconds,
                completed: progress.completed_at != nil, state: ProgressState(json: progress.state))
            if let seen = progress.last_seen_at, seen > (row.lastSeen ?? .distantPast) { row.lastSeen = seen }
            rows[progress.person_id] = row
        }
        var all = Array(rows.values)
        for i in all.indices {
            let done = required.filter { all[i].cells[$0].completed }.count
            all[i].percent = required.isEmpty ? 0 : done * 100 / required.count
        }
        let reached = activities.indices.map { i in all.filter { $0.cells[i].opened }.count }
        let videos = activities.enumerated().filter { types[$1.type]?.features.contains(.videoProgress) == true }.map(
            \.offset)
        let weekAgo = now.addingTimeInterval(-7 * 86_400)
        let chosen = all.filter { row in
            switch filter {
            case .all: true
            case .videosNotOpened: !videos.isEmpty && videos.contains { !row.cells[$0].opened }
            case .notFinished: row.status != .completed
            case .inactive7: (row.lastSeen ?? .distantPast) < weekAgo
            case .neverStarted: !row.cells.contains { $0.opened }
            }
        }
        // Names compared once folded (case and accents), not by a locale-aware compare per pair:
        // thousands of rows sort in milliseconds.
        let folded =
            sort == .name
            ? Dictionary(
                chosen.map {
                    ($0.personID, $0.name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))
                },
                uniquingKeysWith: { a, _ in a }) : [:]
        let sorted = chosen.sorted { a, b in
            switch sort {
            case .progressAscending: (a.percent, a.name) < (b.percent, b.name)
            case .progressDescending: (a.percent, b.name) > (b.percent, a.name)
            case .name: (folded[a.personID] ?? "", a.name) < (folded[b.personID] ?? "", b.name)
            case .lastSeen: (a.lastSeen ?? .distantPast) < (b.lastSeen ?? .distantPast)
            }
        }
        return Table(activities: activities, rows: sorted, reached: reached, total: all.count)
    }

    /// Completions per day since the first enrolment: the "completion over time" chart.
    func completionsByDay() async throws -> [(day: Date, count: Int)] {
        let dates = try await CourseMembers(course: course, on: db).completionDates()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDates.zone
        let counts = Dictionary(grouping: dates) { calendar.startOfDay(for: $0) }.mapValues(\.count)
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    // MARK: Queries

    struct ProgressRow: Decodable, Sendable {
        let person_id: UUID
        let activity_id: UUID
        let views: Int
        let seconds: Int
        let state: String
        let last_seen_at: Date?
        let completed_at: Date?
    }

    /// Only the columns the table needs, decoded without building models.
    static func progress(courseID: UUID, tenantID: UUID, on db: any Database) async throws -> [ProgressRow] {
        try await db.sql.select()
            .columns("person_id", "activity_id", "views", "seconds", "state", "last_seen_at", "completed_at")
            .from(ActivityProgress.schema)
            .where("tenant_id", .equal, tenantID).where("course_id", .equal, courseID)
            .all(decoding: ProgressRow.self)
    }

    struct PersonRow: Decodable, Sendable {
        let id: UUID
        let name: String
        let email: String
        let unit_kerja: String
        var unit: String { unit_kerja }
    }

    static func people(_ ids: [UUID], on db: any Database) async throws -> [UUID: PersonRow] {
        var found: [UUID: PersonRow] = [:]
        for chunk in ids.chunked(1000) {
            for row in try await db.sql.select().columns("id", "name", "email", "unit_kerja").from(Person.schema)
                .where("id", .in, Array(chunk)).all(decoding: PersonRow.self)
            {
                found[row.id] = row
            }
        }
        return found
    }
}
