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
