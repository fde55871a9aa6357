import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import SQLKit
import Synchronization

/// A read that a hot page makes on every request, written once as SQL with `$1`, `$2`, … for
/// its values. PostgreSQL prepares it once per connection and from then on only binds and runs
/// it: parsing and planning were most of what the signed-in pages' statements cost it, more
/// than reading their rows (docs/performance.md). SQLite runs in process, where preparing is
/// cheap; it gets the same text through SQLKit, as every other statement.
///
/// The text is fixed per type, so a value list of varying length (`IN (…)`) is written as a
/// join or a subquery instead.
public protocol PreparedRead: Sendable {
    associatedtype Row: Sendable
    /// The statement, the same for both databases; `$n` is the n-th of ``values``.
    static var sql: String { get }
    /// The values of `$1`, `$2`, … in that order.
    var values: [any PreparedValue] { get }
    /// One row as the read hands it on, from its columns in the order the statement lists
    /// them.
    static func decode(_ columns: inout RowColumns) throws -> Row
}

extension PreparedRead where Row: Decodable {
    /// By column name, through `Decodable`: for reads that are not worth writing out.
    public static func decode(_ columns: inout RowColumns) throws -> Row { try columns.row.decode(model: Row.self) }
}

/// A row's columns read one after the other, by position. Decoding a row through `Decodable`
/// looks each column up by name and finds its decoder at run time; on /saya that cost more
/// than the statement itself (docs/performance.md). A type here is decoded by the driver's
/// own code for it.
public struct RowColumns {
    // Kept apart rather than in an enum: each column read advances the iterator in place,
    // without copying the row out and back. Visible to inlined code: a read's `decode` in
    // another module then decodes each column with the driver's code for its type, not
    // through a generic call per column (4 % of /saya).
    @usableFromInline let postgresRow: PostgresRow?
    @usableFromInline var cells: PostgresRow.Iterator?
    @usableFromInline let sqlRow: (any SQLRow)?
    @usableFromInline let names: [String]
    /// The next column's index in the row, on either database.
    @usableFromInline var position = 0

    init(_ row: PostgresRow) {
        postgresRow = row
        cells = row.makeIterator()
        sqlRow = nil
        names = []
    }

    init(_ row: any SQLRow) {
        postgresRow = nil
        cells = nil
        sqlRow = row
        names = row.allColumns
    }

    /// The whole row, read by name: for a Fluent model, or a column of a type not read here.
    public var row: any SQLRow { sqlRow ?? postgresRow!.sql() }

    /// The next column's value.
    @inlinable
    public mutating func next<Value: ColumnValue>(_ type: Value.Type = Value.self) throws -> Value {
        if cells != nil {
            guard let cell = cells!.next() else { throw RowColumnsError.noMoreColumns }
            position += 1
            return try cell.decode(Value.self)
        }
        guard let sqlRow, position < names.count else { throw RowColumnsError.noMoreColumns }
        position += 1
        return try sqlRow.decode(column: names[position - 1], as: Value.self)
    }

    /// The next column as a value of a closed set (an enum stored as its raw value).
    @inlinable
    public mutating func next<Value: RawRepresentable>(_ type: Value.Type = Value.self) throws -> Value
    where Value.RawValue: ColumnValue {
        let raw = try next(Value.RawValue.self)
        guard let value = Value(rawValue: raw) else {
            throw RowColumnsError.unknownValue("\(raw)", of: "\(Value.self)")
        }
        return value
    }
}

extension RowColumns {
    /// Passes over the next `count` columns without reading them.
    public mutating func skip(_ count: Int) throws {
        for _ in 0..<count {
            if cells != nil {
                guard cells!.next() != nil else { throw RowColumnsError.noMoreColumns }
            } else if position >= names.count {
                throw RowColumnsError.noMoreColumns
            }
            position += 1
        }
    }

    /// The next columns as a Fluent model, one column per key of `keys` in that order (a
    /// statement that lists `M.keys`). Read by position, not by name, so the model can be one
    /// part of a longer row (``Database/read(_:and:)``).
    public mutating func model<M: Model>(_ type: M.Type, keys: [FieldKey]) throws -> M {
        let output: ColumnsOutput
        if let postgresRow {
            output = ColumnsOutput(.postgres(postgresRow.makeRandomAccess(), postgresRow), start: position, keys: keys)
        } else if let sqlRow {
            output = ColumnsOutput(.sql(sqlRow, names), start: position, keys: keys)
        } else {
            throw RowColumnsError.noMoreColumns
        }
        let model = M()
        try model.output(from: output)
        try skip(keys.count)
        return model
    }
}

@usableFromInline
enum RowColumnsError: Error {
    /// The decoder asked for more columns than the statement lists: a programming error.
    case noMoreColumns
    case unknownValue(String, of: String)
}

/// What ``RowColumns`` reads: types both drivers decode as Fluent stores them.
public protocol ColumnValue: PostgresDecodable, Decodable, Sendable {}
extension UUID: ColumnValue {}
extension String: ColumnValue {}
extension Int: ColumnValue {}
extension Bool: ColumnValue {}
extension Date: ColumnValue {}
extension Optional: ColumnValue where Wrapped: ColumnValue, Wrapped._DecodableType == Wrapped {}

