/// Indonesia's national holidays and cuti bersama, as the joint decree of the Ministers of
/// Religious Affairs, Manpower and PANRB sets them each year. A tenant's calendar starts with
/// these and its administrator edits them (a regional holiday added, a date the government
/// moved); a year not listed here has none until it is entered.
public enum NationalHolidays {
    public struct Day: Sendable, Equatable {
        /// `YYYY-MM-DD`.
        public let date: String
        public let name: String
        /// Cuti bersama (a collective leave day), not a holiday by law.
        public let isCollectiveLeave: Bool
    }

    /// SKB 3 Menteri 2025 No. 1497, 2 and 5: 17 national holidays and 8 days of cuti bersama.
    public static let y2026: [Day] =
        [
            ("2026-01-01", "Tahun Baru 2026 Masehi"), ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
            ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili"), ("2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)"),
            ("2026-03-21", "Idulfitri 1447 H"), ("2026-03-22", "Idulfitri 1447 H"),
            ("2026-04-03", "Wafat Yesus Kristus"), ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"),
            ("2026-05-01", "Hari Buruh Internasional"), ("2026-05-14", "Kenaikan Yesus Kristus"),
            ("2026-05-27", "Iduladha 1447 H"), ("2026-05-31", "Hari Raya Waisak 2570 BE"),
            ("2026-06-01", "Hari Lahir Pancasila"), ("2026-06-16", "1 Muharam Tahun Baru Islam 1448 H"),
            ("2026-08-17", "Proklamasi Kemerdekaan"), ("2026-08-25", "Maulid Nabi Muhammad SAW"),
            ("2026-12-25", "Kelahiran Yesus Kristus"),
        ].map {
            Day(date: $0.0, name: $0.1, isCollectiveLeave: false)
        }
        + [
            ("2026-02-16", "Tahun Baru Imlek"), ("2026-03-18", "Hari Suci Nyepi"), ("2026-03-20", "Idulfitri"),
            ("2026-03-23", "Idulfitri"), ("2026-03-24", "Idulfitri"), ("2026-05-15", "Kenaikan Yesus Kristus"),
            ("2026-05-28", "Iduladha"), ("2026-12-24", "Kelahiran Yesus Kristus"),
        ].map { Day(date: $0.0, name: "Cuti bersama " + $0.1, isCollectiveLeave: true) }

    /// Holidays on the same date every year, by law.
    static let fixed = [
        ("01-01", "Tahun Baru Masehi"), ("05-01", "Hari Buruh Internasional"), ("06-01", "Hari Lahir Pancasila"),
        ("08-17", "Proklamasi Kemerdekaan"), ("12-25", "Kelahiran Yesus Kristus"),
    ]

    /// The year's days off as far as they are known here: the decree's for a year it has
    /// been read in for, else only the fixed-date holidays (the rest follow the moon and are
    /// entered when the decree is out).
    public static func days(in year: Int) -> [Day] {
        if year == 2026 { return y2026 }
        return fixed.map { Day(date: "\(year)-\($0.0)", name: $0.1, isCollectiveLeave: false) }
    }

    /// Whether the decree's list for `year` is known here (not only the fixed-date holidays).
    public static func isComplete(_ year: Int) -> Bool { year == 2026 }
}
