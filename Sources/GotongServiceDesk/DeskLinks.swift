import Foundation
import GotongPlatform
import GotongTenancy
import NIOConcurrencyHelpers
import Vapor

/// Pages other modules add to the service desk's: to the citizens' desk page (the public
/// information site's services, its announcements …) and to the coordinators' line of links
/// above the queue. The desk cannot name those pages; each module registers its own.
public final class DeskLinks: Sendable {
    public struct Link: Sendable {
        /// Where the link stands (lower first), whatever order modules start in.
        public let position: Int
        /// A catalogue key.
        public let label: String
        public let path: @Sendable (Param<TenantSlug>) -> String

        public init(position: Int, label: String, path: @escaping @Sendable (Param<TenantSlug>) -> String) {
            (self.position, self.label, self.path) = (position, label, path)
        }
    }

    public enum Place: Sendable { case citizens, coordinators }

    /// A question box at the top of the citizens' desk page (the answerer's): a GET form of
    /// one field, `q`. Its texts are catalogue keys.
    public struct Search: Sendable {
        public let label, hint, button: String
        public let path: @Sendable (Param<TenantSlug>) -> String

        public init(
            label: String, hint: String, button: String, path: @escaping @Sendable (Param<TenantSlug>) -> String
        ) {
            (self.label, self.hint, self.button, self.path) = (label, hint, button, path)
        }
    }

    private let links = NIOLockedValueBox([Place: [Link]]())
    private let search = NIOLockedValueBox<Search?>(nil)

    public func register(_ search: Search) { self.search.withLockedValue { $0 = search } }

    /// The question box of the citizens' page, when a module offers one.
    public var citizensSearch: Search? { search.withLockedValue { $0 } }

    public func register(_ link: Link, on place: Place) {
        links.withLockedValue { links in
            links[place, default: []].append(link)
            links[place]?.sort { $0.position < $1.position }
        }
    }

    /// The links of `place` at the desk of `slug`: label key and address, in order.
    public func links(_ place: Place, _ slug: Param<TenantSlug>) -> [(label: String, path: String)] {
        links.withLockedValue { $0[place] ?? [] }.map { ($0.label, $0.path(slug)) }
    }
}

extension Application {
    private struct DeskLinksKey: StorageKey { typealias Value = DeskLinks }

    public var deskLinks: DeskLinks {
        if let kept = storage[DeskLinksKey.self] { return kept }
        let made = DeskLinks()
        storage[DeskLinksKey.self] = made
        return made
    }
}

extension HTMLText {
    /// A line of links, `a · b · c`, nothing when there are none.
    @discardableResult
    func linkLine(_ links: [(label: String, path: String)], _ t: Texts, class name: String? = nil) -> HTMLText {
        guard !links.isEmpty else { return self }
        raw(name.map { "<p class=\"\($0)\">" } ?? "<p>")
        for (i, link) in links.enumerated() {
            if i > 0 { raw(" · ") }
            raw("<a href=\"").attr(link.path).raw("\">").text(t(link.label)).raw("</a>")
        }
        return raw("</p>\n")
    }
}
