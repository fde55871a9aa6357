import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The demo's service desk: BPSDM Jawa Barat (a provincial government's agency) with its desk
/// on, three work units with a routing rule each, an officer of the roads unit
/// (`peserta2@bpsdm-jabar.gotong.test`), and three citizens' reports, one of each privacy mode.
package enum ServiceDeskDemo {
    package static func seed(_ app: Application, on db: any Database) async throws {
        guard let tenant = try await Tenant.find(slug: "bpsdm-jabar", on: db) else { return }
        let now = app.clock.now()
        let scope = TenantScope(tenantID: try tenant.requireID(), db: db)
        try await DeskSetup.enable(scope, now: now)
        try await organise(scope, now: now)
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

    /// Units, a rule per unit by category, one officer and the data protection officer.
    static func organise(_ scope: TenantScope, now: Date) async throws {
        guard try await scope.query(DeskUnit.self).count() == 0 else { return }
        let units = Units(scope: scope, now: now)
        let categories = try await DeskSetup.categories(scope)
        for (name, category) in [
            ("Dinas Bina Marga dan Penataan Ruang", "infrastruktur"),
            ("Dinas Penanaman Modal dan PTSP", "perizinan"), ("Disdukcapil", "kependudukan"),
        ] {
            let unit = try await units.addUnit(named: name)
            _ = try await units.addRule(
                unit: unit.id, category: categories.first { $0.slug == category }?.id, keyword: nil)
            if category == "infrastruktur" {
                _ = try await units.addStaff(email: "peserta2@bpsdm-jabar.gotong.test", unit: unit.id, role: .petugas)
            }
        }
        _ = try await units.addStaff(email: "admin@bpsdm-jabar.gotong.test", unit: nil, role: .dpo)
    }
}
