import FluentKit
import Foundation
import Tagged
import Vapor

/// A value an address carries: an id, a slug, an action's name. Its type names the route
/// parameter (`:courseID`, `:courseSlug`), so a route says what it takes, a handler reads it
/// by type (``Vapor/Request/parameter(_:)``), and a segment that does not parse is a 404 in
/// one place instead of a check in each handler.
public protocol PathValue: Sendable {
    /// The parameter's name in the route's pattern. Two routes that share a position must
    /// use the same name (the router refuses anything else at start-up).
    static var parameterName: String { get }
    /// The value of one path segment (already percent-decoded), or nil when it is not one.
    init?(pathSegment: String)
    /// The value written into a link (percent-encoded by ``SiteRoute/path``).
    var pathSegment: String { get }
}

/// The tag of a typed id or slug (`Tagged<Course, UUID>`): names the parameter it travels in.
public protocol PathTag {
    static var parameterName: String { get }
}

/// What a typed id or slug wraps.
public protocol PathRawValue: Sendable, Hashable {
    init?(pathSegment: String)
    var pathSegment: String { get }
}

extension UUID: PathRawValue {
    public init?(pathSegment: String) { self.init(uuidString: pathSegment) }
    public var pathSegment: String { uuidString }
}

extension String: PathRawValue {
    /// Any segment up to a sane length; what a slug may hold is checked where it is looked up.
    public init?(pathSegment: String) {
        guard !pathSegment.isEmpty, pathSegment.utf8.count <= 200 else { return nil }
        self = pathSegment
    }
    public var pathSegment: String { self }
}

extension Int: PathRawValue {
    /// A positive whole number written plainly (`12`, not `+12`, `012` or `1e3`): an episode's
    /// number in its address.
    public init?(pathSegment: String) {
        guard (1...9).contains(pathSegment.utf8.count), pathSegment.first != "0",
            pathSegment.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(pathSegment)
        else { return nil }
        self = value
    }
    public var pathSegment: String { String(self) }
}

/// Typed ids and slugs: a `Tagged<Course, UUID>` cannot be passed where a
/// `Tagged<Tenant, UUID>` is expected, and it names its own route parameter.
extension Tagged: PathValue where Tag: PathTag, RawValue: PathRawValue {
    public static var parameterName: String { Tag.parameterName }
    public init?(pathSegment: String) {
        guard let raw = RawValue(pathSegment: pathSegment) else { return nil }
        self.init(rawValue: raw)
    }
    public var pathSegment: String { rawValue.pathSegment }
}

/// A closed set of actions in an address (`…/terbitkan`): an unknown one is a 404.
public protocol PathAction: PathValue, RawRepresentable, Codable where RawValue == String {}

extension PathAction {
    public static var parameterName: String { "action" }
    public init?(pathSegment: String) { self.init(rawValue: pathSegment) }
    public var pathSegment: String { rawValue }
}

extension Request {
    /// The route's parameter of type `V`. A missing value or one that does not parse answers
    /// 404: the address names nothing.
    public func parameter<V: PathValue>(_ type: V.Type = V.self) throws -> V {
        guard let segment = parameters.get(V.parameterName), let value = V(pathSegment: segment) else {
            throw Abort(.notFound)
        }
        return value
    }
}

extension Model where IDValue == UUID {
    /// The saved model's id, typed (`Tagged<Course, UUID>`): what crosses a module boundary, so
    /// a course's id cannot be passed where a person's is expected. Throws when not yet saved.
    public func typedID() throws -> Tagged<Self, UUID> { Tagged(try requireID()) }
}

extension Model where IDValue == UUID, Self: PathTag {
    /// The saved model's typed id as a route parameter, for a link to one of its pages. A model
    /// not saved yet has no address: debug builds (the tests) stop there, and a release build
    /// links to the route's pattern rather than to a made-up id that could be another row's.
    public var routeID: Param<Tagged<Self, UUID>> {
        guard let id else {
            assertionFailure("a link to an unsaved \(Self.self)")
            return .key
        }
        return .value(Tagged(id))
    }
}
