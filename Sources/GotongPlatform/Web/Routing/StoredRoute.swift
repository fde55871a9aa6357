import Foundation
import Vapor

/// A route value that can be kept in the database (a notification's link) and turned back
/// into an address when it is read, so a stored link follows the route if its address changes.
public protocol StorableRoute: SiteRoute, Codable {
    /// The name the route type is stored under; it must not change once rows hold it.
    static var storageName: String { get }
}

/// A route value as a row keeps it: `catalog:{"course":{…}}`, the type's name and the value's JSON.
public struct StoredRoute: Sendable, Equatable {
    public let name: String
    public let json: String

    public init<R: StorableRoute>(_ route: R) {
        name = R.storageName
        // A route holds only ids, slugs and names: encoding one cannot fail. Sorted keys: the
        // same route is always the same text.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        json = (try? String(decoding: encoder.encode(route), as: UTF8.self)) ?? "null"
    }

    /// The stored text read back; nil when it is not one.
    public init?(text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        name = String(text[..<colon])
        json = String(text[text.index(after: colon)...])
    }

    /// What the row keeps.
    public var text: String { name + ":" + json }
}

/// The route types that can be read back from a row, registered at start-up by the module
/// that owns each (Identity, which keeps notifications, does not know Catalog's routes).
public final class StoredRoutes: @unchecked Sendable {
    private let lock = NSLock()
    private var readers: [String: @Sendable (Data) -> String?] = [:]

    public init() {}

    public func register<R: StorableRoute>(_ type: R.Type) {
        lock.withLock {
            readers[R.storageName] = { data in (try? JSONDecoder().decode(R.self, from: data))?.path }
        }
    }

    /// The address of a stored route; nil when its type is unknown or the value no longer decodes.
    public func path(of stored: StoredRoute) -> String? {
        lock.withLock { readers[stored.name] }?(Data(stored.json.utf8))
    }
}

extension Application {
    private struct StoredRoutesKey: StorageKey { typealias Value = StoredRoutes }

    public var storedRoutes: StoredRoutes {
        if let routes = storage[StoredRoutesKey.self] { return routes }
        let routes = StoredRoutes()
        storage[StoredRoutesKey.self] = routes
        return routes
    }
}

/// A parameter is stored as its value; `.key` (a route's pattern) as null.
extension Param: Codable where Value: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .key : .value(try container.decode(Value.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .key: try container.encodeNil()
        case .value(let value): try container.encode(value)
        }
    }
}
