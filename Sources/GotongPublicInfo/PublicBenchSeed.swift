import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// `gotong bench-seed-public`: fills an empty, migrated database for `scripts/bench-public`: a
/// province-sized local government (`bench-layanan`) whose desk site holds `--services`
/// services (500: the demo's thirty, as each of the province's regencies and cities gives them,
/// each with its FAQ), and `--tenants` smaller desks (300) with the demo's thirty each, for the
/// answerer across many tenants. Writes `service.txt` (a service's address word) and
/// `tenants.txt` (the small desks' slugs) to `--out`.
package struct PublicBenchSeedCommand: AsyncCommand {
    package init() {}

    package struct Signature: CommandSignature {
        package init() {}
        @Option(name: "services") var services: Int?
        @Option(name: "tenants") var tenants: Int?
        @Option(name: "out", help: "folder for the files the script reads") var out: String?
    }

    package var help: String { "Seeds desk sites with many services for the public site's benchmark" }

    /// Jawa Barat's regencies and cities: where the province's services are given.
    static let regions = [
        "Kota Bandung", "Kabupaten Bandung", "Kabupaten Bandung Barat", "Kota Bekasi", "Kabupaten Bekasi", "Kota Bogor",
        "Kabupaten Bogor", "Kota Cimahi", "Kota Cirebon", "Kabupaten Cirebon", "Kota Depok", "Kabupaten Garut",
        "Kabupaten Indramayu", "Kabupaten Karawang", "Kabupaten Kuningan", "Kabupaten Majalengka",
        "Kabupaten Pangandaran", "Kabupaten Purwakarta", "Kabupaten Subang", "Kota Sukabumi", "Kabupaten Sukabumi",
        "Kabupaten Sumedang", "Kota Tasikmalaya", "Kabupaten Tasikmalaya", "Kota Banjar", "Kabupaten Ciamis",
        "Kabupaten Cianjur",
    ]

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let now = Date()
        let demo = try PublicInfoDemo.demoServices()
        let province = try await desk("bench-layanan", "Pemerintah Provinsi Bench", app, now: now)
        var first = ""
        var added = 0
        let wanted = signature.services ?? 500
        outer: for region in Self.regions {
            for base in demo {
                var draft = base
                draft.name = "\(base.name ?? "") — \(region)"
                draft.places = base.places.map {
                    ServicePlace(name: "\($0.name) (\(region))", address: $0.address, hours: $0.hours)
                }
                let row = try await ServiceCatalogue.add(draft, in: province, now: now)
                if first.isEmpty { first = row.slug }
                added += 1
                if added >= wanted { break outer }
            }
        }
        try await documents(province, app, now: now)
        try await posts(province, now: now)
        var slugs: [String] = []
        for n in 1...max(signature.tenants ?? 300, 1) {
            let slug = "bench-desa-\(n)"
            let scope = try await desk(slug, "Pemerintah Kabupaten Bench \(n)", app, now: now)
            for draft in demo { try await ServiceCatalogue.add(draft, in: scope, now: now) }
            slugs.append(slug)
        }
        let out = signature.out ?? "."
        try first.write(toFile: out + "/service.txt", atomically: true, encoding: .utf8)
        try slugs.joined(separator: "\n").write(toFile: out + "/tenants.txt", atomically: true, encoding: .utf8)
        context.console.print(
            "seeded \(added) services and \(slugs.count) desks of \(demo.count) in \(ContinuousClock.now - started)")
    }

    /// A thousand documents over ten years, of every kind, each with its own small PDF.
    private func documents(_ scope: TenantScope, _ app: Application, now: Date) async throws {
        let kinds = InfoDocument.Kind.allCases
        let topics = [
            "anggaran pendapatan dan belanja", "laporan kinerja", "hasil pemeriksaan keuangan",
            "pertanggungjawaban kepala daerah", "penyelenggaraan pemerintahan", "rencana kerja perangkat daerah",
        ]
        try await scope.db.lockingTransaction { tx in
            for n in 0..<1_000 {
                let key = "info/\(scope.tenantID.uuidString.lowercased())/bench-\(n).pdf"
                try await app.files.put(ByteBuffer(string: "%PDF-1.4\n%%EOF\n"), at: key)
                let (kind, year, topic) = (kinds[n % kinds.count], 2016 + n % 10, topics[n % topics.count])
                let row = InfoDocument()
                (row.id, row.tenantID, row.year, row.kind) = (UUID(), scope.tenantID, year, kind)
                (row.title, row.summary) = ("Dokumen \(n + 1): \(topic) \(year)", "Ringkasan \(topic) tahun \(year).")
                row.searchText = Documents.searchText(row.title, row.summary, kind: kind, year: year)
                (row.fileKey, row.fileName, row.fileSize, row.createdAt) = (key, "dokumen.pdf", 16, now)
                try await row.create(on: tx)
            }
        }
    }

    /// Five thousand posts over two years, of every kind; one in five has ended.
    private func posts(_ scope: TenantScope, now: Date) async throws {
        let kinds = InfoPost.Kind.allCases
        let topics = [
            "jadwal perekaman KTP-el keliling", "pencegahan demam berdarah", "pembayaran pajak kendaraan",
            "vaksinasi anak sekolah", "penutupan jalan sementara", "pendaftaran bantuan pendidikan",
        ]
        try await scope.db.lockingTransaction { tx in
            for n in 0..<5_000 {
                let (kind, topic) = (kinds[n % kinds.count], topics[n % topics.count])
                let published = now.addingTimeInterval(-Double(n) * 12_600)
                let row = InfoPost()
                (row.id, row.tenantID, row.kind) = (UUID(), scope.tenantID, kind)
                (row.title, row.body) = (
                    "Kabar \(n + 1): \(topic)",
                    "Informasi tentang \(topic) bagi warga. Bawa dokumen yang diperlukan dan datang tepat waktu."
                )
                (row.imageSize, row.imageText, row.channelList) = (0, "", "")
                (row.publishAt, row.createdAt, row.updatedAt) = (published, published, published)
                row.expiresAt = n % 5 == 4 ? published.addingTimeInterval(86_400) : nil
                try await row.create(on: tx)
            }
        }
    }

    private func desk(_ slug: String, _ name: String, _ app: Application, now: Date) async throws -> TenantScope {
        let tenant = Tenant(slug: slug, name: name, kind: .pemda)
        try await tenant.create(on: app.db)
        let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
        try await DeskSetup.enable(scope, now: now)
        return scope
    }
}
