import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Assignment of a course to people by a tenant administrator or coordinator: chosen people (a
/// list or CSV of emails and NIPs) or everyone of a work unit, with a due date. The list is
/// checked line by line first and written all or nothing, like the account import. Assigned
/// people are enrolled at once (assignment is not limited by the quota) and see the course as
/// required ("Wajib") on `/saya`.
public struct CourseAssignment: Sendable {
    public enum Target: Sendable {
        /// Emails or NIPs, one per line (a CSV's first column; a header line is skipped).
        case list(String)
        /// Every member of the tenant whose work unit is this.
        case unit(String)
    }

    public struct Report: Content, Sendable {
        public var people: Int
        public var newly_enrolled: Int
        public var already_enrolled: Int
        public var already_completed: Int
    }

    let db: any Database
    let course: Course
    let now: Date

    public init(db: any Database, course: Course, now: Date = Date()) {
        self.db = db
        self.course = course
        self.now = now
    }

    public static let maxLines = 50_000

    /// Checks the target and writes every assignment, or nothing when any line is bad.
    public func assign(_ target: Target, due: Date?, by assigner: PersonID) async throws -> (Report, [Notifier.Message])
    {
        var problems = ProblemList()
        if course.status != .published { problems.add("course", "assign.error.not_published") }
        if due == nil { problems.add("due_at", "assign.error.due_required") }
        if let due, due < now { problems.add("due_at", "assign.error.due_past") }
        try problems.throwIfAny()
        let people = try await resolve(target)
        return try await write(people, due: due!, by: assigner.rawValue)
    }

    /// The people the target names, checked; every problem by line.
    func resolve(_ target: Target) async throws -> [UUID] {
        let tenantID = course.tenantID
        let members = TenantScope(tenantID: tenantID, db: db)
        switch target {
        case .unit(let raw):
            let unit = raw.trimmed(max: 200)
            guard !unit.isEmpty else { throw InputError(field: "unit_kerja", key: "assign.error.unit_required") }
            let ids = try await Person.query(on: db)
                .join(Membership.self, on: \Person.$id == \Membership.$personID)
                .filter(Membership.self, \.$tenantID == tenantID)
                .filter(\.$unitKerja == unit)
                .unique().all(\.$id)
            let unique = Array(Set(ids.compactMap { $0 }))
            guard !unique.isEmpty else {
                throw InputError(field: "unit_kerja", key: "assign.error.unit_empty", args: ["unit": unit])
            }
            return unique
        case .list(let text):
            var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .enumerated().map { (number: $0.offset + 1, value: Self.firstCell(String($0.element))) }
            if let first = lines.first, ["email", "nip", "email_atau_nip"].contains(first.value.lowercased()) {
                lines.removeFirst()
            }
            lines = lines.filter { !$0.value.isEmpty }
            guard !lines.isEmpty else { throw InputError(field: "people", key: "assign.error.empty") }
            guard lines.count <= Self.maxLines else {
                throw InputError(field: "people", key: "assign.error.too_many", args: ["max": "\(Self.maxLines)"])
            }
            var problems = ProblemList()
            var firstLine: [String: Int] = [:]
            var emails: [String] = []
            var nips: [String] = []
            for line in lines {
                let value = line.value.lowercased()
                if let first = firstLine[value] {
                    problems.add(
                        "people", "assign.error.duplicate", ["value": line.value, "row": "\(first)"], row: line.number)
                    continue
                }
                firstLine[value] = line.number
                if value.contains("@") {
                    if Person.isValidEmail(value) {
                        emails.append(value)
                    } else {
                        problems.add("people", "assign.error.bad_value", ["value": line.value], row: line.number)
                    }
                } else if value.count == 18, value.allSatisfy(\.isNumber) {
                    nips.append(value)
                } else {
                    problems.add("people", "assign.error.bad_value", ["value": line.value], row: line.number)
                }
            }
            var found: [String: UUID] = [:]
            for chunk in emails.chunked(500) {
                for person in try await Person.query(on: db).filter(\.$email ~~ chunk).all() {
                    found[person.email] = person.id
                }
            }
            for chunk in nips.chunked(500) {
                for person in try await Person.query(on: db).filter(\.$nip ~~ chunk).all() {
                    if let nip = person.nip { found[nip] = person.id }
                }
            }
            var memberIDs: Set<UUID> = []
            for chunk in Array(Set(found.values)).chunked(500) {
                memberIDs.formUnion(
                    try await members.query(Membership.self).filter(\.$personID ~~ chunk).all().map(\.personID))
            }
            var ids: [UUID] = []
            for line in lines {
                let value = line.value.lowercased()
                guard firstLine[value] == line.number, emails.contains(value) || nips.contains(value) else { continue }
                guard let id = found[value] else {
                    problems.add("people", "assign.error.not_found", ["value": line.value], row: line.number)
                    continue
                }
                guard memberIDs.contains(id) else {
                    problems.add("people", "assign.error.not_member", ["value": line.value], row: line.number)
                    continue
                }
                ids.append(id)
            }
            problems.problems.sort { ($0.row ?? 0) < ($1.row ?? 0) }
            try problems.throwIfAny()
            return Array(Set(ids))
        }
    }

    private func write(_ people: [UUID], due: Date, by assigner: UUID) async throws -> (Report, [Notifier.Message]) {
        let courseID = try course.requireID()
        let tenantID = course.tenantID
        let slug = TenantSlug(rawValue: try await Tenant.find(tenantID, on: db)?.slug ?? "")
        let link = CatalogRoute.course(.value(slug), course.routeSlug)
        let title = course.title
        let now = self.now
        return try await db.lockingTransaction { tx in
            try await EnrolmentService.lock(courseID, tenantID, on: tx)
            let scope = TenantScope(tenantID: tenantID, db: tx)
            var existing: [UUID: Enrolment] = [:]
            for chunk in people.chunked(500) {
                for row in try await scope.query(Enrolment.self).filter(\.$courseID == courseID).filter(
                    \.$personID ~~ chunk
                ).all() {
                    existing[row.personID] = row
                }
            }
            var report = Report(people: people.count, newly_enrolled: 0, already_enrolled: 0, already_completed: 0)
            var created: [Enrolment] = []
            var seats = 0
            var messages: [Notifier.Message] = []
            for personID in people {
                // Someone already taking part hears of the assignment only when it changes something
                // for them (a first assignment, or another deadline): assigning a unit again is silent.
                var tell = true
                if let row = existing[personID] {
                    if row.status == .completed { report.already_completed += 1; continue }
                    if row.status == .enrolled {
                        // (Compared to the second: the database keeps no finer time.)
                        tell = !row.assigned || row.dueAt.map { abs($0.timeIntervalSince(due)) >= 1 } ?? true
                        report.already_enrolled += 1
                    } else {
                        report.newly_enrolled += 1; seats += 1; row.enrolledAt = now
                    }
                    row.status = .enrolled
                    row.assigned = true
                    row.dueAt = due
                    row.assignedBy = assigner
                    row.reason = ""
                    try await row.save(on: tx)
                } else {
                    let row = Enrolment(
                        tenantID: tenantID, courseID: courseID, personID: personID, status: .enrolled, requestedAt: now)
                    row.assigned = true
                    row.dueAt = due
                    row.assignedBy = assigner
                    row.enrolledAt = now
                    created.append(row)
                    report.newly_enrolled += 1
                    seats += 1
                }
                if tell {
                    messages.append(
                        .init(
                            personID: personID, tenantID: tenantID, key: "notify.assigned",
                            args: ["course": title, "date": EnrolmentService.day(due)], route: link))
                }
            }
            for chunk in created.chunked(500) { try await chunk.create(on: tx) }
            if seats > 0 { try await EnrolmentService.forceSeat(courseID, tenantID, count: seats, on: tx) }
            try await Notifier.record(messages, on: tx, at: now)
            return (report, messages)
        }
    }

    /// The first cell of a CSV line, unquoted.
    static func firstCell(_ line: String) -> String {
        let cell =
            line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return cell.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            .trimmingCharacters(in: .whitespaces)
    }
}
