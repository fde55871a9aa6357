import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// How the walk fills path parameters, plans one call and judges its answer, and the hostile
/// values it puts in every query parameter.
extension RouteWalkTests {
    // MARK: Parameters

    /// Which set of records a call takes its parameter values from.
    enum Variant: String, Sendable { case own, foreign, mixed }

    struct Values: Sendable {
        /// Fills `:tenantSlug` (and means the master template for `/admin/master/…`).
        let slugTenant: WalkRecords
        /// Fills every record id.
        let records: WalkRecords
        /// Fills a person's tokens and links.
        let person: PersonRecords
        let jobID: UUID?
    }

    struct UnknownParameter: Error { let name: String; let after: String; let route: String }

    /// The values to try for parameter `name` of `route` (that follows the constant `after`).
    /// Several values make several calls: every activity type, every action. nil: unknown.
    static func values(_ name: String, after: String, route: Route, _ v: Values) -> [(value: String, note: String)]? {
        let p = route.path.map(\.description)
        func activities() -> [(String, String)] {
            // Every type where the type matters (its page, its form, deleting its files); one
            // where only the activity's place does (moving, hiding: `:action`).
            let types: [String] =
                p.contains("utas") || p.contains("threads")
                ? ["forum"]
                : p.contains("tugas") || p.contains("penilaian") || p.contains("submission")
                    || p.contains("submissions") || p.contains("submission-files")
                    ? ["assignment"]
                    : p.contains("kuis") || p.contains("attempts") || p.contains("mulai") || p.contains("slots")
                        || p.contains("results") || p.contains("regrade")
                        ? ["quiz"]
                        : p.contains("berkas") || p.contains("files")
                            ? ["file", "video"]
                            : p.contains(":action") ? ["page"] : WalkRecords.activityTypes
            return types.compactMap { type in v.records.activities[type].map { ($0.uuidString, "activity=\(type)") } }
        }
        func one(_ id: UUID?) -> [(String, String)] {
            [((id ?? UUID()).uuidString, id == nil ? "unfilled:\(name)" : "")]
        }
        switch name {
        case "tenantSlug": return [(v.slugTenant.slug, "")]
        case "courseSlug": return [(v.records.courseSlug, "")]
        case "courseID": return one(v.records.courseID)
        case "sectionID": return one(v.records.sectionID)
        case "activityID": return activities()
        case "threadID": return one(v.records.threadID)
        case "enrolmentID": return one(v.records.enrolmentID)
        case "categoryID": return one(v.records.categoryID)
        case "importID": return one(v.records.importID)
        case "questionCategoryID": return one(v.records.bank.categoryID)
        case "questionID": return one(v.records.bank.questionID)
        case "questionImportID": return one(v.records.bank.importID)
        case "quizSlotID": return one(v.records.bank.quizSlotID)
        case "attemptID": return one(v.records.bank.attemptID)
        case "submissionID": return one(v.records.bank.submissionID)
        case "assignmentFileID": return one(v.records.bank.assignmentFileID)
        case "ledgerEntryID": return one(v.records.ledgerEntryID)
        case "attachmentID": return one(v.records.attachmentID)
        case "serviceID": return one(v.records.serviceID)
        case "documentID": return one(v.records.documentID)
        case "factCheckID": return one(v.records.factCheckID)
        case "qaSessionID": return one(v.records.qaSessionID)
        case "postID": return one(v.records.postID)
        case "formFileID": return one(v.records.formFileID)
        case "consultationID": return one(v.records.consultationID)
        case "serviceSlug":
            let slug = v.records.serviceSlug
            return [(slug ?? "tidak-ada", slug == nil ? "unfilled:\(name)" : "")]
        case "formID": return one(v.records.evaluationFormID)
        case "itemID": return one(v.records.evaluationItemID)
        case "certificateCode":
            let code = v.records.certificateCode
            return [(code ?? "0000-0000-0000", code == nil ? "unfilled:\(name)" : "")]
        case "pageKey": return [("tentang", "")]
        case "programmeSlug":
            let slug = v.records.programmeSlug
            return [(slug ?? "tidak-ada", slug == nil ? "unfilled:\(name)" : "")]
        case "episodeNumber":
            let number = v.records.episodeNumber
            return [(number.map(String.init) ?? "1", number == nil ? "unfilled:\(name)" : "")]
        case "caseNumber":
            let number = v.records.caseNumber
            return [(number ?? "ADU-2026-000001", number == nil ? "unfilled:\(name)" : "")]
        case "channel": return [("whatsapp", ""), ("x", "channel=x")]
        case "year": return [(String(LocalDates.year(of: Date())), ""), ("1999", "year=1999")]
        case "tokenID": return one(v.person.apiTokenID)
        case "jobID": return one(v.jobID)
        case "field": return [("file", "")]
        case "lang": return [("id", ""), ("en", "")]
        case "token":
            switch after {
            case "verifikasi-email": return [(v.person.verifyToken, "")]
            case "atur-sandi": return [(v.person.resetToken, "")]
            case "evaluasi-atasan":
                let token = v.records.supervisorToken
                return [(token ?? "tidak-ada", token == nil ? "unfilled:\(name)" : "")]
            default: return nil
            }
        case "action":
            let actions: [String]
            switch after {
            case "kurasi": actions = ["setujui", "tolak"]
            case "peserta", "pilihan": actions = ["setujui", "tolak", "keluarkan"]
            case "topik", "materi": actions = ["naik", "turun", "sembunyikan", "tampilkan"]
            case "soal-kuis": actions = ["naik", "turun", "hapus"]
            case "pertanyaan": actions = ["naik", "turun"]
            case "angka", "figures": actions = ["instagram", "tiktok", "youtube"]
            default: return nil
            }
            return (actions + ["bukan-aksi"]).map { ($0, "action=\($0)") }
        default: return nil
        }
    }

