import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The desk's organisation, as its administrator sets it up: work units, the people at them
/// (members of the tenant: officers, a unit's head, the data protection officer) and the rules
/// that route new cases to a unit. Each change checked first, every problem at once.
struct Units {
    let scope: TenantScope
    let now: Date

    func addUnit(named raw: String?) async throws -> DeskUnit {
        var p = ProblemList()
        let name = p.text(raw, "name", max: 120, required: "desk.error.unit_name")
        if !name.isEmpty, try await scope.query(DeskUnit.self).filter(\.$name == name).count() > 0 {
            p.add("name", "desk.error.unit_taken")
        }
        try p.throwIfAny()
        let unit = DeskUnit(tenantID: scope.tenantID, name: name, createdAt: now)
        try await scope.db.lockingTransaction { tx in try await unit.create(on: tx) }
        return unit
    }

    /// Puts a member of the tenant, found by email, at the desk: an officer or the head of a
    /// unit, or the data protection officer (no unit).
    func addStaff(email raw: String?, unit rawUnit: UUID?, role: DeskStaff.Role?) async throws -> DeskStaff {
        var p = ProblemList()
        let email = EmailAddress.normalise(p.text(raw, "email", max: 200, required: "desk.error.staff_email"))
        var person: Person?
        if !email.isEmpty {
            person = try await Person.find(email: email, on: scope.db)
            let member = try await person?.id.asyncMap { id in
                try await scope.query(Membership.self).filter(\.$personID == id).count() > 0
            }
            if member != true { p.add("email", "desk.error.not_member") }
        }
        let unit = try await scope.find(DeskUnit.self, rawUnit)
        if role == nil { p.add("role", "desk.error.staff_role") }
        if role != nil, role != .dpo, unit == nil { p.add("unit", "desk.error.unit") }
        try p.throwIfAny()
        let unitID = role == .dpo ? nil : unit?.id
        var existing = scope.query(DeskStaff.self).filter(\.$personID == person!.id!).filter(\.$role == role!)
        existing = unitID.map { existing.filter(\.$unitID == $0) } ?? existing.filter(\.$unitID == .null)
        if let found = try await existing.first() { return found }
        let staff = DeskStaff(tenantID: scope.tenantID, personID: person!.id!, unitID: unitID, role: role!)
        try await scope.db.lockingTransaction { tx in try await staff.create(on: tx) }
        return staff
    }

    /// A rule after the others: cases of `category` (any when nil) whose text holds `keyword`
    /// (any when empty) go to `unit`.
    func addRule(unit rawUnit: UUID?, category rawCategory: UUID?, keyword raw: String?) async throws -> DeskRule {
        var p = ProblemList()
        let keyword = p.text(raw, "keyword", max: 100)
        let unit = try await scope.find(DeskUnit.self, rawUnit)
        if unit == nil { p.add("unit", "desk.error.unit") }
        let category = try await scope.find(DeskCategory.self, rawCategory)
        if rawCategory != nil, category == nil { p.add("category", "desk.error.category") }
        if category == nil, keyword.isEmpty { p.add("keyword", "desk.error.rule_empty") }
        try p.throwIfAny()
        return try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            let last = try await scope.query(DeskRule.self).max(\.$position) ?? -1
            let rule = DeskRule(
                tenantID: scope.tenantID, unitID: unit!.id!, categoryID: category?.id, keyword: keyword,
                position: last + 1)
            try await rule.create(on: tx)
            return rule
        }
    }

    enum Removable: String, CaseIterable, Sendable {
        case unit, staff, rule
    }

    /// Removes a unit (its officers and rules with it; its cases wait for routing again), an
    /// officer's place, or a rule. False when there was none of that id.
    func remove(_ kind: Removable, id: UUID) async throws -> Bool {
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            switch kind {
            case .unit:
                guard let unit = try await scope.find(DeskUnit.self, id) else { return false }
                try await scope.query(DeskCase.self).filter(\.$unitID == id).set(\.$unitID, to: nil)
                    .set(\.$assigneeID, to: nil).update()
                try await scope.query(DeskStaff.self).filter(\.$unitID == id).delete()
                try await scope.query(DeskRule.self).filter(\.$unitID == id).delete()
                try await unit.delete(on: tx)
            case .staff:
                guard let staff = try await scope.find(DeskStaff.self, id) else { return false }
                try await staff.delete(on: tx)
            case .rule:
                guard let rule = try await scope.find(DeskRule.self, id) else { return false }
                try await rule.delete(on: tx)
            }
            return true
        }
    }
}
