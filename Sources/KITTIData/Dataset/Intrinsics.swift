/// The KITTI camera intrinsics the datasets hand to the trainer: one normalised K for every date
/// and camera (`datasets/kitti_dataset.py KITTIDataset.__init__`, `self.K`), scaled to each pyramid
/// level (`datasets/mono_dataset.py MonoDataset.__getitem__`, `("K", scale)` and `("inv_K", scale)`).
public enum Intrinsics {
    /// `KITTIDataset.K`, normalised by the image size, row-major 4x4 float32.
    public static let normalized: [Float] = [0.58, 0, 0.5, 0,
                                             0, 1.92, 0.5, 0,
                                             0, 0, 1, 0,
                                             0, 0, 0, 1]

    /// `K` with row 0 times `width` and row 1 times `height` (in float32, as NumPy's
    /// `K[0, :] *= width // 2**scale`).
    public static func scaled(width: Int, height: Int) -> [Float] {
        scaled(normalized, width: width, height: height)
    }

    /// A normalised 4x4 K (a folder layout's, per sequence) scaled the same way.
    public static func scaled(_ normalizedK: [Float], width: Int, height: Int) -> [Float] {
        var k = normalizedK
        for c in 0..<4 {
            k[c] *= Float(width)
            k[4 + c] *= Float(height)
        }
        return k
    }

    /// `np.linalg.pinv(K)` of a scaled K, float32 (see `PseudoInverse`).
    public static func inverse(_ k: [Float]) -> [Float] {
        PseudoInverse.pinv4x4(k)
    }
}
