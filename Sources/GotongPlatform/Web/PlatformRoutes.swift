import Fluent
import Vapor

/// The platform's own addresses: the stylesheet, the script, the health check and the API's
/// description.
package struct PlatformRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(PlatformRoute.health, use: health)
        routes.get(PlatformRoute.openAPI, use: openAPIDocument)
        routes.get(PlatformRoute.stylesheet) { req in try StaticAsset.stylesheet.get().response(for: req) }
        routes.get(PlatformRoute.script) { req in try StaticAsset.script.get().response(for: req) }
    }

    /// The JSON API's description, joined from the modules' parts at start (kept in step with
    /// the routes by a test).
    func openAPIDocument(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: req.application.openAPIDocument))
        response.headers.contentType = .json
        return response
    }

    /// 200 when the database answers a trivial query, 503 otherwise.
    func health(req: Request) async throws -> Response {
        do {
            _ = try await req.database.sql.raw("SELECT 1 AS ok").all()
            return Response(status: .ok, body: .init(string: "ok\n"))
        } catch {
            req.logger.error("health check: database did not answer: \(String(reflecting: error))")
            return Response(status: .serviceUnavailable, body: .init(string: "database unavailable\n"))
        }
    }
}

/// A path on this site to send someone back to (`next=` after signing in or switching the
/// language), or nil. Every handler that takes a return path from a request goes through this
/// one check, so no page of ours can be used to send people to another site.
///
/// Accepted: a path that starts with a single `/` and, as sent and after every round of
/// percent-decoding (repeated until nothing changes, since another hop may decode again), has
/// no scheme or authority (`//`, `/\`), no backslash and no control character, and no white
/// space in its path. Browsers drop tabs and line breaks from addresses and read `\` as `/`, so
/// `/%09/evil.example` or `/\evil.example` would leave the site. Percent-encoded spaces stay
/// allowed in the query (`?q=manajemen%20risiko`): there they cannot change where the browser goes.
package func localPath(_ raw: String?) -> String? {
    guard let raw, !raw.isEmpty, raw.utf8.count <= ReturnPath.maxLength else { return nil }
    // As sent (it goes into the Location header as it is): printable ASCII only.
    guard raw.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { return nil }
    var text = raw
    for _ in 0..<ReturnPath.maxDecodingRounds {
        guard ReturnPath.isLocal(text) else { return nil }
        let decoded = ReturnPath.percentDecoded(text)
        if decoded == text {
            // It must also parse as a relative reference with a path and nothing before it.
            guard let parsed = URLComponents(string: raw), parsed.scheme == nil, parsed.host == nil,
                parsed.percentEncodedPath.hasPrefix("/")
            else { return nil }
            return raw
        }
        text = decoded
    }
    return nil
}

/// The rules behind ``localPath(_:)``.
enum ReturnPath {
    /// Longer than any address of ours; a longer one is refused rather than cut.
    static let maxLength = 2048
    /// Encoded more deeply than this is refused: no link of ours nests that far.
    static let maxDecodingRounds = 8

    /// One stage of the check, on the text as sent or as decoded.
    static func isLocal(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "/" else { return false }
        if scalars.count > 1, scalars[1] == "/" || scalars[1] == "\\" { return false }
        var inPath = true
        for scalar in scalars {
            if scalar == "?" || scalar == "#" { inPath = false }
            if scalar == "\\" || CharacterSet.controlCharacters.contains(scalar)
                || CharacterSet.illegalCharacters.contains(scalar)
            {
                return false
            }
            if inPath, CharacterSet.whitespacesAndNewlines.contains(scalar) { return false }
        }
        return true
    }

    /// Decodes every well-formed `%XX`; a `%` not followed by two hex digits stays as it is.
    /// Bytes that do not form UTF-8 become U+FFFD, which no rule lets through as a separator.
    static func percentDecoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hex(bytes[i + 1]),
                let low = hex(bytes[i + 2])
            {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The one stylesheet and the one script of every page, read from the build once, compressed
/// once, and served with an ETag so a phone downloads them once.
package struct StaticAsset: Sendable {
    let text: String
    let body: SharedBody
    let etag: String
    let mediaType: HTTPMediaType

    static let stylesheet = load(
        "gotong", "css", HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"]))
    /// Enhancements only: every page works without it (heartbeats, the video player's reports).
    static let script = load(
        "gotong", "js", HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]))
    /// The offline worker a module serves in the folder of the public pages it keeps
    /// (a worker's scope is at most its own folder).
    package static let offlineWorker = load(
        "offline", "js", HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]))

    private static func load(_ name: String, _ ext: String, _ type: HTTPMediaType) -> Result<StaticAsset, any Error> {
        Result {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources/Public")
            else {
                throw Abort(.internalServerError, reason: "\(name).\(ext) missing from the build")
            }
            let text = try String(contentsOf: url, encoding: .utf8)
            return StaticAsset(
                text: text, body: SharedBody(ByteBuffer(string: text)),
                etag: "\"" + String(SecretToken.hash(text).prefix(16)) + "\"", mediaType: type)
        }
    }

    package func response(for req: Request) -> Response {
        if req.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified) }
        let response = Response(status: .ok)
        body.apply(to: response, for: req)
        response.headers.contentType = mediaType
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}
