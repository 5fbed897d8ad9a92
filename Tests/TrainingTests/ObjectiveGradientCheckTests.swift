import Foundation
import KITTIData
import Layers
import Networks
import TensorCore
import TestSupport
import Training
import XCTest

/// Finite-difference checks of the whole Monodepth2 objective (warps at every scale, SSIM + L1,
/// smoothness, averaging over scales) with respect to the disparities and the pose outputs, at a
/// tiny size (8×16, batch 1, scales 0–1, frames 0 −1 1 s). ε = 2e-3: the float32 loss's rounding
/// noise is about 1% of the largest gradient at this step.
final class ObjectiveGradientCheckTests: XCTestCase {
    static let height = 8, width = 16

    /// Planar images (bilinear sampling of a plane is exact, so the warp has no kinks inside the
    /// image), each source offset by ≥ 0.1 from the target so |target − prediction| stays away from
    /// the L1 kink; values centred on 0 with steep slopes, so SSIM's E[x²] − E[x]² cancels little
    /// (float32 noise would swamp the differences); KITTI-like intrinsics; a small stereo baseline.
    static func batch() -> Batch {
        func image(_ offset: Float, _ slope: Float, height: Int, width: Int) -> Tensor {
            var values: [Float] = []
            for c in 0..<3 {
                for y in 0..<height {
                    for x in 0..<width {
                        let u = Float(x) / Float(width), v = Float(y) / Float(height)
                        values.append(offset + 0.05 * Float(c) + slope * (u - 0.5) + 0.6 * slope * (v - 0.5) - 0.1 * Float(c) * (u - 0.5))
                    }
                }
            }
            return Tensor(shape: [1, 3, height, width], scalars: values)
        }
        var color: [FrameID: [Tensor]] = [:]
        for (f, offset, slope) in [(FrameID.offset(0), Float(0), Float(1)), (.offset(-1), 0.12, 0.95), (.offset(1), -0.1, 1.05),
                                   (.stereo, 0.15, 0.9)] {
            color[f] = (0..<2).map { image(offset, slope, height: height >> $0, width: width >> $0) }
        }
        var k: [Tensor] = [], invK: [Tensor] = []
        for s in 0..<2 {
            let fx = 0.58 * Float(width >> s), fy = 1.92 * Float(height >> s)
            let cx = 0.5 * Float(width >> s), cy = 0.5 * Float(height >> s)
            k.append(Tensor(shape: [1, 4, 4], scalars: [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0, 0, 0, 0, 1]))
            invK.append(Tensor(shape: [1, 4, 4], scalars: [1 / fx, 0, -cx / fx, 0, 0, 1 / fy, -cy / fy, 0, 0, 0, 1, 0, 0, 0, 0, 1]))
        }
        let stereo = Tensor(shape: [1, 4, 4], scalars: [1, 0, 0, -0.01, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        return Batch(color: color, K: k, invK: invK, stereoT: stereo)
    }

    func step(_ edit: (inout StepConfiguration) -> Void) -> MonodepthStep {
        var c = StepConfiguration(height: Self.height, width: Self.width, batchSize: 1, scales: [0, 1],
                                  frameOffsets: [0, -1, 1], useStereo: true, tieBreakNoise: false)
        edit(&c)
        return MonodepthStep(configuration: c, models: MonodepthModels(configuration: c.modelSet, initialisation: .placeholder))
    }

    /// The objective as a function of [disp0, disp1, axisangle−1, translation−1, axisangle+1, translation+1].
    func objective(_ step: MonodepthStep, _ batch: Batch) -> ([Tensor]) -> Tensor {
        { x in
            var poses = PosePredictions()
            for (i, offset) in [-1, 1].enumerated() {
                let aa = x[2 + 2 * i], t = x[3 + 2 * i]
                poses.axisangles[offset] = aa
                poses.translations[offset] = t
                poses.transforms[offset] = transformationFromParameters(axisangle: aa.selecting(1, 0), translation: t.selecting(1, 0),
                                                                        invert: offset < 0)
            }
            let predictions = StepPredictions(disparities: DepthOutputs(scales: [0, 1], disparities: [x[0], x[1]]), poses: poses)
            return step.objective(batch, predictions: predictions).loss
        }
    }

    func inputs() -> [Tensor] {
        var rng = RandomGenerator(seed: 3)
        // Disparities in [0.08, 0.2] (depth ≈ 0.5–1.2 units, shifts of a pixel or two), strictly
        // increasing along rows and columns (neighbour differences ≥ 0.0026 > ε keep the
        // smoothness term's |∂d| away from its kink).
        func disparity(_ h: Int, _ w: Int) -> Tensor {
            var values: [Float] = []
            let step = 0.06 / Float(w)
            for y in 0..<h { for x in 0..<w { values.append(0.08 + step * Float(x) + 0.7 * step * Float(y) * Float(w) / Float(h) * 0.5) } }
            return Tensor(shape: [1, 1, h, w], scalars: values)
        }
        let pose = { (scale: Float) in Tensor.uniform([1, 2, 1, 3], lower: -scale, upper: scale, generator: &rng) }
        return [disparity(Self.height, Self.width), disparity(Self.height / 2, Self.width / 2),
                pose(0.02), pose(0.02), pose(0.02), pose(0.02)]
    }

    /// --disable_automasking --avg_reprojection: no per-pixel minimum anywhere (a continuous loss).
    /// The per-pixel minimum itself routes gradients by index (LossTermTests.testAutomaskSelection)
    /// and is checked against torch's gradients in StepParityTests.
    func testSmoothObjectiveGradient() {
        let step = step { $0.disableAutomasking = true; $0.avgReprojection = true }
        let result = gradientCheck(inputs(), epsilon: 2e-3, objective(step, Self.batch()))
        if ProcessInfo.processInfo.environment["MD2_PRINT_ERRORS"] == "1" { print("[error] objective \(result)") }
        XCTAssertLessThan(result.relativeError, 2e-2, "\(result)")
    }
}
