import Foundation

/// A link someone typed to a page elsewhere (a YouTube video, an Instagram live): `https://` or
/// `http://`, a host with a dot, no spaces, at most 2,000 characters. Anything else (a
/// `javascript:` address among them) is refused, so a stored link is always safe to follow.
public enum WebAddress {
    public static func isValid(_ text: String) -> Bool {
        guard text.count <= 2000, !text.contains(where: { $0.isWhitespace }), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), ["https", "http"].contains(scheme), let host = url.host,
            host.contains(".")
        else { return false }
        return true
    }
}

extension ProblemList {
    /// Reads an optional link: empty stays empty; anything else must be a web address.
    public mutating func webAddress(_ raw: String?, _ field: String) -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty, !WebAddress.isValid(text) { add(field, "input.error.web_address") }
        return text
    }
}
