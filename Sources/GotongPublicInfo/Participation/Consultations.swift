import Fluent
import Foundation
import GotongEvaluation
import GotongPlatform
import GotongTenancy
import Vapor

/// Writing polls, surveys and consultations: one parser for the editor's form and the API's
/// JSON, every problem at once. Once someone has answered, what was asked (the choices, the
/// form, the sections) stays as it was — the answers would otherwise stop meaning what was
/// asked; the title, the introduction and the dates may still change.
public enum Consultations {
    public struct Draft: Sendable {
        public var kind, title, intro, choices, formID, opensAt, closesAt, sections: String?
        public init() {}
    }

    struct Checked {
        let kind: Consultation.Kind
        let title, intro: String
        let choices: [String]
        let formID: UUID?
        let opensAt, closesAt: Date
        let sections: [(heading: String, body: String)]
    }

    static func check(_ d: Draft, in scope: TenantScope, now: Date) async throws -> Checked {
        var p = ProblemList()
        let kind = d.kind.flatMap(Consultation.Kind.init(rawValue:))
        if kind == nil { p.add("kind", "info.error.consultation_kind") }
        let title = p.text(d.title, "title", max: 200, required: "info.error.consultation_title")
        let intro = p.text(d.intro, "intro", max: 4000)
        var choices: [String] = []
        var formID: UUID?
        var sections: [(String, String)] = []
        switch kind {
        case .jajak:
            choices = ServiceDraft.lines(d.choices)
            if !(2...10).contains(choices.count) || choices.contains(where: { $0.count > 150 }) {
                p.add("choices", "info.error.consultation_choices")
            }
        case .survei:
            formID = try await surveyForm(d.formID, in: scope, problems: &p)
        case .konsultasi:
            sections = self.sections(d.sections, problems: &p)
        case nil: break
        }
        let opensAt = moment(d.opensAt, "opens_at", default: now, problems: &p)
        let closesAt = moment(d.closesAt, "closes_at", default: nil, problems: &p)
        if let opensAt, let closesAt, closesAt <= opensAt { p.add("closes_at", "info.error.consultation_closes") }
        try p.throwIfAny()
        return Checked(
            kind: kind!, title: title, intro: intro, choices: choices, formID: formID, opensAt: opensAt!,
            closesAt: closesAt!, sections: sections)
    }

    private static func moment(
        _ raw: String?, _ field: String, default value: Date?, problems p: inout ProblemList
    ) -> Date? {
        switch LocalDates.parse(raw, localTime: true) {
        case .success(let date?): return date
        case .success(nil):
            if value == nil { p.add(field, "info.error.consultation_\(field)") }
            return value
        case .failure:
            p.add(field, "info.error.consultation_\(field)")
            return nil
        }
    }

    /// A survey's form: one of the tenant's evaluation forms made for public surveys, with questions.
    private static func surveyForm(
        _ raw: String?, in scope: TenantScope, problems p: inout ProblemList
    )
        async throws -> UUID?
    {
        // The shared id parser; any id it refuses is one the tenant has not.
        guard let id = (try? QueryValue.id(raw?.trimmingCharacters(in: .whitespaces), field: "form_id")) ?? nil,
            let form = try await scope.find(EvaluationForm.self, id), form.purpose == .publicSurvey,
            try await scope.query(EvaluationItem.self).filter(\.$formID == id).count() > 0
        else {
            p.add("form_id", "info.error.consultation_form")
            return nil
        }
        return form.id
    }

