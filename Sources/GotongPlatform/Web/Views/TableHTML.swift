/// Tables of people and courses that a coordinator acts on from a phone. On a narrow screen a
/// table of five columns pushed its actions off-screen with no hint to scroll; a `stack` table
/// becomes one card per row there instead, each value under its column's name (the cell's
/// `data-label`), with the actions in view. Wide screens keep the table.
extension HTMLText {
    /// Opens `<table class="stack">` with its column `headings` (already in the reader's language).
    @discardableResult
    public func stackTable(_ headings: [String], caption: String? = nil) -> HTMLText {
        // tabindex: a region that scrolls sideways must be reachable by keyboard (as every table-wrap is).
        raw("<div class=\"table-wrap\" tabindex=\"0\"><table class=\"stack\">\n")
        if let caption { raw("<caption class=\"sr\">").text(caption).raw("</caption>\n") }
        raw("<thead><tr>")
        for heading in headings { raw("<th scope=\"col\">").text(heading).raw("</th>") }
        return raw("</tr></thead>\n<tbody>\n")
    }

    /// Opens a cell of a `stack` table; `label` is its column's heading, shown above the value on
    /// a phone.
    @discardableResult
    public func cell(_ label: String) -> HTMLText {
        raw("<td data-label=\"").attr(label).raw("\">")
    }

    /// Closes what ``stackTable(_:caption:)`` opened.
    @discardableResult
    public func endStackTable() -> HTMLText { raw("</tbody></table></div>\n") }
}
