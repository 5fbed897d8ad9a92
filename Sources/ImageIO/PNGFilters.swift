/// PNG row filters (ISO/IEC 15948 §9): reversing them when decoding, choosing and applying them
/// when encoding. `stride` is the filter's bytes per pixel (at least 1).
enum PNGFilters {
    /// Reverses the filters of `rowCount` rows laid out as [filter byte, `rowBytes` bytes] in
    /// place. Returns the first row whose filter type is not 0...4, or nil.
    static func unfilter(_ data: UnsafeMutablePointer<UInt8>, rowCount: Int, rowBytes: Int, stride: Int) -> Int? {
        let zeros = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes)
        zeros.initialize(repeating: 0, count: rowBytes)
        defer { zeros.deallocate() }
        var previous = UnsafePointer(zeros)
        for row in 0..<rowCount {
            let current = data + row * (rowBytes + 1) + 1
            switch current[-1] {
            case 0:
                break
            case 1:
                if rowBytes > stride { for i in stride..<rowBytes { current[i] &+= current[i - stride] } }
            case 2:
                for i in 0..<rowBytes { current[i] &+= previous[i] }
            case 3:
                for i in 0..<min(stride, rowBytes) { current[i] &+= previous[i] >> 1 }
                if rowBytes > stride {
                    for i in stride..<rowBytes {
                        current[i] &+= UInt8(truncatingIfNeeded: (UInt16(current[i - stride]) + UInt16(previous[i])) >> 1)
                    }
                }
            case 4:
                for i in 0..<min(stride, rowBytes) { current[i] &+= previous[i] }
                if rowBytes > stride {
                    for i in stride..<rowBytes {
                        current[i] &+= paeth(current[i - stride], previous[i], previous[i - stride])
                    }
                }
            default:
                return row
            }
            previous = UnsafePointer(current)
        }
        return nil
    }

    /// The Paeth predictor: whichever of left, above, upper-left is nearest to left + above - upper-left.
    @inline(__always)
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let ia = Int(a), ib = Int(b), ic = Int(c)
        let pa = abs(ib - ic)
        let pb = abs(ia - ic)
        let pc = abs(ia + ib - 2 * ic)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// Filters `rowCount` rows of `rowBytes` bytes from `source` into `destination` (rows of
    /// 1 + `rowBytes` bytes), choosing per row the filter with the smallest sum of absolute values
    /// of the filtered bytes read as signed (libpng's heuristic).
    static func filterAdaptively(_ source: UnsafePointer<UInt8>, rowCount: Int, rowBytes: Int, stride: Int,
                                 into destination: UnsafeMutablePointer<UInt8>) {
        let candidates = UnsafeMutablePointer<UInt8>.allocate(capacity: 5 * rowBytes)
        let zeros = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes)
        zeros.initialize(repeating: 0, count: rowBytes)
        defer {
            candidates.deallocate()
            zeros.deallocate()
        }
        let head = min(stride, rowBytes)
        for row in 0..<rowCount {
            let current = source + row * rowBytes
            let previous = row == 0 ? UnsafePointer(zeros) : current - rowBytes
            // Each filter in its own loop (the first `head` bytes have no left neighbour), so the
            // loops vectorise.
            let none = candidates, sub = candidates + rowBytes, up = candidates + 2 * rowBytes
            let average = candidates + 3 * rowBytes, paethOut = candidates + 4 * rowBytes
            for i in 0..<rowBytes {
                none[i] = current[i]
                up[i] = current[i] &- previous[i]
            }
            for i in 0..<head {
                sub[i] = current[i]
                average[i] = current[i] &- previous[i] >> 1
                paethOut[i] = current[i] &- previous[i]
            }
            for i in head..<rowBytes {
                sub[i] = current[i] &- current[i - stride]
                average[i] = current[i] &- UInt8(truncatingIfNeeded: (UInt16(current[i - stride]) + UInt16(previous[i])) >> 1)
                paethOut[i] = current[i] &- paeth(current[i - stride], previous[i], previous[i - stride])
            }
            var bestFilter = 0
            var bestCost = Int.max
            for filter in 0..<5 {
                let output = candidates + filter * rowBytes
                var cost = 0
                for i in 0..<rowBytes { cost &+= Int(Int8(bitPattern: output[i]).magnitude) }
                if cost < bestCost {
                    bestCost = cost
                    bestFilter = filter
                }
            }
            let target = destination + row * (rowBytes + 1)
            target[0] = UInt8(bestFilter)
            (target + 1).update(from: candidates + bestFilter * rowBytes, count: rowBytes)
        }
    }
}
