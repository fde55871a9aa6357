import FluentKit

/// A prepared read whose rows have a known number of columns, so that it can share a statement
/// with another (``Database/read(_:and:)``).
public protocol CombinableRead: PreparedRead {
    /// The columns of each row: as many as ``PreparedRead/decode(_:)`` reads.
    static var columnCount: Int { get }
}

extension Database {
    /// Two reads in one statement, and so in one round trip to the database: on PostgreSQL a
    /// round trip costs the server more than the rows of a small read (docs/performance.md),
    /// and a signed-in page made three. Each read gets the rows it would get alone; the order
    /// of its rows is not kept, as a `UNION ALL` does not keep it.
    public func read<A: CombinableRead, B: CombinableRead>(_ a: A, and b: B) async throws -> ([A.Row], [B.Row]) {
        var first: [A.Row] = []
        var second: [B.Row] = []
        for row in try await read(ReadPair(a: a, b: b)) {
            switch row {
            case .first(let row): first.append(row)
            case .second(let row): second.append(row)
            }
        }
        return (first, second)
    }
}

/// Two reads as one: `SELECT 1, a.*, <NULL for each of b's columns> FROM (<a>) UNION ALL
/// SELECT 2, <NULL for each of a's columns>, b.* FROM (<b>)`, b's placeholders numbered after
/// a's. The first column says whose row it is; the padding has names of its own, so that a
/// column found by name is found in its own read's part.
struct ReadPair<A: CombinableRead, B: CombinableRead>: PreparedRead {
    enum Row: Sendable {
        case first(A.Row)
        case second(B.Row)
    }

    let a: A
    let b: B

    static var sql: String {
        let shift = PlaceholderText(A.sql).valueCount
        let padB = (1...B.columnCount).map { "NULL AS pair_b\($0)" }.joined(separator: ", ")
        let padA = (1...A.columnCount).map { _ in "NULL" }.joined(separator: ", ")
        return """
            SELECT 1 AS pair_part, pair_a.*, \(padB) FROM (\(A.sql)) AS pair_a \
            UNION ALL SELECT 2, \(padA), pair_b.* FROM (\(PlaceholderText(B.sql).text(shiftedBy: shift))) AS pair_b
            """
    }

    var values: [any PreparedValue] {
        let first = a.values
        let placeholders = StatementTexts.of(A.self).placeholders.valueCount
        precondition(
            first.count == placeholders, "\(A.self) binds \(first.count) values for \(placeholders) placeholders")
        return first + b.values
    }

    static func decode(_ columns: inout RowColumns) throws -> Row {
        if try columns.next(Int.self) == 1 {
            let start = columns.position
            let row = try A.decode(&columns)
            assert(columns.position - start == A.columnCount, "\(A.self) read \(columns.position - start) columns")
            return .first(row)
        }
        try columns.skip(A.columnCount)
        return .second(try B.decode(&columns))
    }
}
