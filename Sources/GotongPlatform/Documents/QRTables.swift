/// The counts the QR standard tabulates for error correction level M, and the Reed–Solomon
/// arithmetic over GF(256) that makes the error-correction codewords.
enum QRTables {
    /// Error-correction codewords in each block, by version (index 0 unused).
    private static let eccPerBlock = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    /// Blocks the codewords are split into, by version (index 0 unused).
    private static let blocks = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    /// Modules left for codewords once the function patterns and format and version
    /// information are drawn.
    static func rawDataModules(version v: Int) -> Int {
        var modules = (16 * v + 128) * v + 64
        if v >= 2 {
            let alignments = v / 7 + 2
            modules -= (25 * alignments - 10) * alignments - 55
            if v >= 7 { modules -= 36 }
        }
        return modules
    }

    /// Bits of data (before error correction) the version holds.
    static func dataCapacity(version: Int) -> Int {
        (rawDataModules(version: version) / 8 - eccPerBlock[version] * blocks[version]) * 8
    }

    /// Splits the data into the version's blocks, adds each block's error correction, and
    /// interleaves them: first byte of every block, then the second, and so on.
    static func interleavedWithErrorCorrection(_ data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = blocks[version], ecc = eccPerBlock[version]
        let raw = rawDataModules(version: version) / 8
        let shortBlocks = blockCount - raw % blockCount
        let shortLength = raw / blockCount - ecc
        let generator = generatorPolynomial(degree: ecc)
        var dataBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blockCount {
            let length = shortLength + (index < shortBlocks ? 0 : 1)
            dataBlocks.append(Array(data[start..<start + length]))
            start += length
        }
        var result: [UInt8] = []
        for i in 0...shortLength {
            for block in dataBlocks where i < block.count { result.append(block[i]) }
        }
        let eccBlocks = dataBlocks.map { remainder(of: $0, by: generator) }
        for i in 0..<ecc {
            for block in eccBlocks { result.append(block[i]) }
        }
        return result
    }

    /// The product of (x − αⁱ) for i below `degree`, its leading 1 left out.
    static func generatorPolynomial(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                coefficients[j] = multiply(coefficients[j], root)
                if j + 1 < degree { coefficients[j] ^= coefficients[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return coefficients
    }

    /// The error-correction codewords: the data's remainder after division by the generator.
    static func remainder(of data: [UInt8], by generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= multiply(generator[i], factor) }
        }
        return result
    }

    /// Multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1.
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var product = 0
        for i in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(product)
    }
}
