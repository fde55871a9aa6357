import Foundation
import Vapor

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

    /// Cookies get the `Secure` flag only when the public address is https.
    public var isHTTPS: Bool { baseURL.lowercased().hasPrefix("https://") }

    public init(
        database: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080,
        baseURL: String? = nil, demoPassword: String? = nil, smtp: SMTP? = nil,
        dataDirectory: String = "data"
    ) {
        self.database = database
        self.host = host
        self.port = port
        self.baseURL = baseURL ?? "http://\(host):\(port)"
        self.demoPassword = demoPassword
        self.smtp = smtp
        self.dataDirectory = dataDirectory
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
        var baseURL = value("GOTONG_BASE_URL")
        if let url = baseURL {
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
                  ["http", "https"].contains(scheme), parsed.host != nil
            else {
                throw ConfigurationError(description: "GOTONG_BASE_URL must be an http:// or https:// address, got \"\(url)\"")
            }
            baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let password = value("GOTONG_DEMO_PASSWORD"), password.count < 8 {
            throw ConfigurationError(description: "GOTONG_DEMO_PASSWORD must be at least 8 characters")
        }
        return GotongConfig(
            database: database, host: host, port: port, baseURL: baseURL,
            demoPassword: value("GOTONG_DEMO_PASSWORD"), smtp: try parseSMTP(value),
            dataDirectory: dataDirectory
        )
    }

    static func parseDatabase(_ raw: String?, dataDirectory: String) throws -> DatabaseLocation {
        guard let raw else { return .sqlite(path: dataDirectory + "/gotong.sqlite") }
        if raw == "sqlite::memory:" || raw == "sqlite::memory" { return .sqliteMemory }
        if raw.hasPrefix("sqlite:") {
            var path = String(raw.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw ConfigurationError(description: "DATABASE_URL \"\(raw)\" names no file; use sqlite:PATH, e.g. sqlite:data/gotong.sqlite")
            }
            return .sqlite(path: path)
        }
        if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard let url = URL(string: raw), url.host != nil else {
                throw ConfigurationError(description: "DATABASE_URL \"\(redacted(raw))\" is not a valid postgres:// address")
            }
            return .postgres(url: raw)
        }
        throw ConfigurationError(description: "DATABASE_URL must start with sqlite: or postgres://, got \"\(redacted(raw))\"")
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
            throw ConfigurationError(description: "SMTP_FROM must be set when SMTP_HOST is set (the sender address of mail)")
        }
        guard Person.isValidEmail(Person.normalise(email: from)) else {
            throw ConfigurationError(description: "SMTP_FROM must be an email address, got \"\(from)\"")
        }
        // Credentials would travel in the clear: Gotong does not speak STARTTLS yet.
        if value("SMTP_USERNAME") != nil || value("SMTP_PASSWORD") != nil {
            throw ConfigurationError(description: "SMTP_USERNAME/SMTP_PASSWORD are not supported yet (no TLS); point SMTP_HOST at a relay that accepts Gotong without a password")
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
