import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// The forms every tenant starts with, as LAN's evaluation practice asks them: the training's
/// organisation (penyelenggaraan) and each trainer (pengajar) on a scale of 1–4, and the
/// follow-up of the participant and their supervisor some weeks later. They are in the master
/// template, so every new tenant gets a copy to change (``EvaluationTemplates/cloners``).
enum EvaluationTemplates {
    struct Item {
        let kind: EvaluationItem.Kind
        let prompt: String
        var choices: [String] = []
        var required = true
    }

    struct Form {
        let purpose: EvaluationForm.Purpose
        let title: String
        let intro: String
        let items: [Item]
    }

    static let agree = "1 = sangat tidak setuju, 4 = sangat setuju."

    static let forms: [Form] = [
        Form(
            purpose: .course, title: "Evaluasi Penyelenggaraan Pelatihan",
            intro: "Nilailah penyelenggaraan pelatihan ini. \(agree) Jawaban Anda tidak memengaruhi kelulusan.",
            items: [
                Item(kind: .likert4, prompt: "Materi pelatihan sesuai dengan kebutuhan pekerjaan saya."),
                Item(kind: .likert4, prompt: "Tujuan pembelajaran disampaikan dengan jelas."),
                Item(kind: .likert4, prompt: "Jadwal dan alokasi waktu pelatihan memadai."),
                Item(kind: .likert4, prompt: "Bahan ajar dan media pembelajaran mudah diakses dan dipahami."),
                Item(kind: .likert4, prompt: "Sarana belajar daring (aplikasi, tautan, video) berjalan dengan baik."),
                Item(kind: .likert4, prompt: "Penyelenggara tanggap terhadap pertanyaan dan kendala peserta."),
                Item(kind: .likert4, prompt: "Secara keseluruhan, saya puas dengan penyelenggaraan pelatihan ini."),
                Item(kind: .long, prompt: "Saran untuk perbaikan penyelenggaraan", required: false),
            ]),
        Form(
            purpose: .trainer, title: "Evaluasi Pengajar",
            intro: "Nilailah pengajar (widyaiswara atau narasumber) ini. \(agree)",
            items: [
                Item(kind: .likert4, prompt: "Menguasai materi yang diajarkan."),
                Item(kind: .likert4, prompt: "Menyampaikan materi secara runtut dan mudah dipahami."),
                Item(kind: .likert4, prompt: "Mengaitkan materi dengan contoh di tempat kerja."),
                Item(kind: .likert4, prompt: "Memberi kesempatan bertanya dan menanggapi dengan baik."),
                Item(kind: .likert4, prompt: "Mengelola waktu pembelajaran dengan baik."),
                Item(kind: .long, prompt: "Komentar untuk pengajar", required: false),
            ]),
        Form(
            purpose: .followUp, title: "Evaluasi Pascapelatihan (Peserta)",
            intro: "Beberapa pekan setelah pelatihan: apa yang sudah Anda terapkan di tempat kerja? "
                + "1 = sangat tidak setuju, 5 = sangat setuju.",
            items: [
                Item(
                    kind: .likert5,
                    prompt:
                        "Saya menerapkan pengetahuan dan keterampilan dari pelatihan ini dalam pekerjaan sehari-hari."
                ),
                Item(kind: .likert5, prompt: "Pelatihan ini meningkatkan kinerja saya."),
                Item(
                    kind: .single, prompt: "Seberapa sering Anda menggunakan hasil pelatihan?",
                    choices: ["Setiap hari", "Setiap pekan", "Sesekali", "Belum pernah"]),
                Item(
                    kind: .multiple, prompt: "Hambatan dalam menerapkan hasil pelatihan",
                    choices: [
                        "Tidak ada hambatan", "Kurang dukungan atasan", "Sarana kerja tidak memadai",
                        "Tugas tidak sesuai dengan materi", "Waktu terbatas",
                    ], required: false),
                Item(kind: .long, prompt: "Contoh penerapan hasil pelatihan di tempat kerja"),
            ]),
        Form(
            purpose: .supervisor, title: "Evaluasi Pascapelatihan (Atasan)",
            intro: "Anda diminta menilai penerapan hasil pelatihan oleh pegawai yang Anda bina. "
                + "1 = sangat tidak setuju, 5 = sangat setuju.",
            items: [
                Item(kind: .likert5, prompt: "Pegawai menerapkan hasil pelatihan dalam pekerjaannya."),
                Item(kind: .likert5, prompt: "Kinerja pegawai meningkat setelah mengikuti pelatihan."),
                Item(kind: .likert5, prompt: "Pegawai berbagi pengetahuan dari pelatihan kepada rekan kerja."),
                Item(kind: .long, prompt: "Perubahan yang Anda amati", required: false),
            ]),
        // The public satisfaction survey (Survei Kepuasan Masyarakat) of PermenPANRB 14/2017:
        // its nine elements, on the four points the regulation uses.
        Form(
            purpose: .publicSurvey, title: "Survei Kepuasan Masyarakat (SKM)",
            intro: "Nilailah layanan yang Anda terima. \(agree) Jawaban Anda tidak dikaitkan dengan nama Anda.",
            items: [
                Item(kind: .likert4, prompt: "Persyaratan pelayanan sesuai dengan jenis layanannya."),
                Item(kind: .likert4, prompt: "Prosedur pelayanan mudah diikuti."),
                Item(kind: .likert4, prompt: "Waktu penyelesaian pelayanan cepat."),
                Item(kind: .likert4, prompt: "Biaya pelayanan wajar, atau gratis sesuai ketentuan."),
                Item(kind: .likert4, prompt: "Hasil pelayanan sesuai dengan standar pelayanan yang diumumkan."),
                Item(kind: .likert4, prompt: "Petugas mampu memberikan pelayanan."),
                Item(kind: .likert4, prompt: "Petugas sopan dan ramah."),
                Item(kind: .likert4, prompt: "Pengaduan pengguna layanan ditangani dengan baik."),
                Item(kind: .likert4, prompt: "Sarana dan prasarana pelayanan nyaman."),
                Item(kind: .long, prompt: "Saran untuk perbaikan layanan", required: false),
            ]),
    ]

