import Vapor

/// gzip for every response worth it, in place of NIO's compressor (see ``Gzip`` for why).
///
/// Worth it: a body held in memory of at least ``minimumSize`` bytes, of a textual type, to a
/// client that accepts gzip, not already encoded. A body that is the same for every visitor
/// arrives here already encoded (``SharedBody``) and is left alone.
public struct ResponseCompressionMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        ResponseCompression.compress(response, for: request)
        return response
    }
}

public enum ResponseCompression {
    /// Below this a response fits in one TCP segment (1,460 bytes of payload) with its headers;
    /// compressing it saves no round trip.
    static let minimumSize = 1400

    /// Compresses `response` in place when that is worth it (see ``ResponseCompressionMiddleware``).
    static func compress(_ response: Response, for request: Request) {
        guard isCompressible(response) else { return }
        response.headers.addVary("Accept-Encoding")
        guard request.method != .HEAD, let body = response.body.buffer, body.readableBytes >= minimumSize,
            acceptsGzip(request.headers), let gzip = Gzip.compress(body)
        else { return }
        response.body = .init(buffer: gzip)
        response.headers.replaceOrAdd(name: .contentEncoding, value: "gzip")
    }

    /// A textual response not already encoded (images, PDFs and archives are compressed already).
    static func isCompressible(_ response: Response) -> Bool {
        guard response.headers[.contentEncoding].isEmpty, response.status != .noContent,
            response.status != .notModified, let type = response.headers.contentType
        else { return false }
        switch (type.type, type.subType) {
        case ("text", _), ("application", "json"), ("application", "javascript"), ("application", "xml"),
            ("image", "svg+xml"):
            return true
        default: return type.subType.hasSuffix("+json") || type.subType.hasSuffix("+xml")
        }
    }

    /// Whether `Accept-Encoding` allows gzip: named (or `*`) without `q=0`. Read leniently, as
    /// HTTP asks: an entry that cannot be read is skipped, never an error.
    static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        var gzip: Bool?
        var any: Bool?
        for value in headers[.acceptEncoding] {
            // Browsers send a few dozen bytes; past a kilobyte it is not a browser.
            for entry in value.prefix(1024).split(separator: ",").prefix(32) {
                let parts = entry.split(separator: ";")
                guard let name = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() else { continue }
                let allowed = !parts.dropFirst().contains { parameter in
                    let pair = parameter.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces).lowercased()
                    }
                    return pair.count == 2 && pair[0] == "q" && (Double(pair[1]).map { $0 <= 0 } ?? false)
                }
                if name == "gzip" || name == "x-gzip" { gzip = allowed } else if name == "*" { any = allowed }
            }
        }
        return gzip ?? any ?? false
    }
}

extension HTTPHeaders {
    /// Adds `name` to `Vary` unless it is there already.
    mutating func addVary(_ name: String) {
        let listed = self[.vary].flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard !listed.contains(name.lowercased()), !listed.contains("*") else { return }
        add(name: .vary, value: name)
    }
}

/// A body that is the same for every visitor (the stylesheet, a guest's storefront), kept with
/// its gzip copy so it is compressed once, not once per request.
public struct SharedBody: Sendable {
    public let plain: ByteBuffer
    public let gzip: ByteBuffer?

    public init(_ plain: ByteBuffer) {
        self.plain = plain
        gzip = plain.readableBytes >= ResponseCompression.minimumSize ? Gzip.compress(plain) : nil
    }

    /// Sets `response`'s body to the copy `request` accepts, with the headers that go with it.
    public func apply(to response: Response, for request: Request) {
        response.headers.addVary("Accept-Encoding")
        if let gzip, ResponseCompression.acceptsGzip(request.headers) {
            response.body = .init(buffer: gzip)
            response.headers.replaceOrAdd(name: .contentEncoding, value: "gzip")
        } else {
            response.body = .init(buffer: plain)
            response.headers.remove(name: .contentEncoding)
        }
    }
}