    /// Parameters that name a tenant's records (as opposed to a tenant, a person's secret, or a
    /// fixed word): the ones a mixed call takes from the other tenant.
    static func namesRecord(_ name: String, after: String) -> Bool {
        switch name {
        case "courseSlug", "courseID", "sectionID", "activityID", "threadID", "enrolmentID", "categoryID", "importID",
            "questionCategoryID", "questionID", "questionImportID", "quizSlotID", "attemptID", "submissionID",
            "assignmentFileID", "certificateCode", "ledgerEntryID", "formID", "itemID", "programmeSlug",
            "episodeNumber", "caseNumber", "attachmentID", "serviceID", "serviceSlug", "documentID",
            "factCheckID", "qaSessionID", "postID", "formFileID",
            "consultationID":
            true
        default: false
        }
    }

    static func namesPerson(_ name: String, after: String) -> Bool {
        name == "token" || name == "tokenID"
    }

    static func namesPerson(_ route: Route) -> Bool {
        var after = ""
        for component in route.path {
            if case .constant(let value) = component { after = value }
            if case .parameter(let name) = component, namesPerson(name, after: after) { return true }
        }
        return false
    }

    /// Every concrete address of `route` with values `v`: one per combination of the values.
    static func addresses(_ route: Route, _ v: Values) throws -> [(path: String, note: String)] {
        var results: [(String, String)] = [("", "")]
        var after = ""
        for component in route.path {
            var choices: [(String, String)]
            switch component {
            case .constant(let value):
                choices = [(value, "")]
                after = value
            case .parameter(let name):
                guard let found = values(name, after: after, route: route, v) else {
                    throw UnknownParameter(name: name, after: after, route: RouteWalk.key(route))
                }
                choices = found
            case .anything: choices = [("x", "")]
            case .catchall: choices = [("x/y", "")]
            }
            results = results.flatMap { base in
                choices.map { (base.0 + "/" + $0.0, [base.1, $0.1].filter { !$0.isEmpty }.joined(separator: " ")) }
            }
        }
        return results.map { ($0.0.isEmpty ? "/" : $0.0, $0.1) }
    }

    // MARK: One call, planned and judged

    struct Call: Sendable {
        let route: Route
        let key: String
        let path: String
        let variant: Variant
        let note: String
        /// 0: harmless; 1: removes or changes standing (deleting, archiving, withdrawing,
        /// refusing); 2: ends the caller's own sign-in or tokens. Walked in that order.
        let rank: Int
        /// The course whose records fill the call (for the enrolment check of learning routes).
        let courseID: UUID
        /// Which of the route's addresses this is (for filling it again with fresh records).
        var expansion = 0

        func with(path: String, note: String, courseID: UUID? = nil) -> Call {
            var copy = Call(
                route: route, key: key, path: path, variant: variant, note: note, rank: rank,
                courseID: courseID ?? self.courseID)
            copy.expansion = expansion
            return copy
        }
    }

    static func rank(_ route: Route, note: String) -> Int {
        guard route.method != .GET, route.method != .HEAD else { return 0 }
        let p = route.path.map(\.description)
        if p.contains("keluar") || p.contains("keluar-semua") || p.contains("cabut")
            || (route.method == .DELETE && p.contains("tokens"))
        {
            return 2
        }
        let destructive = ["hapus", "arsipkan", "archive", "remove", "reject", "mundur", "status", "simpan", "ulang"]
        if route.method == .DELETE || p.contains(where: destructive.contains) { return 1 }
        if ["action=tolak", "action=keluarkan", "action=sembunyikan"].contains(where: note.contains) { return 1 }
        return 0
    }

    struct Finding: Sendable {
        let kind: String
        let key: String
        let role: String
        let variant: String
        let path: String
        let status: HTTPStatus
        let detail: String
    }

    /// Whether an answer gave the caller what they asked for: a 2xx, or for a write a redirect
    /// anywhere but the sign-in page (web forms redirect after doing their work, and after
    /// refusing bad input: either way the handler let the caller in).
    static func granted(_ reply: WalkReply, method: HTTPMethod) -> Bool {
        if (200..<300).contains(reply.status.code) { return true }
        if method != .GET, method != .HEAD, (300..<400).contains(reply.status.code) {
            return !(reply.location ?? "").hasPrefix("/masuk")
        }
        return false
    }

