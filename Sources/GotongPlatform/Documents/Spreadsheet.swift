import Foundation
import ZIPFoundation

/// A one-sheet Excel workbook (Office Open XML, `.xlsx`) of rows of text and numbers: the
/// least a spreadsheet program needs — the content types, the package and workbook relations,
/// the workbook and one worksheet, with text as inline strings (no shared-string table) and
/// a bold header row. Numbers are stored as numbers, so a coordinator can sum and chart them.
public struct Spreadsheet: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case empty
    }

    public var sheetName: String
    public var header: [String]
    public var rows: [[Cell]]

    public init(sheetName: String, header: [String], rows: [[Cell]]) {
        self.sheetName = sheetName
        self.header = header
        self.rows = rows
    }

    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The workbook's bytes.
    public func xlsx() throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    var parts: [(String, String)] {
        let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let package = "http://schemas.openxmlformats.org/package/2006/relationships"
        return [
            (
                "[Content_Types].xml",
                declaration
                    + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Default Extension=\"rels\" "
                    + "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" "
                    + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                    + "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
                    + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                    + "<Override PartName=\"/xl/styles.xml\" "
                    + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
            ),
            (
                "_rels/.rels",
                declaration + "<Relationships xmlns=\"\(package)\"><Relationship Id=\"rId1\" "
                    + "Type=\"\(relationships)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
            (
                "xl/workbook.xml",
                declaration + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\"><sheets><sheet name=\""
                    + Self.escape(String(Self.safeSheetName(sheetName)))
                    + "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                declaration + "<Relationships xmlns=\"\(package)\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                    + "<Relationship Id=\"rId2\" Type=\"\(relationships)/styles\" Target=\"styles.xml\"/>"
                    + "</Relationships>"
            ),
            (
                "xl/styles.xml",
                declaration
                    + "<styleSheet xmlns=\"\(main)\"><fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/>"
                    + "</font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"1\"><fill>"
                    + "<patternFill patternType=\"none\"/></fill></fills><borders count=\"1\"><border/></borders>"
                    + "<cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"2\"><xf fontId=\"0\"/>"
                    + "<xf fontId=\"1\" applyFont=\"1\"/></cellXfs></styleSheet>"
            ),
            ("xl/worksheets/sheet1.xml", declaration + sheet(main)),
        ]
    }

    private func sheet(_ main: String) -> String {
        var xml = "<worksheet xmlns=\"\(main)\"><sheetData>"
        let all: [[Cell]] = [header.map { .text($0) }] + rows
        for (r, row) in all.enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = Self.column(c) + "\(r + 1)"
                let style = r == 0 ? " s=\"1\"" : ""
                switch cell {
                case .text(let text):
                    xml +=
                        "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">"
                        + Self.escape(text) + "</t></is></c>"
                case .number(let number) where number.isFinite:
                    xml += "<c r=\"\(ref)\"\(style)><v>\(Self.number(number))</v></c>"
                default: continue
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// `A`, `B`, … `Z`, `AA`: a column's letters.
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// XML text: the five special characters escaped, and characters XML 1.0 cannot hold dropped.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                let v = scalar.value
                if v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                    || v >= 0x10000
                {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// A sheet name Excel accepts: none of `[]:*?/\\`, no `'` at either end, at most 31 UTF-16
    /// units (cut between characters).
    static func safeSheetName(_ name: String) -> Substring {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "-" : $0 }).trimmingCharacters(in: ["'", " "])
        var result = ""
        for character in cleaned where result.utf16.count + String(character).utf16.count <= 31 {
            result.append(character)
        }
        return Substring(result.isEmpty ? "Sheet1" : result)
    }
}
