import FluentKit
import PostgresNIO
import SQLKit

/// A Fluent model's fields read from a run of a row's columns by position: the field of the
/// n-th key is the n-th column from `start`. Fluent's own output finds each column by name,
/// which a row that holds two reads side by side (``Database/read(_:and:)``) cannot offer, and
/// which costs a name lookup per field.
///
/// Fluent asks for the fields in the order of the model's properties, the order of `keys`;
/// the cursor follows it, and looks a key up only when asked out of order.
final class ColumnsOutput: DatabaseOutput, @unchecked Sendable {
    enum Access {
        /// A PostgreSQL row, by index; the row itself for types PostgresNIO does not decode.
        case postgres(PostgresRandomAccessRow, PostgresRow)
        /// Any other row, by the names of its columns in order.
        case sql(any SQLRow, [String])
    }

    private let access: Access
    private let start: Int
    private let keys: [FieldKey]
    // Used by one model's decoding, on one task: not shared.
    private var cursor = 0

    init(_ access: Access, start: Int, keys: [FieldKey]) {
        self.access = access
        self.start = start
        self.keys = keys
    }

    var description: String { "columns \(start)… of \(keys)" }

    func schema(_ schema: String) -> any DatabaseOutput { self }

    func contains(_ key: FieldKey) -> Bool { column(of: key) != nil }

    func decodeNil(_ key: FieldKey) throws -> Bool {
        let index = try required(key)
        switch access {
        case .postgres(let row, _): return row[index].bytes == nil
        case .sql(let row, let names): return try row.decodeNil(column: names[index])
        }
    }

    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        let index = try required(key)
        switch access {
        case .postgres(let row, let whole):
            let cell = row[index]
            if let decodable = T.self as? any PostgresDecodable.Type {
                return try Self.decode(decodable, cell) as! T
            }
            // Named uniquely in the statement, so found by name.
            return try whole.sql().decode(column: cell.columnName, as: T.self)
        case .sql(let row, let names):
            return try row.decode(column: names[index], as: T.self)
        }
    }

    private static func decode<P: PostgresDecodable>(_ type: P.Type, _ cell: PostgresCell) throws -> P {
        try cell.decode(P.self)
    }

    private func required(_ key: FieldKey) throws -> Int {
        guard let index = column(of: key) else { throw RowColumnsError.unknownValue("\(key)", of: "column") }
        return index
    }

    /// The absolute column index of `key`'s field.
    private func column(of key: FieldKey) -> Int? {
        if cursor < keys.count, keys[cursor] == key { return start + cursor }
        if cursor + 1 < keys.count, keys[cursor + 1] == key {
            cursor += 1
            return start + cursor
        }
        guard let found = keys.firstIndex(of: key) else { return nil }
        cursor = found
        return start + found
    }
}
