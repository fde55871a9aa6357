import Fluent
import Foundation
import Vapor

/// The one place where text a client sent (a query parameter, a form field, a CSV cell, a JSON
/// value kept as text) becomes a whole number. Every caller names the range the number may take,
/// so nothing later can trap on it: a value outside the range, a fraction, words or a number
/// beyond 64 bits is a problem for its field, in the reader's language, never a crash.
public enum WholeNumber {
    /// The most digits a number in any range Gotong reads can have (and then some): longer text
    /// is refused before it is parsed.
    static let maxDigits = 19

    /// `raw` as a number in `range`; nil when it is missing or blank. A problem for `field` (and
    /// `row`, for files) when it is not a whole number in the range.
    public static func read(
        _ raw: String?, field: String, in range: ClosedRange<Int>,
        problems: inout ProblemList, row: Int? = nil
    ) -> Int? {
        guard let text = raw?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let value = parse(text), range.contains(value) { return value }
        problems.add(
            field, "input.error.number", ["min": "\(range.lowerBound)", "max": "\(range.upperBound)"], row: row)
        return nil
    }

    /// `raw` as a number in `range`, nil when missing or blank; throws the problem otherwise,
    /// with `status` (400 for an address, 422 for a form or a document).
    public static func read(
        _ raw: String?, field: String, in range: ClosedRange<Int>,
        status: HTTPStatus = .unprocessableEntity
    ) throws -> Int? {
        var problems = ProblemList()
        let value = read(raw, field: field, in: range, problems: &problems)
        if !problems.isEmpty { throw InputError(problems.problems, status: status) }
        return value
    }

    /// A count as a platform's export or an Indonesian spreadsheet writes it: digits, or digits
    /// with dots grouping the thousands (`12.345`); zero up to `largest`. Nil for anything else.
    public static func count(_ raw: String, largest: Int = 10_000_000_000) -> Int? {
        let groups = raw.split(separator: ".", omittingEmptySubsequences: false)
        let grouped =
            groups.count > 1 && groups.first!.count <= 3 && !groups.first!.isEmpty
            && groups.dropFirst().allSatisfy { $0.count == 3 }
        let digits = grouped ? groups.joined() : raw
        guard !digits.isEmpty, digits.count <= maxDigits, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(digits), value <= largest
        else { return nil }
        return value
    }

    /// Decimal digits with an optional sign, nothing else (no `+0x1F`, no `1e3`, no `٣`).
    package static func parse(_ text: String) -> Int? {
        let digits =
            text.utf8.first == UInt8(ascii: "-") || text.utf8.first == UInt8(ascii: "+")
            ? text.utf8.dropFirst() : text.utf8[...]
        guard !digits.isEmpty, digits.count <= maxDigits,
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }
}

extension Request {
    /// A whole number from the address's query, nil when absent; a 400 naming the parameter
    /// when it is not a number in `range`.
    package func queryNumber(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        try WholeNumber.read(query[String.self, at: name], field: name, in: range, status: .badRequest)
    }

    /// The page number asked for in `name` (1 when absent). Pages past the last are the pager's
    /// to clamp (``PageWindow``); here only nonsense is refused.
    package func pageNumber(_ name: String) throws -> Int {
        try queryNumber(name, in: 1...PageWindow.maxPage) ?? 1
    }
}

/// Which rows one page of a list shows, with the page number clamped to the pages there are:
/// asking for page 9,000 of a 3-page list shows page 3. Offsets are computed here only, from
/// numbers that cannot overflow.
public struct PageWindow: Sendable, Equatable {
    /// No list is longer than this many pages; a larger number in an address is nonsense.
    public static let maxPage = 1_000_000

    /// The page shown (1-based, at most `pages`).
    public let page: Int
    public let per: Int
    public let total: Int

    public init(requested: Int, per: Int, total: Int) {
        self.per = max(1, per)
        self.total = max(0, total)
        let pages = max(1, (self.total + self.per - 1) / self.per)
        self.page = min(max(1, requested), pages)
    }

    public var pages: Int { max(1, (total + per - 1) / per) }
    public var offset: Int { (page - 1) * per }
    public var range: Range<Int> { offset..<(offset + per) }
    public var hasPrevious: Bool { page > 1 }
    public var hasNext: Bool { page < pages }
}

extension QueryBuilder {
    /// One page of the query's rows: counts them, clamps the page asked for, then reads it.
    /// Replaces Fluent's `paginate`, which traps on page numbers whose offset overflows.
    package func page(_ requested: Int, per: Int) async throws -> (items: [Model], window: PageWindow) {
        let window = PageWindow(requested: requested, per: per, total: try await copy().count())
        return (try await copy().range(window.range).all(), window)
    }
}
