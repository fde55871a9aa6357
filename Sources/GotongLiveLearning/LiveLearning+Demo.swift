import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The demo's Live Learning: LAN's programme every two weeks on Instagram, TikTok and
/// YouTube, six past episodes with their platforms' figures (imported from the programme's
/// own CSV, as an operator would), and the next episode planned.
package enum LiveLearningDemo {
    package static func seed(_ app: Application, on db: any Database) async throws {
        guard let tenant = try await Tenant.find(slug: "lan", on: db) else { return }
        let now = app.clock.now()
        let scope = TenantScope(tenantID: try tenant.requireID(), db: db)
        var change = ProgrammeChange()
        change.slug = "live-learning"
        change.name = "Live Learning LAN"
        change.description =
            "Siaran langsung pembelajaran gratis untuk ASN di seluruh Indonesia, setiap dua minggu sekali "
            + "pada Kamis pukul 13.00 WIB."
        (change.instagram, change.tiktok, change.youtube) = ("@lan_ri", "@lan_ri", "Lembaga Administrasi Negara")
        // The next Thursday at 13.00 WIB, and the six before it, every two weeks.
        let next = nextThursday(after: now)
        change.cadenceDays = 14
        change.cadenceAnchor = next
        let programme = try await Programmes.create(change, in: scope, now: now)
        let topics = [
            ("Etika ASN di media sosial", "Dr. Rina Kusuma, M.Si. dan Budi Santoso, S.Sos."),
            ("Menulis nota dinas yang jelas", "Sari Dewi, M.A."),
            ("Analisis kebijakan dengan data terbuka", "Prof. Dr. Andi Wijaya; Maya Lestari, M.P.P."),
            ("Pelayanan publik yang inklusif", "Dra. Ratna Sari, M.Si."),
            ("Manajemen kinerja ASN", "Dr. Hendra Gunawan"),
            ("Keamanan siber untuk pegawai", "Yudi Prasetyo, M.Kom. dan Lina Marlina, S.T."),
        ]
        // reached, peak, comments, engaged, followers per platform: Instagram, TikTok, YouTube.
        let figures: [[(Int, Int, Int, Int, Int)]] = [
            [(6_420, 512, 188, 930, 64), (3_100, 240, 75, 410, 38), (1_850, 160, 42, 220, 19)],
            [(5_310, 430, 121, 702, 41), (2_880, 205, 60, 350, 27), (1_640, 138, 31, 190, 12)],
            [(7_950, 618, 240, 1_210, 88), (4_020, 300, 98, 560, 51), (2_400, 201, 66, 310, 25)],
            [(4_870, 380, 96, 590, 30), (2_310, 170, 44, 260, 18), (1_290, 98, 20, 140, 9)],
            [(6_100, 470, 150, 860, 52), (3_560, 260, 81, 470, 36), (2_050, 172, 48, 250, 21)],
            [(8_640, 702, 290, 1_420, 103), (4_780, 355, 120, 690, 64), (2_910, 240, 80, 380, 33)],
        ]
        var lines = [
            "episode,speakers,topic,date,platform,accounts_reached,peak_viewers,comments,accounts_engaged,"
                + "followers_gained"
        ]
        for (index, (topic, speakers)) in topics.enumerated() {
            let day = LocalDates.isoDay.string(from: next.addingTimeInterval(-Double(14 * (6 - index)) * 86_400))
            for (platform, f) in zip(LivePlatform.allCases, figures[index]) {
                let counts = "\(f.0),\(f.1),\(f.2),\(f.3),\(f.4)"
                lines.append("\(index + 1),\"\(speakers)\",\(topic),\(day),\(platform.rawValue),\(counts)")
            }
        }
        _ = try await FiguresImport(programme: programme, db: db, now: now)
            .run(Data(lines.joined(separator: "\n").utf8), format: .csv)
        var upcoming = EpisodeChange()
        upcoming.number = 7
        upcoming.topic = "Kolaborasi lintas instansi"
        upcoming.speakers = [
            .init(name: "Dr. Rina Kusuma, M.Si.", position: "Widyaiswara Ahli Utama", institution: "LAN")
        ]
        upcoming.startsAt = next
        upcoming.links = [
            "instagram": "https://www.instagram.com/lan_ri/",
            "youtube": "https://www.youtube.com/@LembagaAdministrasiNegara",
        ]
        _ = try await Episodes.create(upcoming, in: programme, on: db, now: now)
    }

    /// The first Thursday at 13.00 WIB after `date`.
    static func nextThursday(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDates.zone
        let components = DateComponents(hour: 13, minute: 0, weekday: 5)
        return calendar.nextDate(after: date, matching: components, matchingPolicy: .nextTime) ?? date
    }
}
