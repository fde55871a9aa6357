import Foundation
import NIOCore

/// A small PDF 1.4 writer for the documents the product prints: certificates and ledgers.
/// No PDF library is on the machine, and these documents need little — text in the two
/// standard Helvetica faces (every reader has them, so nothing is embedded and a page stays a
/// few kilobytes), filled and stroked rectangles, lines and a QR code. Its tests read what it
/// writes with poppler and qpdf, not with itself.
public struct PDFDocument: Sendable {
    /// A4 in points, landscape (for certificates) and portrait (for lists).
    public static let a4Landscape = (width: 841.89, height: 595.28)
    public static let a4Portrait = (width: 595.28, height: 841.89)

    public let pageWidth: Double
    public let pageHeight: Double
    private var finished: [String] = []
    private var current = ""

    public init(pageWidth: Double, pageHeight: Double) {
        self.pageWidth = pageWidth
        self.pageHeight = pageHeight
    }

    /// The pages so far, counting the one being drawn.
    public var pageCount: Int { finished.count + 1 }

    /// Ends the page being drawn; what follows goes on a new one.
    public mutating func newPage() {
        finished.append(current)
        current = ""
    }

    // MARK: Drawing (origin at the bottom left, in points)

    public mutating func fill(x: Double, y: Double, width: Double, height: Double, colour: PDFColour) {
        current += "\(colour.fill) \(n(x)) \(n(y)) \(n(width)) \(n(height)) re f\n"
    }

    public mutating func stroke(
        x: Double, y: Double, width: Double, height: Double, colour: PDFColour, lineWidth: Double = 1
    ) {
        current += "\(colour.stroke) \(n(lineWidth)) w \(n(x)) \(n(y)) \(n(width)) \(n(height)) re S\n"
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, colour: PDFColour, width: Double = 1) {
        current += "\(colour.stroke) \(n(width)) w \(n(x1)) \(n(y1)) m \(n(x2)) \(n(y2)) l S\n"
    }

    /// One line of text whose baseline starts (`.left`), is centred on (`.centre`) or ends
    /// (`.right`) at `x`. Characters outside Windows-1252 print as "?".
    public mutating func text(
        _ text: String, x: Double, y: Double, size: Double, font: PDFFont = .regular,
        colour: PDFColour = .black, alignment: PDFAlignment = .left
    ) {
        let bytes = PDFText.encode(text)
        let width = font.width(of: bytes, size: size)
        let start =
            switch alignment {
            case .left: x
            case .centre: x - width / 2
            case .right: x - width
            }
        current +=
            "BT \(colour.fill) /\(font.resource) \(n(size)) Tf \(n(start)) \(n(y)) Td \(PDFText.literal(bytes)) Tj ET\n"
    }

    /// The symbol's dark modules as squares, the whole symbol `side` points wide with its
    /// bottom-left corner at (`x`, `y`); the caller leaves the light margin around it. Runs of
    /// dark modules in a row are drawn as one rectangle, so a symbol costs a few hundred.
    public mutating func draw(_ code: QRCode, x: Double, y: Double, side: Double, colour: PDFColour = .black) {
        let module = side / Double(code.size)
        current += "\(colour.fill)\n"
        for row in 0..<code.size {
            var column = 0
            while column < code.size {
                guard code.isDark(x: column, y: row) else {
                    column += 1
                    continue
                }
                let start = column
                while column < code.size && code.isDark(x: column, y: row) { column += 1 }
                let left = x + Double(start) * module, bottom = y + side - Double(row + 1) * module
                current += "\(n(left)) \(n(bottom)) \(n(Double(column - start) * module)) \(n(module)) re\n"
            }
        }
        current += "f\n"
    }

    // MARK: Measuring

    public func width(of text: String, size: Double, font: PDFFont = .regular) -> Double {
        font.width(of: PDFText.encode(text), size: size)
    }

    /// The text broken at spaces into lines no wider than `width`; a word longer than a line
    /// stands on its own.
    public func wrap(_ text: String, width: Double, size: Double, font: PDFFont = .regular) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if !line.isEmpty && self.width(of: candidate, size: size, font: font) > width {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: Writing

    /// The file's bytes. `title` goes in the document information a reader shows.
    public func rendered(title: String, author: String = "", created: Date) -> ByteBuffer {
        var writer = PDFObjectWriter()
        let pages = finished + [current]
        let catalog = 1, pageTree = 2, info = 5
        let firstPage = 6
        writer.add(catalog, "<< /Type /Catalog /Pages \(pageTree) 0 R >>")
        let kids = (0..<pages.count).map { "\(firstPage + $0 * 2) 0 R" }.joined(separator: " ")
        writer.add(pageTree, "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        for (number, font) in [(3, PDFFont.regular), (4, .bold)] {
            writer.add(number, font.dictionary)
        }
        writer.add(
            info,
            "<< /Title \(PDFText.unicode(title)) /Author \(PDFText.unicode(author)) /Producer (Gotong) "
                + "/CreationDate (\(PDFText.date(created))) >>")
        let resources = "<< /Font << /F1 3 0 R /F2 4 0 R >> >>"
        for (index, content) in pages.enumerated() {
            let page = firstPage + index * 2
            writer.add(
                page,
                "<< /Type /Page /Parent \(pageTree) 0 R /MediaBox [0 0 \(n(pageWidth)) \(n(pageHeight))] "
                    + "/Resources \(resources) /Contents \(page + 1) 0 R >>")
            writer.addStream(page + 1, content)
        }
        return writer.finish(root: catalog, info: info)
    }

    private func n(_ value: Double) -> String { PDFText.number(value) }
}

/// How a line of text sits on its `x`.
public enum PDFAlignment: Sendable { case left, centre, right }

/// An RGB colour, each part from 0 to 1.
public struct PDFColour: Sendable, Equatable {
    public let red: Double, green: Double, blue: Double

    public init(red: Double, green: Double, blue: Double) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    /// From `#RRGGBB` (a tenant's colour); black when it is not one.
    public init(hex: String) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = Int(digits, radix: 16) else {
            self.init(red: 0, green: 0, blue: 0)
            return
        }
        self.init(
            red: Double(value >> 16 & 0xFF) / 255, green: Double(value >> 8 & 0xFF) / 255,
            blue: Double(value & 0xFF) / 255)
    }

    public static let black = PDFColour(red: 0, green: 0, blue: 0)
    public static let white = PDFColour(red: 1, green: 1, blue: 1)
    public static let grey = PDFColour(red: 0.4, green: 0.4, blue: 0.4)

    var fill: String { "\(PDFText.number(red)) \(PDFText.number(green)) \(PDFText.number(blue)) rg" }
    var stroke: String { "\(PDFText.number(red)) \(PDFText.number(green)) \(PDFText.number(blue)) RG" }
}
