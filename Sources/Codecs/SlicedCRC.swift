/// The table-driven slice-by-16 loop shared by the reflected 32-bit CRCs (`CRC32`, `CRC32C`).
///
/// Sixteen 256-entry tables (16 KiB, L1-resident) fold 16 input bytes per step with independent
/// lookups combined as a balanced XOR tree, so only one lookup level and four XOR levels sit on
/// the loop-carried dependency (about twice the speed of slice-by-8 here).
enum SlicedCRC {
    /// `tables[k * 256 + b]`: the CRC contribution of byte `b` followed by `k` zero bytes, for the
    /// reflected `polynomial`.
    static func tables(polynomial: UInt32) -> [UInt32] {
        var table = [UInt32](repeating: 0, count: 16 * 256)
        for byte in 0..<256 {
            var c = UInt32(byte)
            for _ in 0..<8 { c = (c >> 1) ^ (polynomial & (0 &- (c & 1))) }
            table[byte] = c
        }
        for k in 1..<16 {
            for byte in 0..<256 {
                let previous = table[(k - 1) * 256 + byte]
                table[k * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }

    /// CRC of `bytes` continuing from `crc` (0 to start), with pre- and post-inversion.
    @inline(__always)
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32, tables: [UInt32]) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            /// Table `k` at byte `shift / 8` of `word`.
            @inline(__always) func lookup(_ k: Int, _ word: UInt64, _ shift: UInt64) -> UInt32 {
                t[k &* 256 &+ Int(truncatingIfNeeded: (word &>> shift) & 0xFF)]
            }
            var c = ~crc
            var p = base
            var n = bytes.count
            while n >= 16 {
                let first = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(c)
                let second = UInt64(littleEndian: (p + 8).loadUnaligned(as: UInt64.self))
                let high = ((lookup(7, second, 0) ^ lookup(6, second, 8)) ^ (lookup(5, second, 16) ^ lookup(4, second, 24)))
                    ^ ((lookup(3, second, 32) ^ lookup(2, second, 40)) ^ (lookup(1, second, 48) ^ lookup(0, second, 56)))
                let low = ((lookup(15, first, 0) ^ lookup(14, first, 8)) ^ (lookup(13, first, 16) ^ lookup(12, first, 24)))
                    ^ ((lookup(11, first, 32) ^ lookup(10, first, 40)) ^ (lookup(9, first, 48) ^ lookup(8, first, 56)))
                c = low ^ high
                p += 16
                n -= 16
            }
            while n > 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1
                n -= 1
            }
            return ~c
        }
    }
}
