/// `batch_post_process_disparity` (Monodepth v1's flip averaging, evaluate_depth.py): blends the
/// disparity of the image and the un-flipped disparity of the flipped image with ramps at the
/// left and right edges, in float64 as NumPy computes it (the masks come from a float64
/// `linspace`).
public enum PostProcess {
    /// `left`: disparities of the images (N x H x W); `right`: disparities predicted for the
    /// horizontally flipped images, already flipped back (`pred[N:, :, ::-1]`). Returns float64
    /// maps, as the original does (cast to float32 where a float32 file is wanted).
    public static func blend<T: NumpyFloat>(left: MapStack<T>, right: MapStack<T>) -> MapStack<Double> {
        precondition(left.count == right.count && left.height == right.height && left.width == right.width,
                     "PostProcess.blend: left \(left.count)x\(left.height)x\(left.width) vs right \(right.count)x\(right.height)x\(right.width)")
        let width = left.width, plane = left.planeSize
        let leftMask = edgeMask(width: width)
        var output = [Double](repeating: 0, count: left.values.count)
        left.values.withUnsafeBufferPointer { l in
            right.values.withUnsafeBufferPointer { r in
                output.withUnsafeMutableBufferPointer { out in
                    for image in 0..<left.count {
                        for y in 0..<left.height {
                            let base = image * plane + y * width
                            for x in 0..<width {
                                let lm = leftMask[x], rm = leftMask[width - 1 - x]
                                let lv = l[base + x], rv = r[base + x]
                                // m_disp = 0.5 * (l + r) in the input type, then promoted.
                                let mean = Double(T(0.5) * (lv + rv))
                                out[base + x] = (rm * Double(lv) + lm * Double(rv)) + ((1.0 - lm) - rm) * mean
                            }
                        }
                    }
                }
            }
        }
        return MapStack(count: left.count, height: left.height, width: width, values: output)
    }

    /// `1 - clip(20 * (linspace(0, 1, width) - 0.05), 0, 1)`.
    static func edgeMask(width: Int) -> [Double] {
        (0..<width).map { x in
            let position = linspace(x, count: width)
            return 1.0 - min(max(20 * (position - 0.05), 0), 1)
        }
    }

    /// `np.linspace(0, 1, count)[index]`: `index * (1 / (count - 1))`, the last value exactly 1.
    static func linspace(_ index: Int, count: Int) -> Double {
        if count == 1 { return 0 }
        if index == count - 1 { return 1 }
        return Double(index) * (1.0 / Double(count - 1))
    }
}
