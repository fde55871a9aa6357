/// A QR code (ISO/IEC 18004) of a short text, for printed documents that point back to the
/// site (a certificate's verification address). No QR library is on the machine, so this is
/// the small part of the standard the product needs: byte mode, error correction level M
/// (15 % of the symbol may be lost, enough for a printed, folded page), versions 1–40, the
/// mask with the lowest penalty. Its tests decode what it draws with zbar, not with itself.
public struct QRCode: Sendable, Equatable {
    /// Modules per side: 21 for version 1, four more per version.
    public let size: Int
    /// Row-major: `isDark(x:y:)` reads it.
    private let modules: [Bool]

    /// The dark modules' colour at column `x`, row `y` (0 at the top left).
    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The smallest symbol that holds the text's UTF-8 bytes; nil when even version 40 cannot
    /// (2,331 bytes at level M).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let version = (1...40).first(where: { QRTables.dataCapacity(version: $0) >= Self.bitsNeeded(bytes, $0) })
        else { return nil }
        let data = Self.dataCodewords(bytes, version: version)
        let codewords = QRTables.interleavedWithErrorCorrection(data, version: version)
        var canvas = QRCanvas(version: version)
        canvas.drawFunctionPatterns()
        canvas.place(codewords)
        // Each mask is tried and scored; a reader accepts any, but the lowest penalty scans best.
        var best: (penalty: Int, canvas: QRCanvas)?
        for mask in 0..<8 {
            var masked = canvas
            masked.apply(mask: mask)
            masked.drawFormatBits(mask: mask)
            let penalty = masked.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, masked) }
        }
        size = canvas.size
        modules = best!.canvas.dark
    }

    /// Mode indicator, character count and the bytes themselves.
    private static func bitsNeeded(_ bytes: [UInt8], _ version: Int) -> Int {
        4 + countBits(version) + bytes.count * 8
    }

    private static func countBits(_ version: Int) -> Int { version < 10 ? 8 : 16 }

    /// The bit stream in byte mode, closed with the terminator and filled with the standard's
    /// alternating pad bytes up to the version's capacity.
    private static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits(version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = QRTables.dataCapacity(version: version)
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }
}

/// Bits written most significant first, as the symbol reads them.
struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<min(start + 8, bits.count)].enumerated().reduce(UInt8(0)) { byte, bit in
                bit.element ? byte | (0x80 >> UInt8(bit.offset)) : byte
            }
        }
    }
}
