import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// A change to a programme, from the desk's form or the API: every field optional (nil leaves
/// it as it is), checked all at once so the coordinator sees every problem together.
public struct ProgrammeChange: Sendable, Codable {
    public var slug: String?
    public var name: String?
    public var description: String?
    public var instagram: String?
    public var tiktok: String?
    public var youtube: String?
    public var cadenceDays: Int?
    public var cadenceAnchor: Date?
    public var defaultMinutes: Int?
    public var defaultJP: Int?
    public var claimHours: Int?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case slug, name, description, instagram, tiktok, youtube
        case cadenceDays = "cadence_days", cadenceAnchor = "cadence_anchor", defaultMinutes = "default_minutes"
        case defaultJP = "default_jp", claimHours = "claim_hours"
    }

    static let cadenceRange = 0...366
    static let minutesRange = 10...600
    static let jpRange = 1...10
    static let claimHoursRange = 1...720

    /// Checks the change and writes it into `programme` (new or existing); throws every problem.
    func apply(to programme: LiveProgramme, in scope: TenantScope) async throws {
        var p = ProblemList()
        if let slug {
            if !CourseChange.isValidSlug(slug) || slug.count > 60 {
                p.add("slug", "live.error.slug")
            } else if let other = try await Programmes.find(slug, in: scope), other.id != programme.id {
                p.add("slug", "live.error.slug_taken")
            }
        } else if programme.id == nil {
            p.add("slug", "live.error.slug")
        }
        let name = name.map { p.text($0, "name", max: 120, required: "live.error.name") }
        if name == nil, programme.id == nil { p.add("name", "live.error.name") }
        let description = description.map { p.text($0, "description", max: 2_000) }
        let accounts = [instagram, tiktok, youtube].enumerated().map { index, raw in
            raw.map { p.text($0, LivePlatform.allCases[index].rawValue, max: 200) }
        }
        Self.check(cadenceDays, "cadence_days", Self.cadenceRange, &p)
        Self.check(defaultMinutes, "default_minutes", Self.minutesRange, &p)
        Self.check(defaultJP, "default_jp", Self.jpRange, &p)
        Self.check(claimHours, "claim_hours", Self.claimHoursRange, &p)
        try p.throwRefusal()
        if let slug { programme.slug = slug }
        if let name { programme.name = name }
        if let description { programme.description = description }
        if let value = accounts[0] { programme.instagram = value }
        if let value = accounts[1] { programme.tiktok = value }
        if let value = accounts[2] { programme.youtube = value }
        if let cadenceDays { programme.cadenceDays = cadenceDays }
        if let cadenceAnchor { programme.cadenceAnchor = cadenceAnchor }
        if let defaultMinutes { programme.defaultMinutes = defaultMinutes }
        if let defaultJP { programme.defaultJP = defaultJP }
        if let claimHours { programme.claimHours = claimHours }
    }

    static func check(_ value: Int?, _ field: String, _ range: ClosedRange<Int>, _ p: inout ProblemList) {
        if let value, !range.contains(value) {
            p.add(field, "input.error.number", ["min": "\(range.lowerBound)", "max": "\(range.upperBound)"])
        }
    }
}

extension Programmes {
    /// A new programme of the scope's tenant.
    public static func create(_ change: ProgrammeChange, in scope: TenantScope, now: Date) async throws -> LiveProgramme
    {
        let programme = LiveProgramme(tenantID: scope.tenantID, slug: "", name: "", now: now)
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            try await change.apply(to: programme, in: scope)
            try await programme.create(on: tx)
        }
        return programme
    }

    public static func update(
        _ programme: LiveProgramme, _ change: ProgrammeChange, in scope: TenantScope
    )
        async throws
    {
        try await scope.db.lockingTransaction { tx in
            try await change.apply(to: programme, in: TenantScope(tenantID: scope.tenantID, db: tx))
            try await programme.save(on: tx)
        }
    }

    /// The next moments of the programme's cadence after `now` that no episode has yet (an
    /// episode on the same Jakarta day takes it): what the desk proposes to plan.
    public static func proposals(
        _ programme: LiveProgramme, episodes: [LiveEpisode], now: Date, count: Int = 3
    ) -> [Date] {
        guard programme.cadenceDays > 0, let anchor = programme.cadenceAnchor else { return [] }
        let step = Double(programme.cadenceDays) * 86_400
        let taken = Set(episodes.map { LocalDates.isoDay.string(from: $0.startsAt) })
        var k = max(0, Int((now.timeIntervalSince(anchor) / step).rounded(.up)))
        var result: [Date] = []
        while result.count < count, k < 10_000 {
            let moment = anchor.addingTimeInterval(Double(k) * step)
            if moment > now, !taken.contains(LocalDates.isoDay.string(from: moment)) { result.append(moment) }
            k += 1
        }
        return result
    }
}

extension ProblemList {
    /// Throws the problems: a 409 when each is a clash with what exists (a slug or number
    /// taken), else a 422.
    func throwRefusal() throws {
        guard !isEmpty else { return }
        let clash = problems.allSatisfy { $0.key.hasSuffix("_taken") }
        throw InputError(problems, status: clash ? .conflict : .unprocessableEntity)
    }
}
