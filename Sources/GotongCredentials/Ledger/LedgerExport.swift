import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import NIOCore

/// A person's year of the ledger, to take elsewhere: as CSV for a spreadsheet, as PDF for a
/// supervisor, and as the training history the civil service's national system (SIASN, its
/// "riwayat kursus") takes, field for field, so nobody retypes it.
struct LedgerExport {
    struct Line {
        let entry: LedgerEntry
        /// The certificate's number: the platform's certificate for a course, the typed one
        /// for learning elsewhere.
        let certificateNumber: String
    }

    let person: Person
    let year: Int
    let lines: [Line]
    let totalJP: Int

    /// The person's year with the numbers of their certificates.
    static func load(_ person: Person, year: Int, on db: any Database) async throws -> LedgerExport {
        let found = try await JPLedger(db: db).year(year, of: PersonID(person.requireID()))
        let courses = found.entries.compactMap(\.courseID)
        let numbers = Dictionary(
            try await Certificate.query(on: db).filter(\.$personID == person.requireID())
                .filter(\.$courseID ~~ courses).all().map { ($0.courseID, $0.number) },
            uniquingKeysWith: { first, _ in first })
        let lines = found.entries.map { entry in
            Line(
                entry: entry,
                certificateNumber: entry.courseID.flatMap { numbers[$0] } ?? entry.certificateNumber)
        }
        return LedgerExport(person: person, year: year, lines: lines, totalJP: found.totalJP)
    }

    /// `23-11-2026`, as SIASN writes dates.
    static let siasnDay = LocalDates.formatter("dd-MM-yyyy", locale: "en_US_POSIX")

    func csv(_ t: Texts) -> String {
        var rows = [
            [
                t("ledger.col.title"), t("ledger.field.kind"), t("ledger.col.provider"),
                t("ledger.field.certificate_number"), t("ledger.field.started_on"), t("ledger.field.completed_on"),
                "JP", t("ledger.field.competency_type"), t("ledger.col.status"),
            ]
        ]
        for line in lines {
            let e = line.entry
            rows.append([
                e.title, t("ledger.kind.\(e.kind)"), e.provider, line.certificateNumber,
                LocalDates.formValue(e.startedAt),
                LocalDates.formValue(e.completedAt), String(e.jp), t("course.competency.\(e.competencyType)"),
                t("ledger.status.\(e.status.rawValue)"),
            ])
        }
        return CSVText.document(rows)
    }

    /// One SIASN training-history record per verified entry.
    struct SIASNRecord: Codable, Equatable {
        var namaKursus: String
        var jenisKursus: String
        var institusiPenyelenggara: String
        var nomorSertipikat: String
        var tahunKursus: Int
        var tanggalKursus: String
        var tanggalSelesaiKursus: String
        var jumlahJam: Int
    }

    struct SIASN: Codable, Equatable {
        var nip: String?
        var nama: String
        var tahun: Int
        var riwayatKursus: [SIASNRecord]
    }

    func siasn(_ t: Texts) -> SIASN {
        SIASN(
            nip: person.nip, nama: person.name, tahun: year,
            riwayatKursus: lines.filter { $0.entry.status == .verified }.map { line in
                let e = line.entry
                return SIASNRecord(
                    namaKursus: e.title, jenisKursus: t("ledger.kind.\(e.kind)"), institusiPenyelenggara: e.provider,
                    nomorSertipikat: line.certificateNumber, tahunKursus: e.year,
                    tanggalKursus: Self.siasnDay.string(from: e.startedAt ?? e.completedAt),
                    tanggalSelesaiKursus: Self.siasnDay.string(from: e.completedAt), jumlahJam: e.jp)
            })
    }

    /// A4 portrait: who, the year's JP against the target, and every entry, over as many pages
    /// as it takes.
    func pdf(_ t: Texts, now: Date) -> ByteBuffer {
        let (width, height) = PDFDocument.a4Portrait
        var page = PDFDocument(pageWidth: width, pageHeight: height)
        let left = 48.0, right = width - 48
        var y = height - 60
        page.text(t("ledger.heading", ["year": "\(year)"]), x: left, y: y, size: 16, font: .bold)
        y -= 24
        page.text(person.name + (person.nip.map { " · NIP \($0)" } ?? ""), x: left, y: y, size: 11)
        y -= 16
        if !person.unitKerja.isEmpty {
            page.text(person.unitKerja, x: left, y: y, size: 10, colour: .grey)
            y -= 16
        }
        page.text(
            t("ledger.total", ["total": "\(totalJP)", "target": "\(JPLedger.targetJP)"]), x: left, y: y, size: 12,
            font: .bold)
        y -= 28
        let columns: [(String, Double)] = [
            (t("ledger.col.title"), left), (t("ledger.col.provider"), left + 230), (t("ledger.col.day"), left + 370),
            ("JP", left + 440), (t("ledger.col.status"), left + 470),
        ]
        func header() {
            for (label, x) in columns { page.text(label, x: x, y: y, size: 9, font: .bold) }
            page.line(x1: left, y1: y - 4, x2: right, y2: y - 4, colour: .grey, width: 0.5)
            y -= 18
        }
        header()
        for line in lines {
            let e = line.entry
            let title = page.wrap(e.title, width: 220, size: 9).prefix(3)
            let provider = page.wrap(e.provider, width: 130, size: 9).prefix(3)
            let needed = Double(max(title.count, provider.count, line.certificateNumber.isEmpty ? 1 : 2)) * 11 + 8
            if y - needed < 50 {
                page.newPage()
                y = height - 60
                header()
            }
            for (i, text) in title.enumerated() { page.text(text, x: columns[0].1, y: y - Double(i) * 11, size: 9) }
            if !line.certificateNumber.isEmpty {
                page.text(
                    line.certificateNumber, x: columns[0].1, y: y - Double(title.count) * 11, size: 8, colour: .grey)
            }
            for (i, text) in provider.enumerated() { page.text(text, x: columns[1].1, y: y - Double(i) * 11, size: 9) }
            page.text(LocalDates.formValue(e.completedAt), x: columns[2].1, y: y, size: 9)
            page.text("\(e.jp)", x: columns[3].1, y: y, size: 9)
            page.text(t("ledger.status.\(e.status.rawValue)"), x: columns[4].1, y: y, size: 9)
            y -= needed
        }
        page.text(
            t("ledger.pdf.footer", ["day": LocalDates.longDayID.string(from: now)]), x: left, y: 30, size: 8,
            colour: .grey)
        return page.rendered(title: t("ledger.heading", ["year": "\(year)"]) + " — " + person.name, created: now)
    }
}