    /// The rules, applied to one answer.
    static func judge(
        _ call: Call, _ reply: WalkReply, caller: WalkCaller, other: WalkRecords, app: Application, phase: String
    ) async throws -> [Finding] {
        var found: [Finding] = []
        func add(_ kind: String, _ detail: String = "") {
            found.append(
                Finding(
                    kind: kind, key: call.key, role: caller.role, variant: "\(phase)/\(call.variant.rawValue)",
                    path: call.path, status: reply.status,
                    detail: [call.note, detail].filter { !$0.isEmpty }.joined(separator: " ")))
        }
        if reply.status.code >= 500 { add("5xx") }
        let method = call.route.method
        let outsider = !caller.isPlatformAdmin && !caller.memberOf.contains(other.slug)
        // Learning routes answer whoever learns in (or teaches) the course, in any tenant; a
        // person's own pages show the courses they learn in.
        var learns = false
        if Self.isLearning(call.route), let personID = caller.personID {
            let enrolled = try await Enrolment.query(on: app.db).filter(\.$courseID == call.courseID).filter(
                \.$personID == personID
            )
            .filter(\.$status ~~ [.enrolled, .completed]).count()
            let staff = try await CourseStaff.query(on: app.db).filter(\.$courseID == call.courseID).filter(
                \.$personID == personID
            ).count()
            learns = enrolled + staff > 0
        } else if Self.isPersonal(call.route), let personID = caller.personID {
            learns =
                try await Enrolment.query(on: app.db).filter(\.$tenantID == other.tenantID).filter(
                    \.$personID == personID
                ).count() > 0
        }
        if granted(reply, method: method) {
            switch call.variant {
            case .mixed:
                add("mixed-ids-answered", "the tenant in the address reached another tenant's record")
            case .foreign where outsider && !publicByDesign.contains(call.key) && !learns:
                add("other-tenant-answered", "a non-member reached another tenant's records")
            case .foreign where namesPerson(call.route) && !publicByDesign.contains(call.key):
                // Another person's tokens are theirs alone, platform administrators included.
                add("other-person-answered", "the caller reached another person's token")
            default: break
            }
            if isPlatformOnly(call.route), !caller.isPlatformAdmin { add("platform-only-answered") }
            if isManagement(call.route), call.variant == .own, caller.isAnonymous || caller.role == "peserta" {
                add("management-answered-learner")
            }
        }
        let marker = RouteWalk.marker(other.slug), address = "@\(other.slug).gotong.test"
        if outsider && !learns && !isPersonLink(call.route), reply.body.contains(marker) || reply.body.contains(address)
        {
            add("other-tenant-data-in-body", "the body holds \(reply.body.contains(marker) ? marker : address)")
        }
        return found
    }

    // MARK: Hostile values

    static let queryNames = [
        "hal", "halaman", "page", "q", "filter", "urut", "next", "kategori", "jenis", "topik", "status", "dry_run",
        "filename",
        "jp_min", "jp_max", "sort", "tenant", "language", "open", "competency_type", "delivery_method", "due_at",
    ]

    /// Values that make sense for each name, so a hostile value in one name reaches the code
    /// behind the others (`jenis` must name a type before `topik` is read).
    static func sensible(_ own: WalkRecords) -> [String: String] {
        [
            "hal": "1", "halaman": "1", "page": "1", "q": "statistik", "filter": "belum_selesai", "urut": "nama",
            "next": "/saya",
            "kategori": "teknis", "jenis": "page", "topik": own.sectionID.uuidString, "status": "enrolled",
            "dry_run": "true",
            "filename": "modul.pdf", "jp_min": "1", "jp_max": "40", "sort": "newest", "tenant": own.slug,
            "language": "id", "open": "1",
            "competency_type": "teknis", "delivery_method": "mandiri", "due_at": "2030-01-31",
        ]
    }

    /// Hostile values, already encoded for an address (`%00` and a lone `%` are sent as they are).
    /// `short` is the handful tried where many calls multiply (each name alone, each path segment).
    static func hostile(other: WalkRecords, short: Bool = false) -> [(encoded: String, label: String)] {
        var plain: [(String, String)] = [
            ("1383505805528216372", "huge"), ("99999999999999999999999", "beyond-64-bit"), ("-1", "-1"), ("abc", "abc"),
            (String(repeating: "a", count: 10_000), "10k-chars"),
        ]
        if !short {
            plain += [
                ("0", "0"), ("", "empty"), ("../../etc/passwd", "path"), ("<script>", "script"),
                (other.sectionID.uuidString, "other-tenant-section"),
            ]
        }
        return plain.map { (RouteWalk.encode($0.0), $0.1) } + [("%00", "%00")] + (short ? [] : [("%", "lone-%")])
    }
}
