/// Lambertian light from a fixed sun and a uniform sky, and the sky itself. Nothing depends on the
/// viewer, so a surface point has one colour in every frame and both cameras.
enum Lighting {
    @inline(__always)
    static func shade(albedo: Vec3, normal n: Vec3, street: StreetStyle) -> Vec3 {
        let sun = max((n * street.sun).sum(), 0)
        let skyLight = 0.85 + 0.15 * n.z
        return albedo * (street.ambient * skyLight + street.direct * sun)
    }

    /// The sky seen along direction `d` (any length): a horizon-to-zenith gradient with soft
    /// clouds painted at infinity, so it depends on the direction only.
    static func sky(_ d: Vec3, seed: UInt32) -> Vec3 {
        let elevation = d.z / max((d * d).sum().squareRoot(), 1e-6)
        let t = min(max(elevation, 0), 1)
        var colour = Textures.mix(Palette.skyHorizon, Palette.skyZenith, t.squareRoot())
        if d.z > 0.01 {
            // A cloud layer: the direction's intersection with a plane high above.
            let scale = 1 / d.z
            let cx = d.x * scale, cy = d.y * scale
            let cloud = Noise.value(cx * 0.6, cy * 0.6, seed &+ 20) * 0.6 + Noise.value(cx * 1.7, cy * 1.7, seed &+ 21) * 0.4
            let cover = min(max((cloud - 0.45) * 2.5, 0), 1) * min(t * 6, 1)
            colour = Textures.mix(colour, Vec3(0.93, 0.94, 0.96), cover * 0.8)
        }
        return colour
    }
}
