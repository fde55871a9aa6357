import Foundation
import Testing
@testable import GotongServiceDesk

/// Working-time arithmetic with stated expectations: across weekends, holidays, cuti bersama,
/// office hours, pauses and time zones.
@Suite("Working calendar")
struct WorkingCalendarTests {
    static let wib = TimeZone(identifier: "Asia/Jakarta")!
    static let indonesia2026 = WorkingCalendar(
        holidays: Set((NationalHolidays.days(in: 2026) + NationalHolidays.days(in: 2027)).map(\.date)))

    /// `2026-05-29 15:00` in `zone`.
    static func at(_ text: String, _ zone: TimeZone = wib) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    @Test(arguments: [
        // Friday 15.00 before the Monday holiday of Pancasila (1 June): Thursday 15.00.
        ("2026-05-29 15:00", 3, "2026-06-04 15:00"),
        // Friday before Independence Day (Monday 17 August): Thursday.
        ("2026-08-14 15:00", 3, "2026-08-20 15:00"),
        // Tuesday before Idulfitri: Wednesday to Tuesday are holidays or cuti bersama.
        ("2026-03-17 10:00", 3, "2026-03-27 10:00"),
        // Saturday: counted from Monday's opening; three full days end Wednesday at closing.
        ("2026-06-06 10:00", 3, "2026-06-10 16:00"),
        // After closing on a weekday: from the next morning.
        ("2026-06-09 17:30", 1, "2026-06-10 16:00"),
        // Before opening: from the opening of the same day.
        ("2026-06-09 06:00", 1, "2026-06-09 16:00"),
        // Five working days from Wednesday before Christmas (24 cuti bersama, 25 holiday) and
        // New Year's Day.
        ("2026-12-23 09:00", 5, "2027-01-04 09:00"),
    ])
    func workingDaysAreCountedInOfficeTime(start: String, days: Int, due: String) {
        #expect(Self.indonesia2026.adding(workingDays: days, to: Self.at(start)) == Self.at(due))
    }

    @Test func officeTimeBetweenTwoMomentsSkipsNightsWeekendsAndHolidays() {
        let c = Self.indonesia2026
        // Friday 15.00 to Tuesday 10.00 across a holiday Monday: 1 h + 2 h.
        #expect(c.workingSeconds(from: Self.at("2026-05-29 15:00"), to: Self.at("2026-06-02 10:00")) == 3 * 3600)
        // Overdue reads negative.
        #expect(c.workingSeconds(from: Self.at("2026-06-02 10:00"), to: Self.at("2026-05-29 15:00")) == -3 * 3600)
        // A whole weekend is nothing.
        #expect(c.workingSeconds(from: Self.at("2026-06-06 00:00"), to: Self.at("2026-06-07 23:59")) == 0)
        // Adding and measuring agree.
        let start = Self.at("2026-03-17 10:00")
        let due = c.adding(workingDays: 3, to: start)!
        #expect(c.workingSeconds(from: start, to: due) == 3 * c.dayLength)
    }

    @Test func aPauseMovesTheDeadlineByTheOfficeTimeItTook() {
        let c = Self.indonesia2026
        // Opened Monday 08.00, three days: due Wednesday 16.00; waiting on the citizen from
        // Tuesday 12.00 to Thursday 12.00 (16 office hours) moves it to Friday 16.00.
        let opened = Self.at("2026-06-08 08:00")
        let paused = c.workingSeconds(from: Self.at("2026-06-09 12:00"), to: Self.at("2026-06-11 12:00"))
        #expect(paused == 16 * 3600)
        #expect(c.adding(3 * c.dayLength + paused, to: opened) == Self.at("2026-06-12 16:00"))
    }

    @Test func officeHoursAreTheTenantsOwnInItsTimeZone() {
        let wita = TimeZone(identifier: "Asia/Makassar")!
        let bali = WorkingCalendar(zone: wita, opens: 7 * 60 + 30, closes: 16 * 60, holidays: ["2026-03-19"])
        // Wednesday 15.00 WITA before Nyepi (Thursday): one hour that day, then Friday from 07.30.
        #expect(
            bali.adding(8.5 * 3600, to: Self.at("2026-03-18 15:00", wita)) == Self.at("2026-03-20 15:00", wita))
        #expect(bali.key(of: Self.at("2026-03-19 00:30", wita)) == "2026-03-19")
        #expect(bali.dayLength == 8.5 * 3600)
    }

    @Test func aCalendarWithoutOfficeTimeHasNoDeadline() {
        let never = WorkingCalendar(weekdays: [])
        #expect(never.adding(workingDays: 1, to: Self.at("2026-06-08 08:00")) == nil)
        #expect(never.workingSeconds(from: Self.at("2026-06-08 08:00"), to: Self.at("2026-06-20 08:00")) == 0)
    }

    @Test func theNationalListOf2026HasItsSeventeenHolidaysAndEightDaysOfLeave() {
        let days = NationalHolidays.y2026
        #expect(days.filter { !$0.isCollectiveLeave }.count == 17)
        #expect(days.filter(\.isCollectiveLeave).count == 8)
        #expect(Set(days.map(\.date)).count == 25)
        // Another year has its fixed-date holidays until the decree is entered.
        #expect(NationalHolidays.days(in: 2027).map(\.date).contains("2027-08-17"))
        #expect(!NationalHolidays.isComplete(2027))
    }

    @Test func dayNumbersAndDatesAgreeOverCenturies() {
        // 1970-01-01 is day 0; leap days and century rules; back and forth for every day of
        // 1899-2101.
        #expect(WorkingCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(
            WorkingCalendar.days(year: 2000, month: 3, day: 1) - WorkingCalendar.days(year: 2000, month: 2, day: 28)
                == 2)
        #expect(
            WorkingCalendar.days(year: 1900, month: 3, day: 1) - WorkingCalendar.days(year: 1900, month: 2, day: 28)
                == 1)
        let first = WorkingCalendar.days(year: 1899, month: 1, day: 1)
        let last = WorkingCalendar.days(year: 2101, month: 12, day: 31)
        for n in first...last {
            let (y, m, d) = WorkingCalendar.civil(n)
            #expect(WorkingCalendar.days(year: y, month: m, day: d) == n)
        }
        // the key of a moment is its date in the tenant's zone: 23.30 WIB is the day before in UTC
        let c = Self.indonesia2026
        #expect(c.key(of: Self.at("2026-08-17 00:30")) == "2026-08-17")
        #expect(!c.isWorkingDay(Self.at("2026-08-17 12:00")) && c.isWorkingDay(Self.at("2026-08-18 12:00")))
        #expect(
            WorkingCalendar(zone: TimeZone(identifier: "Asia/Jayapura")!).key(of: Self.at("2026-08-17 23:30"))
                == "2026-08-18")
    }
}
