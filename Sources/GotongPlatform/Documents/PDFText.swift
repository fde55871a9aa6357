import Foundation
import NIOCore

/// How text and numbers are spelled inside a PDF file.
enum PDFText {
    /// Windows-1252's codes 0x80–0x9F, which Latin-1 leaves to control characters; 0 where the
    /// code page has no character.
    private static let codes80to9F: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// The text in Windows-1252, the standard fonts' encoding here: composed first (so "e" and
    /// a combining accent become "é"), control characters as spaces, anything else as "?".
    static func encode(_ text: String) -> [UInt8] {
        text.precomposedStringWithCanonicalMapping.unicodeScalars.map { scalar in
            let value = scalar.value
            switch value {
            case 0..<32, 127: return 0x20
            case 32..<127, 160...255: return UInt8(value)
            default:
                if let index = codes80to9F.firstIndex(of: value), value != 0 { return UInt8(0x80 + index) }
                return 0x3F
            }
        }
    }

    /// A literal string `( … )` that stays plain ASCII: parentheses and backslashes escaped,
    /// bytes above 126 written in octal.
    static func literal(_ bytes: [UInt8]) -> String {
        var out = "("
        for byte in bytes {
            switch byte {
            case 0x28, 0x29, 0x5C: out += "\\" + String(UnicodeScalar(byte))
            case 32..<127: out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out + ")"
    }

    /// A text string for the document information: UTF-16 with its byte-order mark, in hex.
    static func unicode(_ text: String) -> String {
        "<FEFF" + text.utf16.map { hex4($0) }.joined() + ">"
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// `D:YYYYMMDDHHmmSSZ`, in UTC.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let fields = [parts.month, parts.day, parts.hour, parts.minute, parts.second].map { value in
            let text = String(value ?? 0)
            return text.count == 1 ? "0" + text : text
        }
        return "D:\(parts.year ?? 1970)" + fields.joined() + "Z"
    }

    /// A number with at most two decimals and no exponent, as content streams want.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let whole = abs(hundredths) / 100, fraction = abs(hundredths) % 100
        switch fraction {
        case 0: return sign + String(whole)
        case let f where f % 10 == 0: return sign + "\(whole).\(f / 10)"
        case let f where f < 10: return sign + "\(whole).0\(f)"
        case let f: return sign + "\(whole).\(f)"
        }
    }
}

/// Numbered objects, their byte offsets, and the cross-reference table a reader needs to find
/// them.
struct PDFObjectWriter {
    private var buffer = ByteBuffer()
    private var offsets: [Int: Int] = [:]

    init() {
        buffer.writeString("%PDF-1.4\n")
        // Four bytes above 127 tell transfer tools the file is binary.
        buffer.writeBytes([0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    mutating func add(_ number: Int, _ body: String) {
        offsets[number] = buffer.writerIndex
        buffer.writeString("\(number) 0 obj\n\(body)\nendobj\n")
    }

    /// A content stream, deflated when zlib is there (it always is; plain is the fallback).
    mutating func addStream(_ number: Int, _ content: String) {
        offsets[number] = buffer.writerIndex
        let plain = ByteBuffer(string: content)
        if let packed = Gzip.zlib(plain) {
            buffer.writeString("\(number) 0 obj\n<< /Length \(packed.readableBytes) /Filter /FlateDecode >>\nstream\n")
            buffer.writeImmutableBuffer(packed)
        } else {
            buffer.writeString("\(number) 0 obj\n<< /Length \(plain.readableBytes) >>\nstream\n")
            buffer.writeImmutableBuffer(plain)
        }
        buffer.writeString("\nendstream\nendobj\n")
    }

    /// Appends the cross-reference table and trailer. Objects must be numbered 1…n.
    consuming func finish(root: Int, info: Int) -> ByteBuffer {
        let count = (offsets.keys.max() ?? 0) + 1
        let start = buffer.writerIndex
        buffer.writeString("xref\n0 \(count)\n0000000000 65535 f \n")
        for number in 1..<count {
            let offset = String(offsets[number] ?? 0)
            // Each entry is exactly 20 bytes: ten digits, the generation, the kind, space, newline.
            buffer.writeString(String(repeating: "0", count: 10 - offset.count) + offset + " 00000 n \n")
        }
        buffer.writeString(
            "trailer\n<< /Size \(count) /Root \(root) 0 R /Info \(info) 0 R >>\nstartxref\n\(start)\n%%EOF\n")
        return buffer
    }
}
