import Foundation
import Vapor
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything Gotong reads from its environment, loaded and checked once at start-up.
///
/// Values come from process environment variables, falling back to a `.env` file in the working
/// directory. A bad value stops start-up with one line that names the variable and what is wrong.
public struct GotongConfig: Sendable {
    public enum DatabaseLocation: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteMemory
        case postgres(url: String)
    }

    public struct SMTP: Sendable {
        public var host: String
        public var port: Int
        public var username: String?
        public var password: String?
        public var from: String
    }

    public var database: DatabaseLocation
    public var host: String
    public var port: Int
    public var baseURL: String
    /// Password for every demo account; random (and printed) when unset.
    public var demoPassword: String?
    public var smtp: SMTP?
    /// Where uploaded files (tenant logos…) are kept.
    public var dataDirectory: String
    /// The reverse proxies (load balancers) in front of Gotong whose `X-Forwarded-For` is
    /// believed; empty, the default, believes none and takes the socket peer as the client.
    public var trustedProxies: TrustedProxies
    /// The key that seals credentials kept in the database (a social platform's tokens), from
    /// `GOTONG_CREDENTIALS_KEY` (32 bytes, base64): never stored beside what it seals. Without
    /// it, nothing that needs sealing can be saved.
    public var credentialsKey: Data?
    /// Where the social platforms' APIs are reached (`GOTONG_SOCIAL_API`): unset, their own
    /// hosts; the tests point it at the stand-in that plays all of them.
    public var socialAPIBase: String?

    /// Cookies get the `Secure` flag only when the public address is https.
    public var isHTTPS: Bool { baseURL.lowercased().hasPrefix("https://") }

    public init(
        database: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080,
        baseURL: String? = nil, demoPassword: String? = nil, smtp: SMTP? = nil,
        dataDirectory: String = "data", trustedProxies: TrustedProxies = .none, credentialsKey: Data? = nil,
        socialAPIBase: String? = nil
    ) {
        self.database = database
        self.host = host
        self.port = port
        self.baseURL = baseURL ?? "http://\(host):\(port)"
        self.demoPassword = demoPassword
        self.smtp = smtp
        self.dataDirectory = dataDirectory
        self.trustedProxies = trustedProxies
        self.credentialsKey = credentialsKey
        self.socialAPIBase = socialAPIBase
    }
}

