import Foundation

/// The resampling filters of `Image.resized(width:height:filter:)`, as Pillow defines them
/// (`src/libImaging/Resample.c`).
public enum ResampleFilter: Sendable, CaseIterable {
    /// `Image.LANCZOS` (= the removed `Image.ANTIALIAS`): `sinc(x)·sinc(x/3)` on `[-3, 3)`.
    case lanczos
    /// `Image.BILINEAR`: the triangle `1 - |x|` on `(-1, 1)`, antialiased when shrinking.
    case bilinear

    /// Half-width of the filter at scale 1 (Pillow's `support`).
    var support: Double {
        switch self {
        case .lanczos: return 3
        case .bilinear: return 1
        }
    }

    /// The filter kernel, evaluated in double precision exactly as Pillow does.
    @inline(__always)
    func weight(_ x: Double) -> Double {
        switch self {
        case .lanczos:
            guard -3.0 <= x && x < 3.0 else { return 0 }
            return Self.sinc(x) * Self.sinc(x / 3)
        case .bilinear:
            let magnitude = x < 0 ? -x : x
            return magnitude < 1 ? 1 - magnitude : 0
        }
    }

    @inline(__always)
    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let scaled = x * Double.pi
        return sin(scaled) / scaled
    }
}

/// Pillow's per-axis resampling table (`precompute_coeffs` + `normalize_coeffs_8bpc`): for each output
/// index, the first input index, the number of taps and `taps` fixed-point weights (22 fraction bits).
struct ResampleCoefficients {
    /// Fraction bits of the fixed-point weights (Pillow's `PRECISION_BITS = 32 - 8 - 2`).
    static let precisionBits: Int32 = 22

    let inputSize: Int
    let outputSize: Int
    /// Stride of `weights` per output index (Pillow's `ksize`).
    let stride: Int
    /// First input index used by each output index (Pillow's `xmin`).
    var first: [Int]
    /// Number of input indices used by each output index (Pillow's `xmax`, a count).
    let count: [Int]
    /// `outputSize * stride` fixed-point weights; unused tail entries are 0.
    let weights: [Int32]
    /// The same weights laid out for the RGB horizontal pass: per output, `tapBlocks` SIMD16 vectors,
    /// each tap's weight repeated 4 times (one per RGBX byte), 0 past `count`. Built with the table,
    /// so a cached table carries it too.
    let rgbxWeights: [Int32]

    init(inputSize: Int, outputSize: Int, filter: ResampleFilter) {
        precondition(inputSize > 0 && outputSize > 0,
                     "ResampleCoefficients: sizes must be positive (in \(inputSize), out \(outputSize))")
        self.inputSize = inputSize
        self.outputSize = outputSize
        // Pillow: scale = (double)(in1 - in0) / outSize with the float box (0, inSize).
        let scale = Double(Float(inputSize)) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = filter.support * filterScale
        let stride = Int(support.rounded(.up)) * 2 + 1
        self.stride = stride
        var first = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * stride)
        var kernel = [Double](repeating: 0, count: stride)
        let inverseFilterScale = 1.0 / filterScale
        let one = Double(1 << Int(Self.precisionBits))
        for output in 0..<outputSize {
            let center = 0.0 + (Double(output) + 0.5) * scale
            // C casts truncate toward zero ("round" in Pillow's comments means +0.5 then truncate).
            let lower = max(Int(center - support + 0.5), 0)
            let upper = min(Int(center + support + 0.5), inputSize)
            let taps = upper - lower
            var total = 0.0
            for tap in 0..<taps {
                let value = filter.weight((Double(tap + lower) - center + 0.5) * inverseFilterScale)
                kernel[tap] = value
                total += value
            }
            for tap in 0..<taps {
                var value = kernel[tap]
                if total != 0 { value /= total }
                // Round half away from zero into 22 fraction bits (normalize_coeffs_8bpc).
                let fixed = value < 0 ? Int32(-0.5 + value * one) : Int32(0.5 + value * one)
                weights[output * stride + tap] = fixed
            }
            first[output] = lower
            count[output] = taps
        }
        self.first = first
        self.count = count
        self.weights = weights
        let blocks = (stride + 3) / 4
        var expanded = [Int32](repeating: 0, count: outputSize * blocks * 16)
        for output in 0..<outputSize {
            for tap in 0..<count[output] {
                let base = output * blocks * 16 + tap * 4
                for lane in 0..<4 { expanded[base + lane] = weights[output * stride + tap] }
            }
        }
        rgbxWeights = expanded
    }

    /// Taps per output rounded up to whole groups of 4 (the RGB pass's SIMD16 blocks).
    var tapBlocks: Int { (stride + 3) / 4 }

    /// First input index any output uses (Pillow's `ybox_first`).
    var firstUsed: Int { first[0] }
    /// One past the last input index any output uses (Pillow's `ybox_last`).
    var endUsed: Int { first[outputSize - 1] + count[outputSize - 1] }
}
