import Fluent
import Foundation
import GotongPlatform
import SQLKit
import Vapor

/// A case's public number, `ADU-2026-000123`: the year it came in and its place in the
/// tenant's sequence of that year. Read strictly (an address or a WhatsApp message that holds
/// anything else names no case); six digits at least, more when a year needs them.
public struct CaseNumber: PathValue, Hashable, CustomStringConvertible {
    public static let parameterName = "caseNumber"
    public let year: Int
    public let sequence: Int

    public init(year: Int, sequence: Int) {
        self.year = year
        self.sequence = sequence
    }

    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "ADU", parts[1].count == 4, (6...9).contains(parts[2].count),
            parts[1].utf8.allSatisfy({ (48...57).contains($0) }), parts[2].utf8.allSatisfy({ (48...57).contains($0) }),
            let year = Int(parts[1]), let sequence = Int(parts[2]), year >= 2000, sequence >= 1
        else { return nil }
        self.init(year: year, sequence: sequence)
    }

    public init?(pathSegment: String) { self.init(pathSegment) }
    public var pathSegment: String { description }
    public var description: String { "ADU-\(year)-" + String(format: "%06d", sequence) }
}

/// Each tenant's sequence of case numbers per year. The next number is taken in the caller's
/// transaction with one statement that holds the counter's row until commit, so two cases never
/// share a number, and a case that is not written gives its number back: no gaps.
enum CaseNumbers {
    static let table = "desk_counters"

    static func next(tenantID: UUID, year: Int, on db: any Database) async throws -> CaseNumber {
        let last = try await db.sql.raw(
            """
            INSERT INTO \(ident: table) (id, tenant_id, year, last) VALUES (\(bind: UUID()), \(bind: tenantID), \
            \(bind: year), 1) ON CONFLICT (tenant_id, year) DO UPDATE SET last = \(ident: table).last + 1 \
            RETURNING last
            """
        ).first(decodingColumn: "last", as: Int.self)
        guard let last else { throw Abort(.internalServerError, reason: "the case counter gave no number") }
        return CaseNumber(year: year, sequence: last)
    }
}

/// Kept in notifications' stored routes as its text, `ADU-2026-000123`.
extension CaseNumber: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let number = CaseNumber(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a case number"))
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
