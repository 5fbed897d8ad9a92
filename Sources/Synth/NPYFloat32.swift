import ArrayIO

/// `np.save` of a float32 (H, W) array, through ArrayIO's encoder.
enum NPYFloat32 {
    static func encode(_ values: [Float], height: Int, width: Int) -> [UInt8] {
        NPY.encode(NDArray(shape: [height, width], floats: values))
    }
}
