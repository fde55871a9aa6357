/// A labelled text field as every form writes it: the value kept after an error, the limit
/// stated in its hint (counted down by the script while typing), and its error beside it,
/// pointed at by `aria-describedby` with `aria-invalid`, so a screen reader reads both.
public struct TextField: Sendable {
    public enum Kind: Sendable {
        /// `<input>` of a type (`text`, `email`, `tel`, `url`).
        case input(String)
        /// `<textarea>` of some rows.
        case area(rows: Int)
    }

    public var name: String
    public var label: String
    public var value: String
    public var error: String?
    /// What to type, then the limit: "Paling banyak 200 karakter."
    public var hint: String?
    public var kind: Kind
    /// The most characters the server takes (it refuses more with a message; nothing is cut).
    public var max: Int?
    public var required: Bool
    /// Other attributes, written as they are (` autocomplete="name"`).
    public var attributes: String

    public init(
        _ name: String, label: String, value: String?, error: String?, hint: String? = nil, kind: Kind = .input("text"),
        max: Int? = nil, required: Bool = false, attributes: String = ""
    ) {
        (self.name, self.label, self.value, self.error, self.hint) = (name, label, value ?? "", error, hint)
        (self.kind, self.max, self.required, self.attributes) = (kind, max, required, attributes)
    }
}

extension HTMLText {
    /// Writes `field`: label, hint, the control, and its error.
    @discardableResult
    public func textField(_ field: TextField) -> HTMLText {
        let hintID = field.hint == nil ? nil : field.name + "-hint"
        let errorID = field.error == nil ? nil : field.name + "-error"
        raw("<label for=\"").attr(field.name).raw("\">").text(field.label).raw("</label>\n")
        if let hint = field.hint, let hintID {
            raw("<p class=\"hint\" id=\"").attr(hintID).raw("\">").text(hint).raw("</p>")
        }
        switch field.kind {
        case .input(let type):
            raw("<input id=\"").attr(field.name).raw("\" name=\"").attr(field.name).raw("\"")
            if type != "text" { raw(" type=\"").attr(type).raw("\"") }
        case .area(let rows):
            raw("<textarea id=\"").attr(field.name).raw("\" name=\"").attr(field.name).raw("\" rows=\"").text("\(rows)")
                .raw("\"")
        }
        flag("required", field.required)
        if let max = field.max { raw(" data-max=\"").text("\(max)").raw("\"") }
        let described = [hintID, errorID].compactMap { $0 }
        if !described.isEmpty { raw(" aria-describedby=\"").attr(described.joined(separator: " ")).raw("\"") }
        if field.error != nil { raw(" aria-invalid=\"true\"") }
        raw(field.attributes)
        switch field.kind {
        case .input: raw(" value=\"").attr(field.value).raw("\">\n")
        case .area: raw(">").text(field.value).raw("</textarea>\n")
        }
        return fieldError(field.error, id: errorID)
    }
}
