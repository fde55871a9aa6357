import Foundation
import Testing
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Markdown from tenants, trainers and forum posters becomes HTML in pages and in the JSON API's
/// `html` fields (which mobile clients render without a CSP). These check that the HTML carries
/// nothing but the markup Markdown means, including against the attacks of issue 12 item 4
/// (a fenced code block's language written into an attribute unescaped), and that ordinary
/// Markdown renders as it did.
@Suite("Safe Markdown")
struct SafeMarkdownTests {
    // MARK: - Checks made without the code under test

    static let elements = "p|br|hr|h[1-6]|em|strong|s|del|code|pre|blockquote|ul|ol|li|a|table|thead|tbody|tr|th|td"
    /// An allowed tag, whole: only the allowed attributes, double-quoted, with nothing in the value
    /// that could end it. Matched by Unicode scalar, as a browser reads (a `"` with a combining
    /// accent is one `Character` but still a quote).
    static var allowedTag: Regex<AnyRegexOutput> {
        try! Regex(#"<(?:/(?:\#(elements))|(?:\#(elements))(?: (?:href|rel|class|start|align)="[^"<>]*")*)>"#)
            .matchingSemantics(.unicodeScalar)
    }

    /// Everything wrong with `html` as Markdown output, empty when it is safe.
    static func problems(in html: String) -> [String] {
        var problems: [String] = []
        let scalars = Array(html.unicodeScalars)
        let allowedTag = Self.allowedTag
        for start in scalars.indices where scalars[start] == "<" {
            let rest = String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + 400)]))
            guard let match = rest.prefixMatch(of: allowedTag) else {
                problems.append("a `<` that starts no allowed tag: \(rest.prefix(60).debugDescription)")
                continue
            }
            let tag = String(match.output[0].substring ?? "")
            if tag.contains(/\son[a-z]+\s*=/.ignoresCase()) { problems.append("an event handler: \(tag)") }
            if tag.contains(/style\s*=/.ignoresCase()) { problems.append("a style: \(tag)") }
            if let href = tag.firstMatch(of: /href="([^"]*)"/)?.output.1, !isSafeAddress(String(href)) {
                problems.append("an unsafe address: \(tag)")
            }
        }
        if html.range(of: "<script", options: .caseInsensitive) != nil { problems.append("a script element") }
        return problems
    }

    /// The address a browser would follow is http(s), mailto, a local path or a fragment.
    static func isSafeAddress(_ attribute: String) -> Bool {
        let decoded = attribute.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(
            of: "&#39;", with: "'"
        )
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(
            of: "&amp;", with: "&")
        // Browsers ignore tabs and line breaks in an address and trim spaces and controls around it.
        let seen = String(
            String.UnicodeScalarView(decoded.unicodeScalars.filter { !"\t\n\r".unicodeScalars.contains($0) })
        )
        .trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters)).lowercased()
        if seen.hasPrefix("//") || seen.hasPrefix("/\\") { return false }
        return ["https://", "http://", "mailto:", "/", "#"].contains { seen.hasPrefix($0) }
    }

    // MARK: - Attacks

    @Test(arguments: [
        #"x" style="position:fixed" onmouseover="alert(1)"#,
        #"x"onmouseover="alert(1)"#,
        #"x"><img src=x onerror=alert(1)>"#,
        #"x"/onfocus="alert(1)"/autofocus/tabindex="0"#,
        #"x'" onclick='alert(1)"#,
        "x\"`onclick=\"alert(1)",
        "x``\" onclick=\"alert(1)",
        "x\"\u{301} onmouseover=\"alert(1)",
        "x\"\u{0C}onmouseover=\"alert(1)",
        "ünïcode\" onmouseover=\"alert(1)",
        "x\" style=background:url(javascript:alert(1))",
        "<script>alert(1)</script>",
        "x\"<a href=javascript:alert(1)>",
    ])
    func fencedCodeLanguageCannotAddAttributes(info: String) {
        // MUT
        let html = SafeMarkdown.html("```\(info)\nkode\n```")
        // validate
        #expect(Self.problems(in: html) == [], "\(html.debugDescription)")
        // The code itself is still shown (an unclosed quote may turn the tag into text too).
        #expect(html.hasPrefix("<pre>") && html.contains("kode\n"), "\(html.debugDescription)")
    }

    /// HTML from elsewhere (a question imported from Moodle) keeps its words and the markup
    /// Markdown would make, and nothing else.
    @Test(arguments: [
        #"<p dir="ltr" style="text-align: left;" onclick="alert(1)">Kolaboratif<br></p>"#,
        #"<img src=x onerror=alert(1)>Kolaboratif"#,
        #"<a href="javascript:alert(1)">Kolaboratif</a>"#,
        #"<script>alert(1)</script>Kolaboratif"#,
        #"<iframe src="https://contoh.go.id"></iframe>Kolaboratif"#,
        #"<svg onload=alert(1)><p>Kolaboratif</p></svg>"#,
        #"<p title="x" onmouseover="alert(1)"><strong>Kolaboratif</strong></p>"#,
        #"<a href="https://gol.kpk.go.id" target="_blank" onclick="x()">Kolaboratif</a>"#,
    ])
    func foreignHTMLKeepsItsWordsAndSafeMarkupOnly(html: String) {
        let safe = SafeHTML.html(html)
        #expect(Self.problems(in: safe) == [], "\(safe.debugDescription)")
        #expect(safe.contains("Kolaboratif"))
    }

    @Test func theReportedFenceKeepsOnlyItsLanguage() {
        let html = SafeMarkdown.html("```x\" style=\"position:fixed\" onmouseover=\"alert(1)\nkode\n```")
        #expect(html == "<pre><code class=\"language-x\">kode\n</code></pre>")
    }

    @Test(arguments: [("swift", "swift"), ("c++", "c++"), ("objective-c", "objective-c"), ("x86_64", "x86_64")])
    func saneLanguagesKeepTheirClass(info: String, language: String) {
        #expect(
            SafeMarkdown.html("```\(info)\nlet a = 1\n```")
                == "<pre><code class=\"language-\(language)\">let a = 1\n</code></pre>")
    }

    @Test(arguments: [
        "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))",
        "[x](\tjavascript:alert(1))",
        "[x](&#106;avascript:alert(1))", "[x](javascript&colon;alert(1))", "[x](&#x6A;avascript&#58;alert(1))",
        "[x](\u{0}javascript:alert(1))", "[x](data:text/html,<script>alert(1)</script>)", "[x](vbscript:msgbox(1))",
        "[x](//evil.example)", "[x](/\\evil.example)", "[x](/\t/evil.example)", "[x](/\u{0B}/evil.example)",
        "[x](https://a.b/\"\u{301}\tonmouseover=alert(1))", "[x](https://a.b/\"onmouseover=alert(1))",
        "[x](/a\u{202E}b)", "[x](/a\u{2028}b)",
    ])
    func unsafeLinksAreText(markdown: String) {
        let html = SafeMarkdown.html(markdown)
        #expect(!html.contains("<a"), "\(html.debugDescription)")
        #expect(Self.problems(in: html) == [], "\(html.debugDescription)")
    }

    @Test func encodedCharactersInAnAddressStayLiteral() {
        // The browser reads `/&#47;x` literally, so it cannot turn into `//x`.
        #expect(SafeMarkdown.html("[x](/&#47;evil.example)") == #"<p><a href="/&amp;#47;evil.example">x</a></p>"#)
    }

    @Test(arguments: [
        #"![x" onerror="alert(1)](https://a.b/x.png)"#, #"![x](https://a.b/x.png" onerror="alert(1))"#,
        "![x](x onerror=alert(1))", "![<img src=x onerror=alert(1)>](https://a.b/x.png)",
        "![x](https://a.b/x.png\"\u{301}\tonerror=alert(1))", "![x](javascript:alert(1))",
    ])
    func imagesCannotCarryHandlers(markdown: String) {
        let html = SafeMarkdown.html(markdown)
        #expect(!html.contains("<img"), "\(html.debugDescription)")
        #expect(Self.problems(in: html) == [], "\(html.debugDescription)")
    }

    @Test func anImageIsAPlainLink() {
        #expect(
            SafeMarkdown.html("![peta](https://a.b/peta.png)")
                == #"<a href="https://a.b/peta.png" rel="nofollow noopener">peta</a>"#)
    }

    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        (#"<a href="javascript:alert(1)">x</a>"#, #"&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;"#),
        (#"Ada <p onclick=x>teks</p> di sini"#, "Ada &lt;p onclick=x&gt;teks&lt;/p&gt; di sini"),
        (
            "<svg/onload=alert(1)> <!-- c --> <<script>>",
            "&lt;svg/onload=alert(1)&gt; &lt;!-- c --&gt; &lt;&lt;script&gt;&gt;"
        ),
        ("&#60;script&#62;", "&#60;script&#62;"),
        // A combining accent after `<` does not hide it.
        ("a <\u{301}img src=x onerror=alert(1)> b", "a &lt;\u{301}img src=x onerror=alert(1)&gt; b"),
    ])
    func rawHTMLIsShownAsText(markdown: String, text: String) {
        let html = SafeMarkdown.html(markdown)
        #expect(html.contains(text), "\(html.debugDescription)")
        #expect(Self.problems(in: html) == [], "\(html.debugDescription)")
    }

    // MARK: - Ordinary Markdown

    @Test(arguments: [
        (
            "# Judul\n\n## Sub\n\nTeks *miring* dan **tebal** dan ~~coret~~.",
            "<h1>Judul</h1><h2>Sub</h2><p>Teks <em>miring</em> dan <strong>tebal</strong> dan <s>coret</s>.</p>"
        ),
        (
            "***tebal miring*** dan **tebal *miring* tebal**",
            "<p><strong><em>tebal miring</em></strong> dan <strong>tebal <em>miring</em> tebal</strong></p>"
        ),
        (
            "- satu\n- dua\n  - dua a\n\n3. tiga\n4. empat",
            #"<ul><li>satu</li><li>dua<ul><li>dua a</li></ul></li></ul><ol start="3"><li>tiga</li><li>empat</li></ol>"#
        ),
        (
            "| A | B | C |\n|:--|:-:|--:|\n| 1 | 2 | 3 |",
            #"<table><thead><tr><th align="left">A</th><th align="center">B</th><th align="right">C</th></tr></thead>"#
                + #"<tbody><tr><td align="left">1</td><td align="center">2</td>"#
                + #"<td align="right">3</td></tr></tbody></table>"#
        ),
        (
            "| A | B |\n| - | - |\n| 1 | 2 |",
            "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
        ),
        (
            "[tautan](https://lan.go.id) [lokal](/kursus/x) [frag](#bagian) [surat](mailto:a@b.id)",
            #"<p><a href="https://lan.go.id" rel="nofollow noopener">tautan</a> <a href="/kursus/x">lokal</a> "#
                + ##"<a href="#bagian">frag</a> <a href="mailto:a@b.id">surat</a></p>"##
        ),
        (
            "[cari](https://a.b/?q=1&r=2)",
            #"<p><a href="https://a.b/?q=1&amp;r=2" rel="nofollow noopener">cari</a></p>"#
        ),
        ("```swift\nlet a = 1\n```", "<pre><code class=\"language-swift\">let a = 1\n</code></pre>"),
        ("baris satu  \nbaris dua\n\n---", "<p>baris satu<br>baris dua</p><hr>"),
        ("Harga \"khusus\" it's AT&T &copy; &amp; 5", "<p>Harga \"khusus\" it's AT&amp;T &copy; &amp; 5</p>"),
    ])
    func ordinaryMarkdownRendersAsBefore(markdown: String, html: String) {
        #expect(SafeMarkdown.html(markdown) == html)
    }

    /// `<` used to be escaped before Ink read the Markdown, and Ink escaped that `&` again in code;
    /// `>` too, which also stopped blockquotes from working.
    @Test func codeShowsAngleBracketsAndQuotesWork() {
        #expect(
            SafeMarkdown.html("```swift\nif a < b && b > c {}\n```")
                == "<pre><code class=\"language-swift\">if a &lt; b &amp;&amp; b &gt; c {}\n</code></pre>")
        #expect(
            SafeMarkdown.html("Kode `a < b && c` di sini.") == "<p>Kode <code>a &lt; b &amp;&amp; c</code> di sini.</p>"
        )
        #expect(SafeMarkdown.html("> kutipan\n\n5 > 3") == "<blockquote><p>kutipan</p></blockquote><p>5 &gt; 3</p>")
    }

    // MARK: - The sanitiser on its own

    @Test(arguments: [
        // Allowed markup is kept as it is.
        (
            #"<p><a href="https://x.y" rel="nofollow noopener">a</a> <code class="language-go">b</code></p>"#,
            #"<p><a href="https://x.y" rel="nofollow noopener">a</a> <code class="language-go">b</code></p>"#
        ),
        // Disallowed elements go, their text stays; disallowed attributes go.
        ("<div><script>alert(1)</script><b>x</b><img src=x onerror=alert(1)></div>", "alert(1)x"),
        (#"<p style="x" onclick="y" class="z" id=w>t</p>"#, "<p>t</p>"),
        ("<P ONCLICK=x>t</P>", "<p>t</p>"),
        // An address is checked as the browser will read it, entities decoded.
        (#"<a href="java&#x09;script:alert(1)">x</a>"#, "x"),
        (#"<a href="&#106;avascript:alert(1)">x</a>"#, "x"),
        (#"<a href="javascript&colon;alert(1)">x</a>"#, "x"),
        (#"<a href="/&sol;evil.example">x</a>"#, "x"),
        (#"<a>x</a>"#, "x"),
        (#"<a href="/&copy;">x</a>"#, #"<a href="/&amp;copy;">x</a>"#),
        (#"<a href="/a&amp;b">x</a>"#, #"<a href="/a&amp;b">x</a>"#),
        // `rel` comes from the address, never from the input.
        (#"<a href="https://x.y" rel="opener">x</a>"#, #"<a href="https://x.y" rel="nofollow noopener">x</a>"#),
        (#"<a href="/x" rel="nofollow noopener">x</a>"#, #"<a href="/x">x</a>"#),
        // The first of two attributes counts, as in browsers.
        (#"<a href="/x" href="javascript:alert(1)">x</a>"#, #"<a href="/x">x</a>"#),
        // A quote with a combining accent still ends the value.
        ("<a href=\"/x\"\u{301} onmouseover=\"alert(1)\">x</a>", #"<a href="/x">x</a>"#),
        // Attribute values must match exactly.
        (#"<ol start="3"><li>a</li></ol><ol start="3x"></ol>"#, #"<ol start="3"><li>a</li></ol><ol></ol>"#),
        (
            #"<td align="center">a</td><td align="justify" style="text-align:left">b</td>"#,
            #"<td align="center">a</td><td>b</td>"#
        ),
        (
            "<code class='language-x'>a</code><code class=\"language-x y\">b</code>",
            #"<code class="language-x">a</code><code>b</code>"#
        ),
        // Tags are balanced: unclosed ones closed, stray end tags dropped.
        ("<p><em>x</p>", "<p><em>x</em></p>"),
        ("</p></em>x<strong>y", "x<strong>y</strong>"),
        (#"<a href="javascript:x"><em>y</em></a></a>"#, "<em>y</em>"),
        // Unfinished tags, comments and text.
        (#"<p title="x>y"#, #"&lt;p title="x&gt;y"#),
        ("a<!-- <script> -->b<!doctype html>c<?x?>d</ 3>e", "abcde"),
        ("a & b < c > d &copy; &#60; &x", "a &amp; b &lt; c &gt; d &copy; &#60; &amp;x"),
    ])
    func sanitiser(input: String, output: String) {
        #expect(HTMLSanitiser.sanitise(input) == output)
    }

    // MARK: - Hostile input, generated

    /// A few hundred strings mixing HTML's special characters with the words attacks use; the
    /// same seed each run, so a failure can be reproduced.
    @Test func generatedHostileInputNeverLeaksMarkup() {
        let pieces = [
            "<", ">", "\"", "'", "=", "`", "```", " ", "\t", "\n", "/", "&", "#", ";", "\u{301}", "\u{0C}",
            "onerror", "onmouseover", "style", "javascript:", "JaVaScRiPt:", "script", "img", "a", "href", "src", "x",
            "[", "](", ")", "![", "*", "**", "|", "-", ":", "1.", "# ", "> ", "<p", "</", "<!--", "-->",
            "&#106;", "&quot;", "&lt;", "&colon;", "https://", "/", "//", "alert(1)",
        ]
        var random = SplitMix64(seed: 12_4)
        for _ in 0..<400 {
            let input = (0..<Int.random(in: 1...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            let html = SafeMarkdown.html(input)
            #expect(Self.problems(in: html) == [], "Markdown \(input.debugDescription) → \(html.debugDescription)")
            #expect(HTMLSanitiser.sanitise(html) == html, "not stable: \(input.debugDescription)")
            let direct = HTMLSanitiser.sanitise(input)
            #expect(Self.problems(in: direct) == [], "HTML \(input.debugDescription) → \(direct.debugDescription)")
        }
    }
}

/// A small seeded generator (Sebastiano Vigna's SplitMix64), so generated tests repeat exactly.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
