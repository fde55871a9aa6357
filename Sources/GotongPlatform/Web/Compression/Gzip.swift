import CGotongZlib
import NIOCore

/// gzip of a whole response body in one call, with the system's zlib.
///
/// NIO's compressor (what Vapor's `responseCompression` uses) sets up zlib at its defaults for
/// every response: level 6 and a 256 KB working set, which on a 3 KB page costs more than
/// compressing it. Measured on this machine with a 3 KB storefront and a 7.5 KB catalogue page:
/// 50–65 µs at the defaults, 16–31 µs at level 4 with `memLevel` 6, for output within 1 % of
/// the default's size (docs/performance.md).
public enum Gzip {
    /// zlib's level: 4 is the first of its lazy-matching levels; higher ones gain under 1 % on
    /// our pages.
    static let level: Int32 = 4
    /// zlib's memory for its match finder: 6 (32 KB of hash chains, not 128 KB) loses nothing on
    /// pages this small.
    static let memLevel: Int32 = 6
    /// A 32 KB window (15) plus 16: write a gzip header and trailer, not a zlib one.
    static let gzipWindowBits: Int32 = 15 + 16

    /// The gzip encoding of `input`, or nil when zlib fails (the caller sends it uncompressed).
    public static func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator = .init()) -> ByteBuffer? {
        deflate(input, windowBits: gzipWindowBits, allocator: allocator)
    }

    /// The zlib (RFC 1950) encoding of `input`: what a PDF's `FlateDecode` stream holds.
    public static func zlib(_ input: ByteBuffer, allocator: ByteBufferAllocator = .init()) -> ByteBuffer? {
        deflate(input, windowBits: 15, allocator: allocator)
    }

    private static func deflate(
        _ input: ByteBuffer, windowBits: Int32, allocator: ByteBufferAllocator
    ) -> ByteBuffer? {
        var stream = z_stream()
        guard
            GotongZlib_deflateInit2(&stream, level, windowBits, memLevel) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.readableBytes)))
        var output = allocator.buffer(capacity: bound)
        let status: Int32 = input.withUnsafeReadableBytes { source in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { target in
                stream.next_in = UnsafeMutablePointer(
                    mutating: source.bindMemory(to: UInt8.self).baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.bindMemory(to: UInt8.self).baseAddress
                stream.avail_out = UInt32(target.count)
                let status = CGotongZlib.deflate(&stream, Z_FINISH)
                return (target.count - Int(stream.avail_out), status)
            }
        }
        return status == Z_STREAM_END ? output : nil
    }
}

extension ByteBuffer {
    /// `writeWithUnsafeMutableBytes` that also hands back a value of the closure's.
    fileprivate mutating func writeWithUnsafeMutableBytes<T>(
        minimumWritableBytes: Int, _ body: (UnsafeMutableRawBufferPointer) -> (Int, T)
    ) -> T {
        var result: T?
        writeWithUnsafeMutableBytes(minimumWritableBytes: minimumWritableBytes) { pointer in
            let (written, value) = body(pointer)
            result = value
            return written
        }
        return result!
    }
}
