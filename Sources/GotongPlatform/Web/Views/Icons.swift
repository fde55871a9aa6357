/// Small icons drawn inline as SVG. An emoji (🔒) is missing from the fonts of many older phones
/// and shows as an empty box there; an inline icon renders everywhere, costs no request and
/// takes the text's colour.
public enum Icon: Sendable {
    case lock
    case check

    /// The shape on a 16 × 16 grid.
    var path: String {
        switch self {
        case .lock: "M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z"
        case .check: "M6 11.2 2.8 8 1.4 9.4 6 14l8.6-8.6-1.4-1.4z"
        }
    }
}

extension HTMLText {
    /// Writes `icon`. With a `label` it is announced by screen readers as that text; without one
    /// it is decorative (the words beside it say what it means) and hidden from them.
    @discardableResult
    public func icon(_ icon: Icon, label: String? = nil) -> HTMLText {
        raw("<svg class=\"icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\"")
        if let label {
            raw(" role=\"img\" aria-label=\"").attr(label).raw("\"")
        } else {
            raw(" aria-hidden=\"true\"")
        }
        return raw("><path d=\"").raw(icon.path).raw("\"/></svg>")
    }
}
