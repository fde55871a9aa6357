import Foundation
import Testing
@testable import GotongPlatform

/// A photo's metadata (where, with what phone, by whom) leaves; the picture and its colour
/// profile stay, byte for byte; a file whose structure cannot be walked is not passed as clean.
@Suite("Image metadata")
struct ImageMetadataTests {
    static func segment(_ marker: UInt8, _ body: [UInt8]) -> [UInt8] {
        let length = body.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    static let jfif = segment(0xE0, Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0])
    static let exif = segment(0xE1, Array("Exif\0\0MM\0*GPS -6.9147,107.6098 Artist Budi Santoso".utf8))
    static let xmp = segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\0<dc:creator>Budi</dc:creator>".utf8))
    static let icc = segment(0xE2, Array("ICC_PROFILE\0".utf8) + [1, 1] + [UInt8](repeating: 9, count: 40))
    static let comment = segment(0xFE, Array("difoto oleh Budi Santoso".utf8))
    static let quantisation = segment(0xDB, [0] + [UInt8](repeating: 16, count: 64))
    static let scanHeader = segment(0xDA, [1, 1, 0, 0, 63, 0])
    static let scanData: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]

    @Test
    func aJPEGLosesItsExifXMPAndCommentsAndKeepsItsPictureAndProfile() throws {
        let photo =
            [0xFF, 0xD8] + Self.jfif + Self.exif + Self.xmp + Self.icc + Self.comment + [0xFF]
            + Self.quantisation + Self.scanHeader + Self.scanData

        let clean = try #require(ImageMetadata.stripped(Data(photo), as: .jpeg))

        #expect(
            Array(clean) == [0xFF, 0xD8] + Self.jfif + Self.icc + Self.quantisation + Self.scanHeader + Self.scanData)
        #expect(clean.range(of: Data("Budi".utf8)) == nil && clean.range(of: Data("GPS".utf8)) == nil)
    }

    @Test(arguments: [
        [0xFF, 0xD8] + Array(Self.exif.prefix(20)),  // a segment longer than the file
        [0xFF, 0xD8] + Self.jfif + [0x00, 0x01],  // no marker where one must be
        [0xFF, 0xD8] + Self.jfif + Self.quantisation,  // never reaches the picture
        Array("<html>Budi</html>".utf8),
    ])
    func aJPEGThatCannotBeWalkedIsNotPassedAsClean(bytes: [UInt8]) {
        #expect(ImageMetadata.stripped(Data(bytes), as: .jpeg) == nil)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let n = data.count
        // The CRC is carried as it is; the walk neither checks nor recomputes it.
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(type.utf8) + data
            + [1, 2, 3, 4]
    }

    @Test
    func aPNGLosesItsTextAndExifChunks() throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let header = Self.chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
        let profile = Self.chunk("iCCP", Array("sRGB\0\0".utf8) + [7, 7])
        let picture = Self.chunk("IDAT", [0x78, 0x9C, 1, 2, 3])
        let end = Self.chunk("IEND", [])
        let image =
            signature + header + Self.chunk("tEXt", Array("Author\0Budi Santoso".utf8)) + profile
            + Self.chunk("eXIf", Array("MM\0*GPS".utf8)) + Self.chunk("iTXt", Array("Comment\0\0\0\0\0Budi".utf8))
            + picture + Self.chunk("tIME", [7, 234, 12, 6, 10, 0, 0]) + end

        let clean = try #require(ImageMetadata.stripped(Data(image), as: .png))

        #expect(Array(clean) == signature + header + profile + picture + end)
        #expect(ImageMetadata.stripped(Data(signature + header), as: .png) == nil)
        #expect(ImageMetadata.stripped(Data(image), as: .pdf) == nil)
    }
}
