import ArrayIO
import Foundation
import Networks
import TensorCore
import TestSupport
import XCTest

/// layers.py geometry (disp_to_depth, rot_from_axisangle, transformation_from_parameters) against
/// the ../shared/reference/torch/layers cases, outputs and gradients, at each case's tolerance.
final class GeometryTests: XCTestCase {
    func testDispToDepth() throws {
        try checkLayerCase("disp_to_depth") { i in
            let (scaled, depth) = try dispToDepth(i.tensor("disp"), minDepth: 0.1, maxDepth: 100)
            return ["out": scaled, "depth": depth]
        }
    }

    func testRotationFromAxisAngle() throws {
        for name in ["rot_from_axisangle", "rot_from_axisangle_small"] {
            try checkLayerCase(name) { i in try ["out": rotationFromAxisAngle(i.tensor("vec"))] }
        }
    }

    func testTransformationFromParameters() throws {
        try checkLayerCase("transformation_from_parameters") { i in
            try ["out": transformationFromParameters(axisangle: i.tensor("axisangle"), translation: i.tensor("translation"))]
        }
        try checkLayerCase("transformation_from_parameters_invert") { i in
            try ["out": transformationFromParameters(axisangle: i.tensor("axisangle"), translation: i.tensor("translation"), invert: true)]
        }
    }

    /// Central differences through the whole composition (float32-aware step).
    func testTransformationGradientCheck() {
        var rng = RandomGenerator(seed: 21)
        let aa = Tensor.uniform([2, 1, 3], lower: -0.5, upper: 0.5, generator: &rng)
        let t = Tensor.uniform([2, 1, 3], lower: -1, upper: 1, generator: &rng)
        for invert in [false, true] {
            let result = gradientCheck([aa, t], epsilon: 1e-2) { x in
                transformationFromParameters(axisangle: x[0], translation: x[1], invert: invert)
            }
            XCTAssertLessThan(result.relativeError, 1e-2, "invert \(invert): \(result)")
        }
    }

    /// The inverse transform is the exact inverse: M⁻¹·M = I.
    func testInverseComposesToIdentity() {
        var rng = RandomGenerator(seed: 22)
        let aa = Tensor.uniform([3, 1, 3], lower: -1, upper: 1, generator: &rng)
        let t = Tensor.uniform([3, 1, 3], lower: -2, upper: 2, generator: &rng)
        let product = matmul(transformationFromParameters(axisangle: aa, translation: t, invert: true),
                             transformationFromParameters(axisangle: aa, translation: t)).scalars()
        for b in 0..<3 {
            for r in 0..<4 {
                for c in 0..<4 { XCTAssertEqual(product[b * 16 + r * 4 + c], r == c ? 1 : 0, accuracy: 1e-5) }
            }
        }
    }
}
