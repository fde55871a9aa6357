import Fluent
import NIOConcurrencyHelpers
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Making and changing a tenant's evaluation forms. A form that has been answered keeps its
/// questions — its results would otherwise stop meaning what was asked — and is copied to be
/// changed. Every change is audited.
struct FormBuilder {
    let req: Request

    var scope: TenantScope { get throws { try req.tenantScope } }

    func isAnswered(_ form: UUID) async throws -> Bool {
        if try await scope.query(EvaluationResponse.self).filter(\.$formID == form).count() > 0 { return true }
        return try await req.application.formUses.answered(form, in: try scope)
    }

    func items(of form: UUID) async throws -> [EvaluationItem] {
        try await scope.query(EvaluationItem.self).filter(\.$formID == form).sort(\.$position).all()
    }

    /// A new empty form.
    func create(title: String?, purpose: String?, intro: String? = nil) async throws -> EvaluationForm {
        var problems = ProblemList()
        let title = problems.text(title, "title", max: 160, required: "evaluation.error.title_required")
        let intro = problems.text(intro, "intro", max: 1000)
        let purpose = EvaluationForm.Purpose(rawValue: purpose ?? "")
        if purpose == nil { problems.add("purpose", "evaluation.error.purpose") }
        try problems.throwIfAny()
        let form = EvaluationForm()
        let now = req.application.clock.now()
        (form.tenantID, form.purpose, form.title, form.intro) = (try scope.tenantID, purpose!, title, intro)
        (form.createdAt, form.updatedAt) = (now, now)
        try await req.database.lockingTransaction { tx in
            try await form.create(on: tx)
            try await req.audit("evaluation.form.create", subject: title, detail: "", tenantID: form.tenantID, on: tx)
        }
        return form
    }

    /// Its title and introduction (also of an answered form: the questions stay).
    func rename(_ form: EvaluationForm, title: String?, intro: String?) async throws {
        var problems = ProblemList()
        let title = problems.text(title, "title", max: 160, required: "evaluation.error.title_required")
        let intro = problems.text(intro, "intro", max: 1000)
        try problems.throwIfAny()
        (form.title, form.intro, form.updatedAt) = (title, intro, req.application.clock.now())
        try await req.database.lockingTransaction { tx in
            try await form.save(on: tx)
            try await req.audit("evaluation.form.update", subject: title, detail: "", tenantID: form.tenantID, on: tx)
        }
    }

    /// Adds a question at the end.
    func addItem(
        to form: EvaluationForm, kind: String?, prompt: String?, choices: String?, required: Bool
    ) async throws -> EvaluationItem {
        var problems = ProblemList()
        let prompt = problems.text(prompt, "prompt", max: 500, required: "evaluation.error.prompt_required")
        let kind = EvaluationItem.Kind(rawValue: kind ?? "")
        if kind == nil { problems.add("kind", "evaluation.error.kind") }
        let lines = (choices ?? "").split(whereSeparator: \.isNewline).map { String($0).cleanedText }
            .filter { !$0.isEmpty }
        if let kind, kind.hasChoices {
            if lines.count < 2 || lines.count > 20 {
                problems.add("choices", "evaluation.error.choices")
            } else if lines.contains(where: { $0.count > 200 }) {
                problems.add("choices", "evaluation.error.choice_long")
            }
        }
        try problems.throwIfAny()
        let formID = try form.requireID()
        let item = EvaluationItem()
        (item.tenantID, item.formID, item.kind, item.prompt, item.required) =
            (form.tenantID, formID, kind!, prompt, required)
        item.choicesText = kind!.hasChoices ? lines.joined(separator: "\n") : ""
        try await req.database.lockingTransaction { tx in
            try await Self.refuseIfAnswered(formID, on: tx, tenantID: form.tenantID, uses: req.application.formUses)
            let last = try await EvaluationItem.query(on: tx).filter(\.$formID == formID).max(\.$position) ?? 0
            item.position = last + 1
            try await item.create(on: tx)
            try await req.audit(
                "evaluation.form.update", subject: form.title, detail: "added=\(prompt)", tenantID: form.tenantID,
                on: tx)
        }
        return item
    }

