import Foundation

/// A tenant's working time: the weekdays and office hours it works, in its own time zone
/// (WIB, WITA or WIT), less its holidays (national holidays and cuti bersama). Deadlines of the
/// service desk are counted in it: "three working days" is three office days' worth of office
/// time, so a case that came in on Friday at 15.00 before a Monday holiday is due on Thursday at
/// 15.00, and one that came in on Saturday counts from Monday's opening.
public struct WorkingCalendar: Sendable, Equatable {
    /// The tenant's time zone: office hours and days are read in it.
    public var zone: TimeZone
    /// Working weekdays, as `Calendar` numbers them (1 Sunday … 7 Saturday).
    public var weekdays: Set<Int>
    /// Office hours, in minutes after midnight: `opens` < `closes`.
    public var opens: Int
    public var closes: Int
    /// Days off besides the weekend, as `YYYY-MM-DD` in the tenant's zone.
    public var holidays: Set<String> { didSet { holidayDays = Self.dayNumbers(holidays) } }
    /// The holidays as day numbers (days since 1970-01-01), read once: the arithmetic below is
    /// whole numbers, no calendar lookups, so the queue measures a hundred late cases at once.
    private var holidayDays: Set<Int>

    public init(
        zone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!, weekdays: Set<Int> = [2, 3, 4, 5, 6],
        opens: Int = 8 * 60, closes: Int = 16 * 60, holidays: Set<String> = []
    ) {
        self.zone = zone
        self.weekdays = weekdays
        self.opens = opens
        self.closes = closes
        self.holidays = holidays
        holidayDays = Self.dayNumbers(holidays)
    }

    /// The office time of one working day.
    public var dayLength: TimeInterval { Double(closes - opens) * 60 }

    /// How far ahead the calendar looks for office time before it gives up: a calendar with no
    /// working day at all (every day a holiday) has no deadline.
    static let horizonDays = 3 * 366

    /// The moment `seconds` of office time after `start`; `start` outside office hours counts
    /// from the next opening. Nil when the calendar has no office time within the horizon.
    public func adding(_ seconds: TimeInterval, to start: Date) -> Date? {
        var remaining = max(0, seconds)
        var day = dayNumber(of: start)
        for _ in 0..<Self.horizonDays {
            if let hours = officeHours(on: day) {
                let from = max(start, hours.lowerBound)
                if from < hours.upperBound {
                    let available = hours.upperBound.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            day += 1
        }
        return nil
    }

    /// `days` working days after `start` (see ``adding(_:to:)``).
    public func adding(workingDays days: Int, to start: Date) -> Date? {
        adding(Double(days) * dayLength, to: start)
    }

    /// The office time between two moments; negative when `end` is before `start` (time overdue).
    public func workingSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard start <= end else { return -workingSeconds(from: end, to: start) }
        var total: TimeInterval = 0
        let last = dayNumber(of: end)
        var day = dayNumber(of: start)
        while day <= last {
            if let hours = officeHours(on: day) {
                let from = max(start, hours.lowerBound)
                let to = min(end, hours.upperBound)
                if from < to { total += to.timeIntervalSince(from) }
            }
            day += 1
        }
        return total
    }

    /// Whether `day` (any moment of it) is a working day.
    public func isWorkingDay(_ day: Date) -> Bool { isWorkingDay(dayNumber(of: day)) }

    /// `YYYY-MM-DD` of a moment, in the tenant's zone.
    public func key(of date: Date) -> String {
        let (year, month, day) = Self.civil(dayNumber(of: date))
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    private func isWorkingDay(_ day: Int) -> Bool {
        // 1970-01-01 was a Thursday, Calendar's weekday 5.
        weekdays.contains(((day % 7) + 7 + 4) % 7 + 1) && !holidayDays.contains(day)
    }

    private func officeHours(on day: Int) -> Range<Date>? {
        // Hours that close before they open are no office time (never a crash).
        guard opens < closes, isWorkingDay(day) else { return nil }
        let midnight = startOfDay(day)
        return midnight.addingTimeInterval(Double(opens) * 60)..<midnight.addingTimeInterval(Double(closes) * 60)
    }

    /// The day a moment falls on in the zone, as days since 1970-01-01.
    private func dayNumber(of date: Date) -> Int {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }

    /// The zone's midnight that starts `day` (Indonesia's zones keep no daylight saving; the
    /// offset is read for the day anyway).
    private func startOfDay(_ day: Int) -> Date {
        let utc = Double(day) * 86_400
        return Date(timeIntervalSince1970: utc - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: utc))))
    }

    /// `YYYY-MM-DD` texts as day numbers; anything else is no day.
    static func dayNumbers(_ keys: Set<String>) -> Set<Int> {
        Set(
            keys.compactMap { key in
                let parts = key.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
                return days(year: parts[0], month: parts[1], day: parts[2])
            })
    }

    /// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (Hinnant's
    /// `days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number (Hinnant's `civil_from_days`).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
