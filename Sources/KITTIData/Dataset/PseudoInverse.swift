/// `np.linalg.pinv` of the datasets' 4x4 float32 K.
///
/// K is upper triangular with a unit last row (the datasets' K has no translation column), so its
/// pseudo-inverse is its inverse:
/// `[[1/fx, 0, -cx/fx, 0], [0, 1/fy, -cy/fy, 0], [0, 0, 1, 0], [0, 0, 0, 1]]`, computed here in
/// float64 and rounded once. NumPy reaches it through LAPACK's SVD in float32, which leaves round-off
/// of up to 2 ulp on the diagonal and ~1e-9 where the exact inverse has zeros. That round-off is not a
/// property of the original code but of the BLAS kernel OpenBLAS picks at run time: on the same machine
/// and NumPy 2.4.6, `OPENBLAS_CORETYPE=Haswell` reproduces the reference fixtures' bits while
/// `Sandybridge`, `Nehalem` and `Prescott` give other bits (for 640x192, scale 0: K⁻¹[0,1] is
/// 5.28e-10 against 4.66e-10). There is no single "original" value to copy bit for bit, so the parity
/// test bounds the difference instead (KITTISampleParityTests).
enum PseudoInverse {
    static func pinv4x4(_ k: [Float]) -> [Float] {
        let fx = Double(k[0]), skew = Double(k[1]), cx = Double(k[2]), fy = Double(k[5]), cy = Double(k[6])
        // With a skew s: K⁻¹[0] = (1/fx, -s/(fx·fy), (s·cy - cx·fy)/(fx·fy)); KITTI's s is 0.
        let row0 = skew == 0 ? (0, -cx / fx) : (-skew / (fx * fy), (skew * cy - cx * fy) / (fx * fy))
        return [Float(1 / fx), Float(row0.0), Float(row0.1), 0,
                0, Float(1 / fy), Float(-cy / fy), 0,
                0, 0, 1, 0,
                0, 0, 0, 1]
    }
}
