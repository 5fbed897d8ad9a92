/// A 256-entry colormap applied the way matplotlib's `ScalarMappable.to_rgba(x)[:, :, :3] * 255` followed
/// by `.astype(np.uint8)` does (the demo's `_disp.jpeg` recipe).
public struct Colormap: Sendable {
    /// 256 x (r, g, b) floats in [0, 1], entry i at `3i ..< 3i + 3` (matplotlib's lookup table).
    public let values: [Double]
    /// 256 x (r, g, b) bytes: `trunc(255 * value)` in double, like `(cmap[:, :3] * 255).astype(np.uint8)`.
    public let bytes: [UInt8]

    /// A colormap from 768 values (256 entries of r, g, b in [0, 1]).
    public init(values: [Double]) {
        precondition(values.count == 768, "Colormap: \(values.count) values, expected 256 x 3")
        self.values = values
        bytes = values.map { UInt8(min(max($0 * 255, 0), 255)) }
    }

    /// matplotlib's `magma` (the table in `MagmaTable.swift`).
    public static let magma = Colormap(values: magmaValues)

    /// The RGB image of `map` normalised to `[vmin, vmax]` (matplotlib `Normalize`, float32 arithmetic):
    /// `x = (d - vmin) / (vmax - vmin)`, `k = x * 256`; `k == 256` and values above `vmax` take the last
    /// colour, values below `vmin` the first, otherwise `int(k)` (truncation); NaN is black. When
    /// `vmin == vmax` every finite value takes the first colour (matplotlib maps them all to 0).
    public func colorize(_ map: FloatMap, vmin: Float, vmax: Float) -> Image {
        var output = [UInt8](repeating: 0, count: map.values.count * 3)
        let degenerate = vmin == vmax
        let range = vmax - vmin
        map.values.withUnsafeBufferPointer { source in
            bytes.withUnsafeBufferPointer { table in
                output.withUnsafeMutableBufferPointer { destination in
                    for index in 0..<source.count {
                        let value = source[index]
                        if value.isNaN { continue }  // matplotlib's "bad" colour: (0, 0, 0)
                        let entry: Int
                        if degenerate {
                            entry = 0
                        } else {
                            let k = ((value - vmin) / range) * 256
                            if k.isNaN {
                                continue
                            } else if k >= 256 {
                                entry = 255
                            } else if k < 0 {
                                entry = 0
                            } else {
                                entry = Int(k)
                            }
                        }
                        destination[3 * index] = table[3 * entry]
                        destination[3 * index + 1] = table[3 * entry + 1]
                        destination[3 * index + 2] = table[3 * entry + 2]
                    }
                }
            }
        }
        return Image(width: map.width, height: map.height, channels: 3, pixels: output)
    }

    /// test_simple.py's disparity picture: `vmin = disp.min()`, `vmax = np.percentile(disp, 95)`, then
    /// `colorize`. A map holding NaN comes out black (NumPy's min and percentile propagate NaN).
    public func colorizeDisparity(_ map: FloatMap) -> Image {
        let range = Self.demoRange(map.values)
        return colorize(map, vmin: range.vmin, vmax: range.vmax)
    }

    /// The demo's normalisation range: the minimum and the 95th percentile (NaN when a value is NaN).
    public static func demoRange(_ values: [Float]) -> (vmin: Float, vmax: Float) {
        guard !values.isEmpty else { return (.nan, .nan) }
        var minimum = Float.infinity
        for value in values {
            if value.isNaN { return (.nan, .nan) }
            minimum = min(minimum, value)
        }
        return (minimum, Percentile.linear(values, percent: 95))
    }
}

/// NumPy's default (`method="linear"`) percentile on float32 data, bit for bit.
public enum Percentile {
    /// `np.percentile(values, percent)` for float32 `values`: with n values sorted into s,
    /// `q = percent / 100`, virtual index `vi = n*q + (1 - q) - 1` (double, in that order), `lo = floor(vi)`,
    /// `t = vi - lo`; `a = s[lo]`, `b = s[lo + 1]`, `d = b - a` in float; `t < 0.5 ? a + d*Float(t) :
    /// b - d*Float(1 - t)`; `vi >= n - 1` gives the maximum. NaN if any value is NaN or `values` is empty.
    /// O(n) (selection, not a full sort).
    ///
    /// - Precondition: `0 <= percent <= 100`.
    public static func linear(_ values: [Float], percent: Double) -> Float {
        precondition((0...100).contains(percent), "Percentile.linear: percent \(percent) is outside [0, 100]")
        let n = values.count
        guard n > 0, !values.contains(where: { $0.isNaN }) else { return .nan }
        let q = percent / 100
        let virtualIndex = Double(n) * q + (1 + q * -1) - 1
        var scratch = values
        return scratch.withUnsafeMutableBufferPointer { buffer -> Float in
            if virtualIndex >= Double(n - 1) {
                return buffer.max() ?? .nan
            }
            let lower = Int(virtualIndex.rounded(.down))
            let t = virtualIndex - Double(lower)
            let a = select(buffer, lower)
            // After selection everything right of `lower` is >= a; the next order statistic is their minimum.
            var b = Float.infinity
            for index in (lower + 1)..<n { b = min(b, buffer[index]) }
            let d = b - a
            return t < 0.5 ? a + d * Float(t) : b - d * Float(1 - t)
        }
    }

    /// Rearranges `buffer` so that `buffer[k]` is the k-th smallest value, smaller-or-equal values before
    /// it and greater-or-equal after (Hoare quickselect, median-of-three pivots; no NaN).
    static func select(_ buffer: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        var low = 0, high = buffer.count - 1
        while high > low {
            let middle = low + (high - low) / 2
            // Median of three into buffer[middle].
            if buffer[middle] < buffer[low] { buffer.swapAt(middle, low) }
            if buffer[high] < buffer[low] { buffer.swapAt(high, low) }
            if buffer[high] < buffer[middle] { buffer.swapAt(high, middle) }
            let pivot = buffer[middle]
            var i = low, j = high
            while i <= j {
                while buffer[i] < pivot { i += 1 }
                while buffer[j] > pivot { j -= 1 }
                if i <= j {
                    buffer.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now [low, j] <= pivot <= [i, high], and (j, i) holds values equal to the pivot.
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return buffer[k]
            }
        }
        return buffer[k]
    }
}