/// A configuration problem, phrased as the single line the operator sees.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension GotongConfig {
    /// Reads the configuration from `environment`, with `.env` in `directory` filling the gaps.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = FileManager.default.currentDirectoryPath
    ) throws -> GotongConfig {
        let dotEnv = (try? String(contentsOfFile: directory + "/.env", encoding: .utf8)).map(parseDotEnv) ?? [:]
        let env = dotEnv.merging(environment) { _, process in process }
        func value(_ key: String) -> String? {
            guard let raw = env[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        let dataDirectory = value("GOTONG_DATA_DIR") ?? "data"
        let database = try parseDatabase(value("DATABASE_URL"), dataDirectory: dataDirectory)
        let host = value("GOTONG_HOST") ?? "127.0.0.1"
        let port = try parsePort(value("GOTONG_PORT"))
        let baseURL = try parseAddress("GOTONG_BASE_URL", value("GOTONG_BASE_URL"))
        if let password = value("GOTONG_DEMO_PASSWORD"), password.count < 8 {
            throw ConfigurationError(description: "GOTONG_DEMO_PASSWORD must be at least 8 characters")
        }
        return GotongConfig(
            database: database, host: host, port: port, baseURL: baseURL,
            demoPassword: value("GOTONG_DEMO_PASSWORD"), smtp: try parseSMTP(value),
            dataDirectory: dataDirectory, trustedProxies: try TrustedProxies(parsing: value("GOTONG_TRUSTED_PROXIES")),
            credentialsKey: try parseKey(value("GOTONG_CREDENTIALS_KEY")),
            socialAPIBase: try parseAddress("GOTONG_SOCIAL_API", value("GOTONG_SOCIAL_API"))
        )
    }

    /// An http(s) address without its trailing slash.
    static func parseAddress(_ name: String, _ raw: String?) throws -> String? {
        guard let url = raw else { return nil }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            ["http", "https"].contains(scheme), parsed.host != nil
        else {
            throw ConfigurationError(description: "\(name) must be an http:// or https:// address, got \"\(url)\"")
        }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    static func parseKey(_ raw: String?) throws -> Data? {
        guard let raw else { return nil }
        guard let key = Data(base64Encoded: raw), key.count == 32 else {
            throw ConfigurationError(
                description: "GOTONG_CREDENTIALS_KEY must be 32 random bytes in base64 (openssl rand -base64 32)")
        }
        return key
    }

    static func parseDatabase(_ raw: String?, dataDirectory: String) throws -> DatabaseLocation {
        guard let raw else { return .sqlite(path: dataDirectory + "/gotong.sqlite") }
        if raw == "sqlite::memory:" || raw == "sqlite::memory" { return .sqliteMemory }
        if raw.hasPrefix("sqlite:") {
            var path = String(raw.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw ConfigurationError(
                    description:
                        "DATABASE_URL \"\(raw)\" names no file; use sqlite:PATH, e.g. sqlite:data/gotong.sqlite")
            }
            return .sqlite(path: path)
        }
        if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard let url = URL(string: raw), url.host != nil else {
                throw ConfigurationError(
                    description: "DATABASE_URL \"\(redacted(raw))\" is not a valid postgres:// address")
            }
            return .postgres(url: raw)
        }
        throw ConfigurationError(
            description: "DATABASE_URL must start with sqlite: or postgres://, got \"\(redacted(raw))\"")
    }

    static func parsePort(_ raw: String?) throws -> Int {
        guard let raw else { return 8080 }
        guard let port = Int(raw), (1...65535).contains(port) else {
            throw ConfigurationError(description: "GOTONG_PORT must be a number from 1 to 65535, got \"\(raw)\"")
        }
        return port
    }

    static func parseSMTP(_ value: (String) -> String?) throws -> SMTP? {
        guard let host = value("SMTP_HOST") else { return nil }
        var port = 25
        if let raw = value("SMTP_PORT") {
            guard let parsed = Int(raw), (1...65535).contains(parsed) else {
                throw ConfigurationError(description: "SMTP_PORT must be a number from 1 to 65535, got \"\(raw)\"")
            }
            port = parsed
        }
        guard let from = value("SMTP_FROM") else {
            throw ConfigurationError(
                description: "SMTP_FROM must be set when SMTP_HOST is set (the sender address of mail)")
        }
        guard EmailAddress.isValid(EmailAddress.normalise(from)) else {
            throw ConfigurationError(description: "SMTP_FROM must be an email address, got \"\(from)\"")
        }
        // Credentials would travel in the clear: Gotong does not speak STARTTLS yet.
        if value("SMTP_USERNAME") != nil || value("SMTP_PASSWORD") != nil {
            throw ConfigurationError(
                description:
                    """
                        SMTP_USERNAME/SMTP_PASSWORD are not supported yet (no TLS); point SMTP_HOST at a relay that \
                        accepts Gotong without a password
                        """
            )
        }
        return SMTP(host: host, port: port, username: nil, password: nil, from: from)
    }

    /// Parses `KEY=value` lines; `#` starts a comment; surrounding quotes are dropped.
    static func parseDotEnv(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
            var key = String(trimmed[..<eq]).trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("export ") { key = String(key.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            var value = String(trimmed[trimmed.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            result[key] = value
        }
        return result
    }

    /// Hides a password in a database address so it never reaches a log line.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = GotongConfig }

    /// The configuration this application was started with.
    public var gotong: GotongConfig {
        get {
            guard let config = storage[ConfigKey.self] else {
                preconditionFailure("configure(_:config:) sets the configuration before anything reads it")
            }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }
}

// MARK: Trusted proxies (GOTONG_TRUSTED_PROXIES)

/// The reverse proxies whose `X-Forwarded-For` header is believed, and the rule that picks the
/// client's address from it. Anyone can send the header, so it is read only when the socket
/// peer is one of these proxies, and only as far back as the chain of trusted proxies goes.
public struct TrustedProxies: Sendable, Equatable {
    public var ranges: [IPRange]

    /// Believes no proxy: the client is always the socket peer.
    public static let none = TrustedProxies(ranges: [])

    public init(ranges: [IPRange]) { self.ranges = ranges }

    /// Parses a comma-separated list of addresses and CIDR ranges (`10.0.0.5, 10.1.0.0/16, ::1`).
    public init(parsing raw: String?) throws {
        var ranges: [IPRange] = []
        for item in (raw ?? "").split(separator: ",") {
            let text = item.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let range = IPRange(text) else {
                throw ConfigurationError(
                    description:
                        """
                            GOTONG_TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas (e.g. \
                            10.0.0.0/8, 192.168.1.10, ::1), got \"\(text)\"
                            """
                )
            }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    public func contains(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address for a request that came from `peer` with these `X-Forwarded-For`
    /// header lines. Each proxy appends the address it was connected from, so the header is read
    /// from the right: an entry is believed only while the hop that wrote it is trusted. When
    /// the peer is not a trusted proxy the header is ignored (a client can write anything in it).
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "unknown" }
        guard var client = IPAddress(peer) else { return String(peer.prefix(64)) }
        guard !ranges.isEmpty else { return client.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            guard contains(client) else { break }
            // Garbage where a trusted proxy should have written an address: stop at that proxy.
            guard let address = IPAddress(String(hop)) else { break }
            client = address
        }
        return client.description
    }
}

/// An IPv4 or IPv6 address as its 4 or 16 bytes. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
/// is the IPv4 address it carries, so both spellings are the same client.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses an address, also as proxies write it: `[v6]`, `[v6]:port`, `v4:port`, `v6%zone`.
    public init?(_ text: String) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !s.isEmpty, s.utf8.count <= 64 else { return nil }
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { return nil }
            s = s[s.index(after: s.startIndex)..<close]
        } else if s.filter({ $0 == ":" }).count == 1, let colon = s.firstIndex(of: ":") {
            s = s[..<colon]
        }
        if let zone = s.firstIndex(of: "%") { s = s[..<zone] }
        let plain = String(s)
        var v4 = in_addr()
        if inet_pton(AF_INET, plain, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, plain, &v6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &v6) { Array($0) }
        if all[0..<10].allSatisfy({ $0 == 0 }), all[10] == 0xff, all[11] == 0xff {
            bytes = Array(all[12...])
        } else {
            bytes = all
        }
    }

    /// Dotted quad for IPv4; the shortest standard form for IPv6.
    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return "unknown" }
        return String(cString: buffer)
    }
}

/// An address or a CIDR range of addresses (`10.0.0.0/8`, `fd00::/8`, `192.168.1.10`).
public struct IPRange: Sendable, Equatable {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        var length = address.bytes.count * 8
        if parts.count == 2 {
            let written = parts[0].contains(":") ? 128 : 32
            guard let parsed = Int(parts[1]), (0...written).contains(parsed) else { return nil }
            // An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) is the IPv4 range it carries.
            length = written == 128 && address.bytes.count == 4 ? parsed - 96 : parsed
            guard length >= 0 else { return nil }
        }
        self.address = address
        self.prefixLength = length
    }

    public func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, other.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }
}
