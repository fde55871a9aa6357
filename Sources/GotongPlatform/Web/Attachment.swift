import Foundation
import Vapor

extension HTTPHeaders {
    /// `Content-Disposition: attachment; filename="…"; filename*=UTF-8''…` for a download named
    /// `filename`: an ASCII name for old clients (quotes, backslashes, control and non-ASCII
    /// characters as `_`, so a sender's file name cannot break the header) and the exact name
    /// (RFC 6266 / 5987) for every browser, so "Laporan Ñ.pdf" arrives as it was sent. Vapor's
    /// own `contentDisposition` writes the name unencoded.
    public mutating func setAttachment(filename: String) {
        replaceOrAdd(name: .contentDisposition, value: Self.attachment(filename))
    }

    /// `Content-Disposition: inline` with the file's name: a document to read in the browser
    /// (a PDF), saved under its name.
    public mutating func setInline(filename: String) {
        let value = "inline" + Self.attachment(filename).dropFirst("attachment".count)
        replaceOrAdd(name: .contentDisposition, value: value)
    }

    /// The header's value for ``setAttachment(filename:)``.
    public static func attachment(_ filename: String) -> String {
        let ascii = String(
            filename.unicodeScalars.map { scalar in
                scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
                    ? Character(scalar) : "_"
            })
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: Self.attrChar) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// RFC 5987's `attr-char`: ASCII letters and digits and `!#$&+-.^_`|~`.
    private static let attrChar: CharacterSet = {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        return allowed
    }()
}

extension Response {
    /// A file to download, named `filename`, kept by no cache along the way (exports hold
    /// personal data).
    public static func download(_ body: ByteBuffer, type: HTTPMediaType, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(buffer: body))
        response.headers.contentType = type
        response.headers.setAttachment(filename: filename)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// A CSV written by ``CSVText``, to download.
    public static func csv(_ lines: [[String]], filename: String) -> Response {
        download(
            ByteBuffer(string: CSVText.document(lines)),
            type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]), filename: filename)
    }
}
