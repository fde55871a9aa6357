import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongTenancy

extension WalkRecords {
    /// What a tenant's walk needs of Live Learning: a programme with one episode on air now
    /// (claims are taken), with figures on one platform. (Nothing here holds the walk's secret
    /// mark: programmes and episodes are public by design.)
    static func addLive(
        to records: inout WalkRecords, _ app: Application, slug: String, step: inout String
    ) async throws {
        step = "live programme"
        let scope = TenantScope(tenantID: records.tenantID, db: app.db)
        let programme = try await Programmes.findOrMake("live-\(slug)", in: scope, now: Date())
        step = "live episode"
        // Records are made again when SQLite refused a first try: the episode may be there.
        let made = try await scope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID()).first()
        let episode: LiveEpisode
        if let made {
            episode = made
        } else {
            episode = try await Episodes.make(
                number: 3, topic: "Episode jelajah", speakers: [.init(name: "Narasumber Jelajah")],
                startsAt: Date().addingTimeInterval(-600), in: programme, on: app.db, now: Date())
        }
        try await FiguresEntry.save(
            PlatformCounts(
                accountsReached: 900, peakViewers: 90, comments: 9, accountsEngaged: 120, followersGained: 4),
            for: episode, on: .instagram, db: app.db, now: Date())
        records.programmeSlug = programme.slug
        records.episodeNumber = episode.number
    }
}
