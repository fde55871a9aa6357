import Vapor

/// The catalogue's text in one reader's language. Pages written in Swift take this instead of
/// a request, so a test renders them from a fixed model without a server.
public struct Texts: Sendable {
    public let language: Language
    let localizer: Localizer

    public init(_ localizer: Localizer, _ language: Language) {
        self.localizer = localizer
        self.language = language
    }

    /// `texts("learning.percent", ["percent": "40"])`
    public func callAsFunction(_ key: String, _ args: [String: String] = [:]) -> String {
        localizer.text(key, language, args)
    }

    /// The text of `key`, or of `fallback` when the catalogue has none (a type's own wording).
    public func callAsFunction(_ key: String, fallback: String, _ args: [String: String] = [:]) -> String {
        let text = self(key, args)
        return text == key ? self(fallback, args) : text
    }
}

extension Request {
    private struct TextsKey: StorageKey { typealias Value = Texts }

    /// The catalogue's text in the caller's language, for pages written in Swift. Worked out
    /// once per request: finding the localizer (under the application's lock) and the
    /// language for each text cost more than the text itself, about 2 µs, a few dozen times
    /// a page (docs/performance.md).
    public var texts: Texts { once(TextsKey.self) { Texts($0.application.localizer, $0.language) } }
}

/// A page's own content, written in Swift from a plain model (the frame around it is
/// ``LayoutHTML``'s). This is how Gotong renders a page: one buffer, every value escaped by
/// ``HTMLText``, no template engine, and a snapshot test per page type from a fixed model
/// (see `docs/rendering.md`).
public protocol PageBody: Sendable {
    /// Writes the content between the frame's `<main>` and `</main>`. `csrf` is the token
    /// for the page's forms.
    func write(to html: HTMLText, texts: Texts, csrf: String)
}

extension PageBody {
    /// The content alone, as a snapshot test compares it.
    public func html(texts: Texts, csrf: String = "token") -> String {
        let html = HTMLText()
        write(to: html, texts: texts, csrf: csrf)
        return html.string
    }
}
