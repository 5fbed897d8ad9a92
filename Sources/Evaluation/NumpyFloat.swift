import Foundation

/// The two element types a prediction can have (`pred_disps` is float32 from a network or an
/// `.npy`, float64 after the original's post-processing). NumPy computes every step of the
/// evaluation in the array's own type, so the Swift code is generic over it and reproduces
/// NumPy's arithmetic in that type.
public protocol NumpyFloat: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// Natural logarithm rounded to this type (NumPy's `np.log` on an array of this type).
    static func logarithm(_ x: Self) -> Self
    /// `np.log(gt)` of float32 ground truth, then promoted to this type (as NumPy does when a
    /// float32 log meets a float64 prediction).
    static func logarithmOfGroundTruth(_ x: Float) -> Self
    /// `cv2.resize(map, (toWidth, toHeight))` (INTER_LINEAR) of a `height x width` map.
    static func linearResize(_ map: [Self], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Self]
}

extension Float: NumpyFloat {
    // NumPy's own SIMD float32 log (not correctly rounded; reproduced bit for bit).
    @inline(__always) public static func logarithm(_ x: Float) -> Float { NumpyLog.log(x) }
    @inline(__always) public static func logarithmOfGroundTruth(_ x: Float) -> Float { logarithm(x) }
    public static func linearResize(_ map: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
        LinearResize.resize(map, width: width, height: height, toWidth: toWidth, toHeight: toHeight)
    }
}

extension Double: NumpyFloat {
    // glibc's log; NumPy's float64 SIMD log may differ in the last bit (float64 predictions only).
    @inline(__always) public static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) public static func logarithmOfGroundTruth(_ x: Float) -> Double { Double(Float.logarithm(x)) }
    public static func linearResize(_ map: [Double], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Double] {
        LinearResize.resize(map, width: width, height: height, toWidth: toWidth, toHeight: toHeight)
    }
}
