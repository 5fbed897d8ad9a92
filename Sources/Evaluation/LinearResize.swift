/// `cv2.resize(x, (width, height))` (INTER_LINEAR) of a single-channel float map, as the
/// pip OpenCV evaluate_depth.py runs it: for float32 that is Intel IPP's linear resize, which
/// is reproduced bit for bit here (verified against `cv2` 5.0 with IPP on, see
/// EvaluationTests/LinearResizeTests):
/// - source coordinate `x = (dx + 0.5) * (srcWidth / dstWidth) - 0.5` in double, `sx = floor(x)`,
///   weight `w = T(x - sx)`; `sx < 0` -> (0, 0); `sx >= srcWidth - 1` -> (srcWidth - 1, 0);
/// - horizontal pass then vertical pass, each `a + (b - a) * w` with one rounding (FMA).
/// For float64 the same formula runs in double (within ~1e-13 relative of cv2's float64 path).
public enum LinearResize {
    /// Resizes `source` (`height x width`, row-major) to `outputHeight x outputWidth`.
    public static func resize<T: NumpyFloat>(_ source: [T], width: Int, height: Int,
                                             toWidth outputWidth: Int, toHeight outputHeight: Int) -> [T] {
        precondition(source.count == width * height && width > 0 && height > 0 && outputWidth > 0 && outputHeight > 0,
                     "LinearResize: \(source.count) values for \(height)x\(width) -> \(outputHeight)x\(outputWidth)")
        var output = [T](repeating: 0, count: outputWidth * outputHeight)
        source.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                resize(src.baseAddress!, width: width, height: height, into: dst.baseAddress!,
                       width: outputWidth, height: outputHeight)
            }
        }
        return output
    }

    /// Pointer form; `output` holds `outputHeight * outputWidth` values.
    public static func resize<T: NumpyFloat>(_ source: UnsafePointer<T>, width: Int, height: Int,
                                             into output: UnsafeMutablePointer<T>,
                                             width outputWidth: Int, height outputHeight: Int) {
        let (xIndex, xWeight) = taps(source: width, destination: outputWidth, as: T.self)
        let (yIndex, yWeight) = taps(source: height, destination: outputHeight, as: T.self)
        // Horizontal pass over every source row a destination row uses (all of them when
        // upsampling; rows come in increasing order).
        let rows = UnsafeMutablePointer<T>.allocate(capacity: height * outputWidth)
        defer { rows.deallocate() }
        var needed = [Bool](repeating: false, count: height)
        for dy in 0..<outputHeight {
            needed[yIndex[dy]] = true
            needed[min(yIndex[dy] + 1, height - 1)] = true
        }
        xIndex.withUnsafeBufferPointer { xi in
            xWeight.withUnsafeBufferPointer { xw in
                for sy in 0..<height where needed[sy] {
                    let row = source + sy * width, out = rows + sy * outputWidth
                    for dx in 0..<outputWidth {
                        let sx = xi[dx]
                        let a = row[sx], b = row[min(sx + 1, width - 1)]
                        out[dx] = a.addingProduct(b - a, xw[dx])
                    }
                }
            }
        }
        for dy in 0..<outputHeight {
            let top = rows + yIndex[dy] * outputWidth
            let bottom = rows + min(yIndex[dy] + 1, height - 1) * outputWidth
            let weight = yWeight[dy], out = output + dy * outputWidth
            for dx in 0..<outputWidth {
                let a = top[dx]
                out[dx] = a.addingProduct(bottom[dx] - a, weight)
            }
        }
    }

    /// Source index and weight of the second tap for each destination coordinate.
    static func taps<T: NumpyFloat>(source: Int, destination: Int, as: T.Type) -> ([Int], [T]) {
        let scale = Double(source) / Double(destination)
        var indices = [Int](repeating: 0, count: destination)
        var weights = [T](repeating: 0, count: destination)
        for d in 0..<destination {
            let x = (Double(d) + 0.5) * scale - 0.5
            let floorX = x.rounded(.down)
            var s = Int(floorX)
            var w = T(x - floorX)
            if s < 0 { s = 0; w = 0 }
            if s >= source - 1 { s = source - 1; w = 0 }
            indices[d] = s
            weights[d] = w
        }
        return (indices, weights)
    }
}
