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
    public var holidays: Set<String>

    public init(
        zone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!, weekdays: Set<Int> = [2, 3, 4, 5, 6],
        opens: Int = 8 * 60, closes: Int = 16 * 60, holidays: Set<String> = []
    ) {
        self.zone = zone
        self.weekdays = weekdays
        self.opens = opens
        self.closes = closes
        self.holidays = holidays
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
        var day = calendar.startOfDay(for: start)
        for _ in 0..<Self.horizonDays {
            if let hours = officeHours(on: day) {
                let from = max(start, hours.lowerBound)
                if from < hours.upperBound {
                    let available = hours.upperBound.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            day = next(day)
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
        var day = calendar.startOfDay(for: start)
        while day < end {
            if let hours = officeHours(on: day) {
                let from = max(start, hours.lowerBound)
                let to = min(end, hours.upperBound)
                if from < to { total += to.timeIntervalSince(from) }
            }
            day = next(day)
        }
        return total
    }

    /// Whether `day` (any moment of it) is a working day.
    public func isWorkingDay(_ day: Date) -> Bool {
        weekdays.contains(calendar.component(.weekday, from: day)) && !holidays.contains(key(of: day))
    }

    /// `YYYY-MM-DD` of a moment, in the tenant's zone.
    public func key(of date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    private func officeHours(on day: Date) -> Range<Date>? {
        // Hours that close before they open are no office time (never a crash).
        guard opens < closes, isWorkingDay(day) else { return nil }
        return day.addingTimeInterval(Double(opens) * 60)..<day.addingTimeInterval(Double(closes) * 60)
    }

    private func next(_ day: Date) -> Date {
        calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86_400)
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
