/// A labelled text field as every form writes it: the value kept after an error, the limit
/// stated in its hint (counted down by the script while typing), and its error beside it,
/// pointed at by `aria-describedby` with `aria-invalid`, so a screen reader reads both.
public struct TextField: Sendable {
    public enum Kind: Sendable {
        /// `<input>` of a type (`text`, `email`, `tel`, `url`).
        case input(String)
        /// `<textarea>` of some rows.
        case area(rows: Int)
        /// `<input type="password">`: what was typed is never written back.
        case password
        /// `<select>` of these choices.
        case select([SelectOption])
        /// `<input type="file">` taking these types (`image/png,image/jpeg`).
        case file(accept: String)
    }

    /// The control's id (the name unless two forms of a page share a name).
    public var id: String
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
        id = name
    }
}

extension HTMLText {
    /// Writes `field`: label, hint, the control, and its error.
    @discardableResult
    public func textField(_ field: TextField) -> HTMLText {
        let hintID = field.hint == nil ? nil : field.id + "-hint"
        raw("<label for=\"").attr(field.id).raw("\">").text(field.label).raw("</label>\n")
        if let hint = field.hint, let hintID {
            raw("<p class=\"hint\" id=\"").attr(hintID).raw("\">").text(hint).raw("</p>")
        }
        let tag: String
        switch field.kind {
        case .area: tag = "textarea"
        case .select: tag = "select"
        default: tag = "input"
        }
        raw("<").raw(tag).raw(" id=\"").attr(field.id).raw("\" name=\"").attr(field.name).raw("\"")
        switch field.kind {
        case .input(let type) where type != "text": raw(" type=\"").attr(type).raw("\"")
        case .area(let rows): raw(" rows=\"").text("\(rows)").raw("\"")
        case .password: raw(" type=\"password\"")
        case .file(let accept): raw(" type=\"file\" accept=\"").attr(accept).raw("\"")
        default: break
        }
        flag("required", field.required)
        if let max = field.max { raw(" data-max=\"").text("\(max)").raw("\"") }
        described(field.id, hint: hintID, error: field.error)
        raw(field.attributes)
        switch field.kind {
        case .input: raw(" value=\"").attr(field.value).raw("\">\n")
        case .area: raw(">").text(field.value).raw("</textarea>\n")
        case .select(let choices): raw(">").options(choices).raw("</select>\n")
        case .password, .file: raw(">\n")
        }
        return fieldError(field.error, for: field.id)
    }

    /// ` aria-describedby="… id-error" aria-invalid="true"` inside a field's tag: the field
    /// names its hint and, when it has an error, the error ``fieldError(_:for:)`` writes.
    @discardableResult
    public func described(_ fieldID: String, hint hintID: String? = nil, error: String?) -> HTMLText {
        let ids = [hintID, error == nil ? nil : fieldID + "-error"].compactMap { $0 }
        if !ids.isEmpty { raw(" aria-describedby=\"").attr(ids.joined(separator: " ")).raw("\"") }
        return error == nil ? self : raw(" aria-invalid=\"true\"")
    }
}
