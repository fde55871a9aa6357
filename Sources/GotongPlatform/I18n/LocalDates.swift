import Foundation
import Vapor

extension Request {
    /// A day in the reader's language, in Jakarta time: "23 Nov 2026".
    public func day(_ date: Date?) -> String? {
        guard let date else { return nil }
        return LocalDates.day(date, language)
    }

    /// A moment in the reader's language, in Jakarta time: "5 Des 2026 08.00 WIB".
    public func dayTime(_ date: Date) -> String { LocalDates.moment(date, language) }
}

/// Dates typed into forms (`2026-11-23`) or sent to the API (ISO 8601), read in Jakarta time.
public enum LocalDates {
    public struct BadDate: Error {}

    // Formatters are costly to make and safe to share for formatting, so each is made once.
    package nonisolated(unsafe) static let dayID = formatter("d MMM yyyy", locale: "id_ID")
    package nonisolated(unsafe) static let dayEN = formatter("d MMM yyyy", locale: "en_GB")
    nonisolated(unsafe) static let dayTimeID = formatter("d MMM yyyy HH.mm", locale: "id_ID")
    nonisolated(unsafe) static let dayTimeEN = formatter("d MMM yyyy HH:mm", locale: "en_GB")
    /// A printed document's date, month in full: "5 Desember 2026".
    package nonisolated(unsafe) static let longDayID = formatter("d MMMM yyyy", locale: "id_ID")
    package nonisolated(unsafe) static let isoDay = formatter("yyyy-MM-dd", locale: "en_US_POSIX")
    /// Tables of records (audit, tenants): made once, not per row.
    nonisolated(unsafe) static let short = formatter("yyyy-MM-dd HH:mm", locale: "en_US_POSIX")

    /// A moment in `language`, in Jakarta time, for a reader not at hand (a notification's
    /// text): "5 Des 2026 08.00 WIB".
    public static func moment(_ date: Date, _ language: Language) -> String {
        (language == .id ? dayTimeID : dayTimeEN).string(from: date) + " WIB"
    }

    /// A day in `language`, in Jakarta time: "5 Des 2026".
    public static func day(_ date: Date, _ language: Language) -> String {
        (language == .id ? dayID : dayEN).string(from: date)
    }

    package static func formatter(_ format: String, locale: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: locale)
        f.timeZone = zone
        f.dateFormat = format
        return f
    }

    package static let zone = TimeZone(identifier: "Asia/Jakarta")!

    /// The calendar year of `date` in Jakarta time: the civil service's year (a JP ledger's,
    /// `/saya`'s). 23.00 WIB on 31 December is that year; 01.00 WIB on 1 January, still the old
    /// year in UTC, is the new one.
    package static func year(of date: Date) -> Int { jakartaCalendar.component(.year, from: date) }

    private static let jakartaCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    /// Nil for an empty value; `.some(nil)` never. A date-only value means the start of that day,
    /// or its end when `endOfDay` (a closing date includes the whole day).
    /// With `localTime`, also `2026-12-10T17:00` (a form's `datetime-local`), read as Jakarta time.
    public static func parse(_ raw: String?, endOfDay: Bool = false, localTime: Bool = false) -> Result<Date?, BadDate>
    {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .success(nil) }
        if localTime, raw.count == 16 || raw.count == 19 {
            let format = raw.count == 16 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss"
            guard let moment = formatter(format, locale: "en_US_POSIX").date(from: raw) else {
                return .failure(BadDate())
            }
            return .success(moment)
        }
        if raw.count == 10 {
            // Parsing is rare; a fresh formatter avoids sharing one across threads for it.
            guard let day = formatter("yyyy-MM-dd", locale: "en_US_POSIX").date(from: raw) else {
                return .failure(BadDate())
            }
            return .success(endOfDay ? day.addingTimeInterval(86_399) : day)
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: raw) { return .success(date) }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: raw) { return .success(date) }
        return .failure(BadDate())
    }

    /// The start of a `YYYY-MM-DD` day in Jakarta time, or nil when it is no such day.
    package static func startOfDay(_ iso: String) -> Date? {
        guard iso.count == 10 else { return nil }
        return formatter("yyyy-MM-dd", locale: "en_US_POSIX").date(from: iso)
    }

    /// `2026-12-10T17:00` (Jakarta time) for a `datetime-local` form field.
    public static func formValue(moment: Date?) -> String {
        guard let moment else { return "" }
        return formatter("yyyy-MM-dd'T'HH:mm", locale: "en_US_POSIX").string(from: moment)
    }

    /// `2026-12-10T10:00:00Z`: a moment as stored in settings and given by the API.
    public static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// `2026-11-23` for a form field.
    package static func formValue(_ date: Date?) -> String {
        guard let date else { return "" }
        return isoDay.string(from: date)
    }
}

/// A moment as `2026-12-03 09:30` in Jakarta time, for tables of records; "—" for none.
public func shortDate(_ date: Date?) -> String {
    guard let date else { return "—" }
    return LocalDates.short.string(from: date)
}
