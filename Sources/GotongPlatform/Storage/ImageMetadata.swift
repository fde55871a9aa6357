import Foundation

/// What a photo says about who took it, removed: a phone writes into the file where it was
/// taken (GPS), the phone's make and serial, sometimes its owner's name (EXIF and XMP in a
/// JPEG's APP1 segments, Photoshop's in APP13, comments; a PNG's text and `eXIf` chunks). The
/// picture itself, its colour profile (a JPEG's APP2, a PNG's `iCCP`) and its JFIF header stay.
/// Nil when the bytes are not a well-formed JPEG or PNG as far as the walk goes: a file whose
/// metadata cannot be found cannot be said to be without it.
public enum ImageMetadata {
    public static func stripped(_ data: Data, as kind: FileKind) -> Data? {
        switch kind {
        case .jpeg: jpeg(Array(data)).map { Data($0) }
        case .png: png(Array(data)).map { Data($0) }
        default: nil
        }
    }

    /// Markers kept before the scan: JFIF (APP0), the colour profile (APP2) and every marker
    /// that is not application data or a comment.
    private static func keepsJPEGMarker(_ marker: UInt8) -> Bool {
        if marker == 0xFE { return false }
        if (0xE0...0xEF).contains(marker) { return marker == 0xE0 || marker == 0xE2 }
        return true
    }

    static func jpeg(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var out: [UInt8] = [0xFF, 0xD8]
        var i = 2
        while i + 4 <= bytes.count {
            guard bytes[i] == 0xFF else { return nil }
            let marker = bytes[i + 1]
            // Fill bytes before a marker.
            if marker == 0xFF {
                i += 1
                continue
            }
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 2, i + 2 + length <= bytes.count else { return nil }
            let segment = bytes[i..<(i + 2 + length)]
            if keepsJPEGMarker(marker) { out.append(contentsOf: segment) }
            i += 2 + length
            // Start of scan: the picture's data, to the end, as it is.
            if marker == 0xDA {
                out.append(contentsOf: bytes[i...])
                return out
            }
        }
        return nil
    }

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Chunks that say things about the picture rather than draw it.
    private static let pngDropped: Set<String> = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]

    static func png(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.starts(with: pngSignature) else { return nil }
        var out = pngSignature
        var i = pngSignature.count
        while i + 12 <= bytes.count {
            let length = bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) }
            guard length <= bytes.count, i + 12 + length <= bytes.count else { return nil }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let chunk = bytes[i..<(i + 12 + length)]
            if !pngDropped.contains(type) { out.append(contentsOf: chunk) }
            i += 12 + length
            if type == "IEND" { return out }
        }
        return nil
    }
}
