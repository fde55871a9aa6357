/// A choice in a `<select>`, as every form's model offers it.
public struct SelectOption: Sendable, Equatable {
    public let value: String
    public let label: String
    public let selected: Bool

    public init(value: String, label: String, selected: Bool) {
        self.value = value
        self.label = label
        self.selected = selected
    }
}

/// The pieces every form repeats, so a page written in Swift states only what is its own:
/// the form token, a one-button action, a field's error and a list of choices. Each writes
/// exactly the markup the pages wrote by hand, so the shared stylesheet keeps applying.
extension HTMLText {
    /// `<input type="hidden" name="_csrf" …>`: the token every form posts (see ``CSRF``).
    @discardableResult
    public func csrfField(_ token: String) -> HTMLText {
        raw("<input type=\"hidden\" name=\"_csrf\" value=\"").attr(token).raw("\">")
    }

    /// `<form method="post" action="…" class="…">` followed by the token; `multipart` for a form
    /// that uploads a file.
    @discardableResult
    public func postForm(
        _ action: String, csrf: String, class formClass: String? = nil, multipart: Bool = false
    ) -> HTMLText {
        // novalidate: a refused value gets the page's own message, in the page's language,
        // from the server, never the browser's tooltip in the browser's.
        raw("<form method=\"post\" action=\"").attr(action).raw("\" novalidate")
        if multipart { raw(" enctype=\"multipart/form-data\"") }
        if let formClass { raw(" class=\"").attr(formClass).raw("\"") }
        return raw(">").csrfField(csrf)
    }

    /// A form that is one button: an action such as "publish" or "approve", posted with the
    /// token. `buttonClass` is the button's look (`secondary`, `small`); `formClass` nil for a
    /// form without a class.
    @discardableResult
    public func postButton(
        _ action: String, csrf: String, label: String, buttonClass: String? = nil, formClass: String? = "inline"
    ) -> HTMLText {
        postForm(action, csrf: csrf, class: formClass).raw("<button type=\"submit\"")
        if let buttonClass { raw(" class=\"").attr(buttonClass).raw("\"") }
        return raw(">").text(label).raw("</button></form>")
    }

    /// `<p class="field-error" id="<field>-error">…</p>` under a field, when it has an error.
    /// The id is always written, so the field can point at it (``described(_:hint:error:)``):
    /// an error no field names is one a screen reader never reads with its field.
    @discardableResult
    public func fieldError(_ message: String?, for fieldID: String) -> HTMLText {
        guard let message else { return self }
        return raw("<p class=\"field-error\" id=\"").attr(fieldID).raw("-error\">").text(message).raw("</p>\n")
    }

    /// The `<option>`s of a select.
    @discardableResult
    public func options(_ options: [SelectOption]) -> HTMLText {
        for option in options {
            raw("<option value=\"").attr(option.value).raw(option.selected ? "\" selected>" : "\">").text(option.label)
                .raw("</option>")
        }
        return self
    }

    /// `<p class="flash error" role="alert">…</p>`: a form's message above its fields.
    @discardableResult
    public func alert(_ message: String?) -> HTMLText {
        guard let message else { return self }
        return raw("<p class=\"flash error\" role=\"alert\">").text(message).raw("</p>\n")
    }

    /// ` checked` / ` selected` / ` required`: a boolean attribute when `on`.
    @discardableResult
    public func flag(_ name: String, _ on: Bool) -> HTMLText {
        on ? raw(" ").raw(name) : self
    }
}