    /// A draft's sections as written in one field: each begins with a line `# Heading`.
    static func sections(_ text: String?, problems p: inout ProblemList) -> [(heading: String, body: String)] {
        var sections: [(heading: String, body: String)] = []
        var stray = false
        for line in (text ?? "").replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.hasPrefix("# ") {
                sections.append((String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces), ""))
            } else if sections.isEmpty {
                if !line.trimmingCharacters(in: .whitespaces).isEmpty { stray = true }
            } else {
                sections[sections.count - 1].body += (sections[sections.count - 1].body.isEmpty ? "" : "\n") + line
            }
        }
        sections = sections.map { ($0.heading, $0.body.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if stray || !(1...30).contains(sections.count)
            || sections.contains(where: { $0.heading.isEmpty || $0.heading.count > 200 || $0.body.count > 10_000 })
        {
            p.add("sections", "info.error.consultation_sections")
        }
        return sections
    }

    public static func add(_ draft: Draft, in scope: TenantScope, now: Date) async throws -> Consultation {
        let c = try await check(draft, in: scope, now: now)
        let row = Consultation()
        (row.id, row.tenantID, row.outcome, row.createdAt) = (UUID(), scope.tenantID, "", now)
        try await scope.db.lockingTransaction { tx in
            fill(row, c, asked: true, now: now)
            try await row.create(on: tx)
            try await writeSections(c.sections, of: row, on: tx)
        }
        return row
    }

    public static func update(
        _ id: UUID, _ draft: Draft, in scope: TenantScope, now: Date
    ) async throws
        -> Consultation
    {
        let c = try await check(draft, in: scope, now: now)
        return try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let row = try await scope.locked(Consultation.self, id) else { throw Abort(.notFound) }
            guard c.kind == row.kind else { throw InputError(field: "kind", key: "info.error.consultation_kind_fixed") }
            let answered = try await isAnswered(id, in: scope)
            fill(row, c, asked: !answered, now: now)
            try await row.save(on: tx)
            if !answered, row.kind == .konsultasi {
                try await scope.query(ConsultationSection.self).filter(\.$consultationID == id).delete()
                try await writeSections(c.sections, of: row, on: tx)
            }
            return row
        }
    }

    /// What the government did with the input, for everyone to read (after it closed).
    public static func record(
        outcome text: String?, of id: UUID, in scope: TenantScope, now: Date
    ) async throws
        -> Consultation
    {
        var p = ProblemList()
        let outcome = p.text(text, "outcome", max: 10_000, required: "info.error.consultation_outcome")
        try p.throwIfAny()
        return try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(Consultation.self, id) else {
                throw Abort(.notFound)
            }
            guard row.phase(at: now) == .closed else {
                throw InputError(field: "outcome", key: "info.error.consultation_outcome_open", status: .conflict)
            }
            (row.outcome, row.outcomeAt, row.updatedAt) = (outcome, now, now)
            try await row.save(on: tx)
            return row
        }
    }

    public static func remove(_ id: UUID, in scope: TenantScope) async throws -> Consultation {
        try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).find(Consultation.self, id) else {
                throw Abort(.notFound)
            }
            try await row.delete(on: tx)
            return row
        }
    }

    static func isAnswered(_ id: UUID, in scope: TenantScope) async throws -> Bool {
        if try await scope.query(ConsultationResponse.self).filter(\.$consultationID == id).count() > 0 { return true }
        return try await scope.query(ConsultationComment.self).filter(\.$consultationID == id).count() > 0
    }

    private static func fill(_ row: Consultation, _ c: Checked, asked: Bool, now: Date) {
        (row.kind, row.title, row.intro, row.opensAt, row.closesAt, row.updatedAt) =
            (c.kind, c.title, c.intro, c.opensAt, c.closesAt, now)
        if asked { (row.choicesText, row.formID) = (c.choices.joined(separator: "\n"), c.formID) }
    }

    private static func writeSections(
        _ sections: [(heading: String, body: String)], of row: Consultation, on db: any Database
    ) async throws {
        for (index, section) in sections.enumerated() {
            let item = ConsultationSection()
            (item.tenantID, item.consultationID, item.position) = (row.tenantID, try row.requireID(), index)
            (item.heading, item.body) = (section.heading, section.body)
            try await item.create(on: db)
        }
    }

    /// A page of the tenant's consultations: open ones first (closing soonest), then those to
    /// come, then closed ones (latest first).
    public static func list(
        _ scope: TenantScope, page: Int, now: Date, per: Int = 20
    ) async throws
        -> ([Consultation], PageWindow)
    {
        let all = try await scope.query(Consultation.self).all()
        let order: (Consultation) -> (Int, TimeInterval) = {
            switch $0.phase(at: now) {
            case .open: (0, $0.closesAt.timeIntervalSince1970)
            case .upcoming: (1, $0.opensAt.timeIntervalSince1970)
            case .closed: (2, -$0.closesAt.timeIntervalSince1970)
            }
        }
        let sorted = all.sorted { order($0) < order($1) }
        let window = PageWindow(requested: page, per: per, total: sorted.count)
        return (Array(sorted[min(window.offset, sorted.count)..<min(window.offset + per, sorted.count)]), window)
    }
}
