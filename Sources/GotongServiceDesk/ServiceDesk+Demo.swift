import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The demo's service desk: BPSDM Jawa Barat (a provincial government's agency) with its desk
/// on and three citizens' reports, one of each privacy mode.
package enum ServiceDeskDemo {
    package static func seed(_ app: Application, on db: any Database) async throws {
        guard let tenant = try await Tenant.find(slug: "bpsdm-jabar", on: db) else { return }
        let now = app.clock.now()
        let scope = TenantScope(tenantID: try tenant.requireID(), db: db)
        try await DeskSetup.enable(scope, now: now)
        let reports: [(String, String, String, String, String)] = [
            (
                "infrastruktur", "public", "Jl. Soekarno-Hatta km 12, Bandung",
                "Lampu penerangan jalan di depan halte padam sejak sepekan; malam hari gelap dan rawan kecelakaan.",
                "081234567801"
            ),
            (
                "perizinan", "anonymous", "",
                "Pengurusan izin usaha mikro di kecamatan diminta biaya tambahan tanpa kuitansi. Mohon ditertibkan.",
                "081234567802"
            ),
            (
                "kependudukan", "confidential", "Kelurahan Cibeunying",
                "KTP-el saya belum jadi sejak tiga bulan lalu padahal sudah rekam data. Mohon informasi jadwalnya.",
                "081234567803"
            ),
        ]
        for (category, privacy, location, text, phone) in reports {
            var report = Report()
            (report.category, report.privacy, report.location, report.text, report.phone) =
                (category, privacy, location, text, phone)
            _ = try await Intake(scope: scope, now: now).open(report, channel: .web, source: nil)
        }
    }
}