/// What a prepared read may bind: what both drivers encode the way Fluent stores it.
public protocol PreparedValue: PostgresThrowingDynamicTypeEncodable, Encodable, Sendable {}
extension UUID: PreparedValue {}
extension String: PreparedValue {}
extension Int: PreparedValue {}
extension Bool: PreparedValue {}
extension Date: PreparedValue {}

extension Database {
    /// The rows of `read`: on PostgreSQL a prepared statement of the connection (prepared on its
    /// first use there), on SQLite a plain statement. Logged as every statement is ("Executing
    /// query", at the database's SQL log level), so query counts and traces see it.
    public func read<R: PreparedRead>(_ read: R) async throws -> [R.Row] {
        let sql = self.sql
        guard let postgres = self as? any PostgresDatabase else {
            return try await sql.raw(StatementTexts.of(R.self).placeholders.query(binding: read.values)).all().map {
                row in
                var columns = RowColumns(row)
                return try R.decode(&columns)
            }
        }
        if let level = sql.queryLogLevel {
            sql.logger.log(level: level, "Executing query", metadata: ["sql": .string(R.sql), "prepared": "true"])
        }
        let logger = sql.logger
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var rows: [R.Row] = []
                for try await row in try await connection.execute(PostgresStatement(read: read), logger: logger) {
                    rows.append(row)
                }
                return rows
            }
        }.get()
    }
}

/// A prepared read as PostgresNIO prepares it: once per connection, under a name of its own.
struct PostgresStatement<Read: PreparedRead>: PostgresPreparedStatement {
    let read: Read

    /// Short and fixed per type: PostgreSQL cuts names at 63 bytes, and two reads sharing a
    /// long prefix would otherwise share a statement.
    static var name: String { StatementTexts.of(Read.self).name }
    /// Asked for on every execution: kept, as a composed text (``ReadPair``) is costly to write.
    static var sql: String { StatementTexts.of(Read.self).sql }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: read.values.count)
        for value in read.values { try bindings.append(value) }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Read.Row {
        var columns = RowColumns(row)
        return try Read.decode(&columns)
    }
}

/// A prepared read's text cut at its `$n` placeholders, for SQLKit, which writes each
/// database's own placeholder for a bound value. Worked out once per type.
struct PlaceholderText: Sendable {
    enum Part: Sendable, Equatable {
        case text(String)
        case value(Int)
    }

    let parts: [Part]
    /// How many values the text binds: its highest `$n`.
    let valueCount: Int

    /// `$` followed by digits is a placeholder (`$1` is the first value); any other `$` is text.
    init(_ sql: String) {
        var parts: [Part] = []
        var text = ""
        var rest = Substring(sql)
        while let dollar = rest.firstIndex(of: "$") {
            text += rest[..<dollar]
            let digits = rest[rest.index(after: dollar)...].prefix(while: \.isASCII).prefix(while: \.isNumber)
            if let number = Int(digits), number > 0 {
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.value(number - 1))
                rest = rest[digits.endIndex...]
            } else {
                text += "$"
                rest = rest[rest.index(after: dollar)...]
            }
        }
        text += rest
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
        valueCount = parts.reduce(0) { count, part in
            if case .value(let index) = part { max(count, index + 1) } else { count }
        }
    }

    /// The text again, each `$n` written `$(n + shift)`: for a read placed after another's values.
    func text(shiftedBy shift: Int) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .value(let index): "$\(index + 1 + shift)"
            }
        }.joined()
    }

    func query(binding values: [any PreparedValue]) -> SQLQueryString {
        var query = SQLQueryString("")
        for part in parts {
            switch part {
            case .text(let text): query += "\(unsafeRaw: text)"
            case .value(let index):
                precondition(
                    values.indices.contains(index), "a prepared read names $\(index + 1) but binds \(values.count)")
                query += "\(bind: values[index])"
            }
        }
        return query
    }
}

/// Each prepared read's statement name and text, worked out once per type: PostgresNIO asks for
/// both on every execution, and writing the name out each time was 1 % of /saya, a pair's text
/// 2.6 %.
/// The text is also kept cut at its placeholders, for SQLKit on SQLite.
enum StatementTexts {
    struct Texts: Sendable {
        let name: String
        let sql: String
        let placeholders: PlaceholderText
    }

    private static let kept = KeptPerType<Texts>()

    static func of<R: PreparedRead>(_ read: R.Type) -> Texts {
        kept.value(for: read) {
            let sql = R.sql
            return Texts(
                name: "gotong_" + StableHash.hex(String(reflecting: read)), sql: sql, placeholders: PlaceholderText(sql)
            )
        }
    }
}

/// Values worked out from a type once and kept for the process: a statement's texts, a model's
/// columns, which hot reads ask for on every request.
public final class KeptPerType<Value: Sendable>: Sendable {
    private let known = Mutex([ObjectIdentifier: Value]())

    public init() {}

    /// The value kept for `type`, made by `make` the first time.
    public func value(for type: Any.Type, _ make: () -> Value) -> Value {
        if let value = known.withLock({ $0[ObjectIdentifier(type)] }) { return value }
        let value = make()
        known.withLock { $0[ObjectIdentifier(type)] = value }
        return value
    }
}

/// FNV-1a, 64 bits: the same on every run and every machine (Swift's `Hasher` is seeded per
/// process), which a statement name needs only to be short and distinct.
enum StableHash {
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
