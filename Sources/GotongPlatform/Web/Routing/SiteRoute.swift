import Foundation
import Vapor

/// A route's parameter: `.key` where the route is registered, `.value` where a link to it is
/// built. One route value does both, so a link cannot point at an address no route answers.
public enum Param<Value: PathValue>: Sendable {
    case key
    case value(Value)
}

/// One segment of an address: fixed text, or a parameter with its value once a link is built.
public struct PathSegment: Sendable, ExpressibleByStringLiteral {
    enum Kind: Sendable, Equatable {
        case text(String)
        case parameter(name: String, value: String?)
    }
    let kind: Kind

    public init(stringLiteral text: String) { kind = .text(text) }

    public init<V>(_ parameter: Param<V>) {
        switch parameter {
        case .key: kind = .parameter(name: V.parameterName, value: nil)
        case .value(let value): kind = .parameter(name: V.parameterName, value: value.pathSegment)
        }
    }

    /// Fixed text known only at run time (an enum's raw value).
    public static func text(_ text: String) -> PathSegment { PathSegment(stringLiteral: text) }

    /// `Param` in a segment list: `["t", .param(tenant)]`.
    public static func param<V>(_ parameter: Param<V>) -> PathSegment { PathSegment(parameter) }

    var component: PathComponent {
        switch kind {
        case .text(let text): .constant(text)
        case .parameter(let name, _): .parameter(name)
        }
    }

    /// The segment as written in a link. A route still holding a key is a programming error:
    /// the link shows the pattern (`:courseID`) rather than stopping the server.
    var linkText: String {
        switch kind {
        case .text(let text): return Self.encode(text)
        case .parameter(_, let value?): return Self.encode(value)
        case .parameter(let name, nil):
            assertionFailure("A link to a route pattern (:\(name)) was built")
            return ":\(name)"
        }
    }

    /// Letters, digits and `-._~` stay; everything else (a slash in a value among them) is
    /// percent-encoded, so a value can never add a segment.
    static func encode(_ text: String) -> String {
        // Slugs and ids are all unreserved: a scan of the bytes, no copy (links are built on
        // the hottest pages, a hundred to an outline).
        if text.utf8.allSatisfy(isUnreserved) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// An address of Gotong as a value (in the manner of Swift Package Index's `SiteURL`): each
/// module has one enum of its pages and API calls, used both to register each route and to
/// build every link, redirect and notification to it.
public protocol SiteRoute: Sendable {
    var segments: [PathSegment] { get }
}

extension SiteRoute {
    /// The address for a link or a redirect: `/t/bppk/pelatihan/dasar-dasar`.
    /// Written into one string: an outline builds a link per activity, and an array of
    /// segment texts joined afterwards cost a twentieth of the page.
    public var path: String {
        let segments = segments
        guard !segments.isEmpty else { return "/" }
        var path = ""
        path.reserveCapacity(segments.count * 12)
        for segment in segments {
            path += "/"
            path += segment.linkText
        }
        return path
    }

    /// The address with a query (`?filter=…&halaman=2`), values percent-encoded; nil values are
    /// left out.
    public func path(query: KeyValuePairs<String, String?>) -> String {
        let items = query.compactMap { key, value in value.map { "\(key)=\(PathSegment.encode($0))" } }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// The address of a route registered under `parent`'s group (an activity type's own pages
    /// under its activity): `/t/bppk/belajar/dasar/{activityID}/utas`.
    public func path(under parent: some SiteRoute) -> String { parent.path + path }

    /// The pattern the router matches: `t/:tenantSlug/pelatihan/:courseSlug`.
    public var pathComponents: [PathComponent] { segments.map(\.component) }
}

extension RoutesBuilder {
    /// Registers `route` (built with `.key` parameters) for `method`.
    @discardableResult
    public func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ route: some SiteRoute, body: HTTPBodyStreamStrategy = .collect,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(method, route.pathComponents, body: body, use: closure)
    }

    @discardableResult
    public func get<Response: AsyncResponseEncodable>(
        _ route: some SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.GET, route, use: closure)
    }

    @discardableResult
    public func post<Response: AsyncResponseEncodable>(
        _ route: some SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, route, use: closure)
    }

    @discardableResult
    public func patch<Response: AsyncResponseEncodable>(
        _ route: some SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.PATCH, route, use: closure)
    }

    @discardableResult
    public func delete<Response: AsyncResponseEncodable>(
        _ route: some SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.DELETE, route, use: closure)
    }
}