    func removeItem(_ item: EvaluationItem, of form: EvaluationForm) async throws {
        try await req.database.lockingTransaction { tx in
            try await Self.refuseIfAnswered(
                try form.requireID(), on: tx, tenantID: form.tenantID, uses: req.application.formUses)
            try await item.delete(on: tx)
            try await req.audit(
                "evaluation.form.update", subject: form.title, detail: "removed=\(item.prompt)",
                tenantID: form.tenantID,
                on: tx)
        }
    }

    /// Swaps a question with the one above or below it.
    func move(_ item: EvaluationItem, of form: EvaluationForm, _ direction: ItemMove) async throws {
        try await req.database.lockingTransaction { tx in
            let formID = try form.requireID()
            try await Self.refuseIfAnswered(formID, on: tx, tenantID: form.tenantID, uses: req.application.formUses)
            let all = try await EvaluationItem.query(on: tx).filter(\.$formID == formID).sort(\.$position).all()
            guard let at = all.firstIndex(where: { $0.id == item.id }) else { throw Abort(.notFound) }
            let other = direction == .up ? at - 1 : at + 1
            guard all.indices.contains(other) else { return }
            (all[at].position, all[other].position) = (all[other].position, all[at].position)
            try await all[at].save(on: tx)
            try await all[other].save(on: tx)
        }
    }

    /// A copy of a form with its questions, to change what an answered form asks.
    func copy(_ form: EvaluationForm) async throws -> EvaluationForm {
        let copy = EvaluationForm()
        let now = req.application.clock.now()
        (copy.tenantID, copy.purpose, copy.intro, copy.createdAt, copy.updatedAt) =
            (form.tenantID, form.purpose, form.intro, now, now)
        copy.title = String(req.t("evaluation.form.copy_of", ["title": form.title]).prefix(160))
        let items = try await self.items(of: try form.requireID())
        try await req.database.lockingTransaction { tx in
            try await copy.create(on: tx)
            let copies = items.map { item in
                let new = EvaluationItem()
                (new.tenantID, new.formID, new.position, new.kind) = (item.tenantID, copy.id!, item.position, item.kind)
                (new.prompt, new.choicesText, new.required) = (item.prompt, item.choicesText, item.required)
                return new
            }
            if !copies.isEmpty { try await copies.create(on: tx) }
            try await req.audit(
                "evaluation.form.create", subject: copy.title, detail: "copy_of=\(form.title)", tenantID: form.tenantID,
                on: tx)
        }
        return copy
    }

    /// Inside the change's transaction, first: the form's row is locked (PostgreSQL; SQLite's
    /// writers take turns already), so an answer being saved and a change of the questions
    /// wait for each other, and an answer committed a moment before wins.
    static func refuseIfAnswered(_ form: UUID, on db: any Database, tenantID: UUID, uses: FormUses) async throws {
        try await lock(form, on: db)
        let scope = TenantScope(tenantID: tenantID, db: db)
        let answered = try await scope.query(EvaluationResponse.self).filter(\.$formID == form).count()
        let elsewhere = answered > 0 ? false : try await uses.answered(form, in: scope)
        if answered > 0 || elsewhere {
            throw InputError(field: "form", key: "evaluation.error.locked", status: .conflict)
        }
    }

    /// Locks a form's row for the rest of the transaction (PostgreSQL: `FOR UPDATE`).
    static func lock(_ form: UUID, on db: any Database) async throws {
        guard !db.sql.isSQLite else { return }
        try await db.sql.raw("SELECT id FROM \(ident: EvaluationForm.schema) WHERE id = \(bind: form) FOR UPDATE").run()
    }
}

/// Answers to a form kept by other modules (the public site's surveys): a form answered there
/// keeps its questions too. Each module registers how it knows.
public final class FormUses: Sendable {
    public typealias Answered = @Sendable (UUID, TenantScope) async throws -> Bool
    private let checks = NIOLockedValueBox<[Answered]>([])

    public func register(_ check: @escaping Answered) { checks.withLockedValue { $0.append(check) } }

    func answered(_ form: UUID, in scope: TenantScope) async throws -> Bool {
        for check in checks.withLockedValue({ $0 }) where try await check(form, scope) { return true }
        return false
    }
}

extension Application {
    private struct FormUsesKey: StorageKey { typealias Value = FormUses }

    public var formUses: FormUses {
        if let kept = storage[FormUsesKey.self] { return kept }
        let made = FormUses()
        storage[FormUsesKey.self] = made
        return made
    }
}