    /// Writes the forms into a tenant that has none of a purpose.
    static func seed(tenantID: UUID, on db: any Database, now: Date) async throws {
        let scope = TenantScope(tenantID: tenantID, db: db)
        let have = Set(try await scope.query(EvaluationForm.self).all().map(\.purpose))
        for template in forms where !have.contains(template.purpose) {
            let form = EvaluationForm()
            (form.id, form.tenantID, form.purpose, form.title, form.intro) =
                (UUID(), tenantID, template.purpose, template.title, template.intro)
            (form.createdAt, form.updatedAt) = (now, now)
            try await form.create(on: db)
            for (n, spec) in template.items.enumerated() {
                let item = EvaluationItem()
                (item.tenantID, item.formID, item.position, item.kind) = (tenantID, form.id!, n + 1, spec.kind)
                (item.prompt, item.choicesText, item.required) =
                    (spec.prompt, spec.choices.joined(separator: "\n"), spec.required)
                try await item.create(on: db)
            }
        }
    }

    /// Copies the master template's forms, with their questions, into a new tenant.
    static var cloners: [any TenantCloner] {
        [
            ModelCloner<EvaluationForm>("evaluation forms") { master in
                let form = EvaluationForm()
                (form.purpose, form.title, form.intro, form.createdAt, form.updatedAt) =
                    (master.purpose, master.title, master.intro, master.createdAt, master.updatedAt)
                return form
            },
            ModelCloner<EvaluationItem>(
                "evaluation items",
                copy: { master in
                    let item = EvaluationItem()
                    (item.position, item.kind, item.prompt, item.choicesText, item.required) =
                        (master.position, master.kind, master.prompt, master.choicesText, master.required)
                    return item
                },
                remap: { master, copy, context in copy.formID = context.newID(for: master.formID) }),
        ]
    }
}

/// Gives every tenant that exists when evaluation arrives (the master template among them)
/// the template forms; tenants made later copy them from the master.
struct SeedEvaluationTemplates: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let now = Date()
        for tenant in try await Tenant.query(on: db).all() {
            try await EvaluationTemplates.seed(tenantID: try tenant.requireID(), on: db, now: now)
        }
    }

    func revert(on db: any Database) async throws {}
}

/// Gives every tenant made before public surveys arrived the public satisfaction survey form
/// (``EvaluationTemplates/seed`` adds only the purposes a tenant lacks).
struct SeedPublicSurveyTemplate: AsyncMigration {
    func prepare(on db: any Database) async throws { try await SeedEvaluationTemplates().prepare(on: db) }
    func revert(on db: any Database) async throws {}
}
