import Foundation
import Vapor

/// A language the interface speaks. Indonesian is the default, English the second.
public enum Language: String, Codable, CaseIterable, Sendable {
    case id, en

    public static let `default` = Language.id

    /// Picks the first supported language of an Accept-Language header.
    public init?(acceptLanguage: String) {
        for part in acceptLanguage.split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if let match = Language(rawValue: String(tag.prefix(2))) {
                self = match
                return
            }
        }
        return nil
    }
}

/// The localisation catalogue: every user-facing string, in each language, by key.
public struct Localizer: Sendable {
    private let catalogues: [Language: [String: String]]

    public init(catalogues: [Language: [String: String]]) {
        self.catalogues = catalogues
    }

    /// Joins the modules' catalogues. A key two modules define is a build mistake, reported
    /// at start; so is a language with no strings at all.
    public static func load(from modules: [ModuleResources]) throws -> Localizer {
        var catalogues: [Language: [String: String]] = [:]
        for locale in Language.allCases {
            var joined: [String: String] = [:]
            for module in modules {
                for (key, text) in try module.strings(locale) {
                    guard joined[key] == nil else {
                        throw ConfigurationError(
                            description: "the string \(key) is defined twice (again by \(module.module))")
                    }
                    joined[key] = text
                }
            }
            guard !joined.isEmpty else {
                throw ConfigurationError(
                    description: "no strings in \(locale.rawValue) are in the build (Resources/i18n)")
            }
            catalogues[locale] = joined
        }
        return Localizer(catalogues: catalogues)
    }

    /// These strings and `extra` ones (a plug-in's, that ships without a module of its own); a
    /// key defined twice is a mistake, reported at start.
    public func adding(_ extra: [Language: [String: String]], from source: String) throws -> Localizer {
        var joined = catalogues
        for (locale, strings) in extra {
            for (key, text) in strings {
                guard joined[locale]?[key] == nil else {
                    throw ConfigurationError(description: "the string \(key) is defined twice (again by \(source))")
                }
                joined[locale, default: [:]][key] = text
            }
        }
        return Localizer(catalogues: joined)
    }

    /// The text for `key` in `locale`, with `{name}` placeholders filled. A missing key falls back
    /// to Indonesian, then shows the key itself so a gap is visible rather than blank.
    public func text(_ key: String, _ locale: Language, _ args: [String: String] = [:]) -> String {
        let text = catalogues[locale]?[key] ?? catalogues[.default]?[key] ?? key
        return args.isEmpty ? text : Self.fill(text, args)
    }

    /// `{name}` in `template` replaced by `args[name]`, in one pass: a value is never read
    /// again for placeholders (a course titled `{jp}` stays as titled), and no Foundation
    /// string search runs per argument (a list page fills hundreds of texts). Braces that
    /// name no argument stay as written.
    static func fill(_ template: String, _ args: [String: String]) -> String {
        var result = ""
        result.reserveCapacity(template.utf8.count + 16)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}",
                let value = args[String(rest[afterOpen..<close])]
            else {
                result += "{"
                rest = rest[afterOpen...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }

    public func keys(_ locale: Language) -> Set<String> { Set(catalogues[locale].map { Array($0.keys) } ?? []) }
}

extension Application {
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }

    public var localizer: Localizer {
        get { storage[LocalizerKey.self] ?? Localizer(catalogues: [:]) }
        set { storage[LocalizerKey.self] = newValue }
    }
}

extension Request {
    private struct LocaleKey: StorageKey { typealias Value = Language }

    /// The caller's language: the `lang` cookie set by the language switch, else the
    /// Accept-Language header, else Indonesian.
    public var language: Language {
        once(LocaleKey.self) { req in
            req.parsedCookies["lang"].flatMap { Language(rawValue: $0.string) }
                ?? req.headers.first(name: .acceptLanguage).flatMap(Language.init(acceptLanguage:))
                ?? .default
        }
    }

    /// Text from the catalogue in the caller's language.
    public func t(_ key: String, _ args: [String: String] = [:]) -> String {
        texts(key, args)
    }
}
