/// Colours of the street's materials.
enum Palette {
    static let plaster: [Vec3] = [
        Vec3(0.85, 0.80, 0.70), Vec3(0.78, 0.72, 0.62), Vec3(0.70, 0.74, 0.78), Vec3(0.88, 0.84, 0.78),
        Vec3(0.80, 0.66, 0.55), Vec3(0.66, 0.70, 0.60), Vec3(0.92, 0.88, 0.72), Vec3(0.62, 0.60, 0.64),
    ]
    static let brick: [Vec3] = [
        Vec3(0.62, 0.30, 0.22), Vec3(0.55, 0.36, 0.28), Vec3(0.70, 0.46, 0.34), Vec3(0.48, 0.26, 0.22),
    ]
    static let car: [Vec3] = [
        Vec3(0.75, 0.75, 0.78), Vec3(0.12, 0.12, 0.14), Vec3(0.62, 0.10, 0.10), Vec3(0.15, 0.22, 0.45),
        Vec3(0.88, 0.88, 0.86), Vec3(0.35, 0.38, 0.40), Vec3(0.20, 0.35, 0.22), Vec3(0.80, 0.62, 0.20),
    ]
    static let asphalt = Vec3(0.30, 0.30, 0.31)
    static let marking = Vec3(0.88, 0.88, 0.85)
    static let paving = Vec3(0.62, 0.60, 0.57)
    static let kerb = Vec3(0.70, 0.70, 0.68)
    static let grass = Vec3(0.26, 0.40, 0.16)
    static let glass = Vec3(0.16, 0.20, 0.26)
    static let frame = Vec3(0.90, 0.90, 0.88)
    static let tyre = Vec3(0.06, 0.06, 0.07)
    static let metal = Vec3(0.45, 0.47, 0.50)
    static let lamp = Vec3(0.95, 0.93, 0.80)
    static let bark = Vec3(0.30, 0.22, 0.15)
    static let leaves = Vec3(0.20, 0.42, 0.14)
    static let bin = Vec3(0.20, 0.32, 0.22)
    static let sign = Vec3(0.10, 0.30, 0.70)
    static let skyHorizon = Vec3(0.80, 0.86, 0.93)
    static let skyZenith = Vec3(0.33, 0.52, 0.84)
}
