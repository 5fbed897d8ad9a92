import ArrayIO
import Foundation

/// One float per pixel (a disparity or a depth map): `width × height` values, row by row from the
/// top left. Reads and writes NumPy `.npy` files as the original's `test_simple.py` does.
public struct DepthMap: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width × height` values, rows from the top.
    public let values: [Float]

    /// A map from its values (`width × height`, rows from the top).
    /// - Throws: `Monodepth2Error.invalidArgument` when the size is not positive or the count does
    ///   not match it.
    public init(width: Int, height: Int, values: [Float]) throws(Monodepth2Error) {
        guard width > 0, height > 0, values.count == width * height else {
            throw .invalidArgument("DepthMap: \(values.count) values for \(width)x\(height)")
        }
        self.init(unchecked: width, height, values)
    }

    init(unchecked width: Int, _ height: Int, _ values: [Float]) {
        self.width = width
        self.height = height
        self.values = values
    }

    /// The value at column `x`, row `y` (from the top left).
    public subscript(x x: Int, y y: Int) -> Float {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "DepthMap: (\(x), \(y)) outside \(width)x\(height)")
        return values[y * width + x]
    }

    /// Reads a `.npy` file holding one map: shape `(H, W)`, `(1, H, W)` or `(1, 1, H, W)` (what `demo`
    /// and `test_simple.py` write), any float type (converted to Float).
    /// - Throws: `Monodepth2Error.unreadableArray` naming the file.
    public init(npyContentsOf url: URL) throws(Monodepth2Error) {
        let array: NDArray
        do { array = try NPY.read(contentsOf: url) } catch {
            throw .unreadableArray(file: url.path, problem: error.description)
        }
        let shape = array.shape
        guard shape.count >= 2, shape.dropLast(2).allSatisfy({ $0 == 1 }), shape.count <= 4,
              [.float16, .float32, .float64].contains(array.elementType) else {
            throw .unreadableArray(file: url.path, problem: "a \(array.elementType) array of shape \(shape) is not one "
                + "float map (expected (H, W), (1, H, W) or (1, 1, H, W))")
        }
        let height = shape[shape.count - 2], width = shape[shape.count - 1]
        guard width > 0, height > 0 else { throw .unreadableArray(file: url.path, problem: "empty map of shape \(shape)") }
        self.init(unchecked: width, height, array.floatValues())
    }

    /// Writes the map as a little-endian float32 `.npy` file of shape `(1, 1, H, W)`, the layout of
    /// `demo`'s (and `test_simple.py`'s) `_disp.npy` and `_depth.npy`.
    /// - Throws: `Monodepth2Error.writeFailed` naming the file.
    public func writeNPY(to url: URL) throws(Monodepth2Error) {
        do { try NPY.write(NDArray(shape: [1, 1, height, width], floats: values), to: url) } catch {
            throw .writeFailed(file: url.path, problem: error.description)
        }
    }
}
