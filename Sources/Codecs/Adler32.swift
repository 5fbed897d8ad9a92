/// Adler-32 (RFC 1950, the zlib stream checksum).
public enum Adler32 {
    /// Largest n such that 255 n (n + 1) / 2 + (n + 1) (65521 - 1) fits in 32 bits (zlib's NMAX):
    /// the sums may run this many bytes before the modulo is needed.
    private static let deferredBytes = 5552

    /// Adler-32 of `bytes`, continuing from `adler` (1 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing adler: UInt32 = 1) -> UInt32 {
        var a = adler & 0xFFFF
        var b = adler >> 16
        guard let base = bytes.baseAddress else { return adler }
        var p = base.assumingMemoryBound(to: UInt8.self)
        var remaining = bytes.count
        while remaining > 0 {
            var n = min(remaining, deferredBytes)
            remaining -= n
            // Four bytes per step: b gains 4a + 4x0 + 3x1 + 2x2 + x3.
            while n >= 4 {
                let x0 = UInt32(p[0]), x1 = UInt32(p[1]), x2 = UInt32(p[2]), x3 = UInt32(p[3])
                b &+= 4 &* a &+ 4 &* x0 &+ 3 &* x1 &+ 2 &* x2 &+ x3
                a &+= x0 &+ x1 &+ x2 &+ x3
                p += 4
                n -= 4
            }
            while n > 0 {
                a &+= UInt32(p[0])
                b &+= a
                p += 1
                n -= 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    /// Adler-32 of `bytes`, continuing from `adler` (1 to start).
    public static func checksum(_ bytes: [UInt8], continuing adler: UInt32 = 1) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: adler) }
    }
}
