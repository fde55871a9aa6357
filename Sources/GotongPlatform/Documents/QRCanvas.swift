/// A QR symbol being drawn: the function patterns first (finders, timing, alignment, format
/// and version areas), then the codewords in the standard's zigzag, then a mask.
struct QRCanvas {
    let version: Int
    let size: Int
    private(set) var dark: [Bool]
    /// Modules that belong to a pattern: codewords skip them and masks leave them alone.
    private var reserved: [Bool]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        dark = Array(repeating: false, count: size * size)
        reserved = dark
    }

    private mutating func set(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        reserved[y * size + x] = true
    }

    private func at(_ x: Int, _ y: Int) -> Bool { dark[y * size + x] }

    mutating func drawFunctionPatterns() {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinder(x, y) }
        let positions = alignmentPositions
        let last = positions.count - 1
        for (i, x) in positions.enumerated() {
            for (j, y) in positions.enumerated() where !(i == 0 && j == 0 || i == 0 && j == last || i == last && j == 0)
            {
                for dy in -2...2 {
                    for dx in -2...2 { set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormatBits(mask: 0)  // reserves the area; the chosen mask redraws it
        drawVersionBits()
    }

    /// A finder (7×7 rings) with its light separator, cut off at the symbol's edge.
    private mutating func drawFinder(_ cx: Int, _ cy: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = cx + dx, y = cy + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                set(x, y, ring != 2 && ring != 4)
            }
        }
    }

    /// The centres of the alignment patterns along each axis (none in version 1).
    private var alignmentPositions: [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<count - 1).map { size - 7 - $0 * step }.reversed()
    }

    /// Level M and the mask, protected by a BCH(15,5) code, drawn twice.
    mutating func drawFormatBits(mask: Int) {
        let data = mask  // level M's two bits are 00
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// From version 7 on, the version number protected by a BCH(18,6) code, drawn twice.
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for i in 0..<18 {
            let isDark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            set(a, b, isDark)
            set(b, a, isDark)
        }
    }

    /// Codewords go up and down two-module columns from the right, skipping the timing column.
    mutating func place(_ codewords: [UInt8]) {
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !reserved[y * size + x], index < codewords.count * 8 else { continue }
                    dark[y * size + x] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1 == 1
                    index += 1
                }
            }
            right -= 2
        }
    }

    mutating func apply(mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !reserved[y * size + x] && Self.masks(mask, x, y) {
                dark[y * size + x].toggle()
            }
        }
    }

    private static func masks(_ mask: Int, _ x: Int, _ y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// The standard's four penalty rules: long runs, 2×2 blocks, finder look-alikes and an
    /// uneven share of dark modules — what makes a symbol harder for a camera to read.
    func penalty() -> Int {
        var total = 0
        for line in 0..<size {
            let row = (0..<size).map { at($0, line) }
            let column = (0..<size).map { at(line, $0) }
            total += Self.runPenalty(row) + Self.runPenalty(column)
            total += Self.finderLikePenalty(row) + Self.finderLikePenalty(column)
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = at(x, y)
                if colour == at(x + 1, y), colour == at(x, y + 1), colour == at(x + 1, y + 1) { total += 3 }
            }
        }
        let darkCount = dark.filter { $0 }.count
        let percent = darkCount * 100 / dark.count
        total += abs(percent - 50) / 5 * 10
        return total
    }

    private static func runPenalty(_ line: [Bool]) -> Int {
        var total = 0, run = 1
        for i in 1...line.count {
            if i < line.count && line[i] == line[i - 1] {
                run += 1
                continue
            }
            if run >= 5 { total += 3 + run - 5 }
            run = 1
        }
        return total
    }

    private static let finderLike: [[Bool]] = [
        [true, false, true, true, true, false, true, false, false, false, false],
        [false, false, false, false, true, false, true, true, true, false, true],
    ]

    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        guard line.count >= 11 else { return 0 }
        var total = 0
        for start in 0...(line.count - 11) {
            let window = Array(line[start..<start + 11])
            for pattern in finderLike where window == pattern { total += 40 }
        }
        return total
    }
}
