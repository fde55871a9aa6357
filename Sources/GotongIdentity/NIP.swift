import Foundation
import GotongPlatform
import GotongTenancy

/// The 18-digit civil servant number (Nomor Induk Pegawai):
/// birth date `YYYYMMDD`, start as CPNS `YYYYMM`, gender digit (1 or 2), 3-digit sequence.
public struct NIP: Sendable, Equatable {
    public enum Problem: String, Sendable {
        case notEighteenDigits = "nip.error.length"
        case birthDate = "nip.error.birth_date"
        case startDate = "nip.error.start_date"
        case startBeforeBirth = "nip.error.start_before_birth"
        case gender = "nip.error.gender"
    }

    public let value: String
    public let birthDate: DateComponents
    public let start: (year: Int, month: Int)
    public let gender: Int

    public static func == (lhs: NIP, rhs: NIP) -> Bool { lhs.value == rhs.value }

    /// Parses and checks a NIP; spaces inside are allowed and dropped.
    public static func parse(_ raw: String) -> Result<NIP, ProblemBox> {
        let digits = raw.filter { !$0.isWhitespace }
        guard digits.count == 18, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return .failure(.init(.notEighteenDigits))
        }
        let d = Array(digits).map { Int(String($0))! }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + d[$1] } }
        let year = number(0..<4), month = number(4..<6), day = number(6..<8)
        let startYear = number(8..<12), startMonth = number(12..<14)
        let gender = d[14]

        let calendar = Calendar(identifier: .gregorian)
        let components = DateComponents(calendar: calendar, year: year, month: month, day: day)
        guard (1900...2100).contains(year), components.isValidDate,
            let birth = calendar.date(from: components), birth <= Date()
        else { return .failure(.init(.birthDate)) }
        guard (1900...2100).contains(startYear), (1...12).contains(startMonth) else {
            return .failure(.init(.startDate))
        }
        guard startYear * 100 + startMonth >= year * 100 + month else { return .failure(.init(.startBeforeBirth)) }
        guard gender == 1 || gender == 2 else { return .failure(.init(.gender)) }
        return .success(NIP(value: digits, birthDate: components, start: (startYear, startMonth), gender: gender))
    }

    /// Wraps a ``Problem`` so it can be a `Result` failure.
    public struct ProblemBox: Error, Sendable {
        public let problem: Problem
        init(_ problem: Problem) { self.problem = problem }
    }

    /// The NIP with all but the sequence hidden, for lists seen by others (UU 27/2022 on personal data).
    public static func masked(_ value: String) -> String {
        guard value.count == 18 else { return value }
        return String(repeating: "•", count: 14) + value.suffix(4)
    }
}
