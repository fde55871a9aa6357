import Fluent
import SQLKit

extension Database {
    /// Inserts many rows (each an `Encodable` whose coding keys are the table's columns) in one
    /// writing transaction, as few statements as the drivers' limit on bound values allows
    /// (about 30,000 values a statement). For the benchmarks' seeding, which writes a year of
    /// data in seconds rather than model by model.
    package func bulkInsert<Row: Encodable & Sendable>(_ table: String, _ rows: [Row]) async throws {
        guard let first = rows.first else { return }
        let perStatement = max(1, 30_000 / max(1, Mirror(reflecting: first).children.count))
        try await lockingTransaction { tx in
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + perStatement)
                try await tx.sql.insert(into: table).models(Array(rows[start..<end]), nilEncodingStrategy: .asNil).run()
                start = end
            }
        }
    }
}
