import Foundation
import Layers
import TensorCore
import TestSupport
import XCTest

/// layers.py geometry (disp_to_depth, rot_from_axisangle, transformation_from_parameters) against
/// the ../shared/reference/torch/layers cases, outputs and gradients, at each case's tolerance.
final class GeometryTests: XCTestCase {
    func testDispToDepth() throws {
        try LayerFixture.load("disp_to_depth").check { i in
            let (scaled, depth) = dispToDepth(try i.tensor("disp"), minDepth: 0.1, maxDepth: 100)
            return ["out": scaled, "depth": depth]
        }
    }

    func testRotationFromAxisAngle() throws {
        for name in ["rot_from_axisangle", "rot_from_axisangle_small"] {
            try LayerFixture.load(name).check { i in ["out": rotationFromAxisAngle(try i.tensor("vec"))] }
        }
    }

    func testTransformationFromParameters() throws {
        try LayerFixture.load("transformation_from_parameters").check { i in
            ["out": transformationFromParameters(axisangle: try i.tensor("axisangle"), translation: try i.tensor("translation"))]
        }
        try LayerFixture.load("transformation_from_parameters_invert").check { i in
            ["out": transformationFromParameters(axisangle: try i.tensor("axisangle"), translation: try i.tensor("translation"), invert: true)]
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

    /// Exactly zero axis-angle (Tests/Fixtures/geometry/rot_zero.json, made by make_rot_zero.py from the
    /// original layers.py): torch.norm's backward masks the zero norm, so torch's gradient is finite there and
    /// exactly 0 on the zero rows; sqrt(sum of squares) alone gives NaN. Rows 1 and 2 (non-zero, one a
    /// single-axis rotation) at rel-to-max 1e-5, the layers fixtures' minimum tolerance (the float64 floor here
    /// is 1.6e-6 absolute on values up to 5.3, i.e. 3e-7).
    func testZeroAxisAngleGradientMatchesTorchNorm() throws {
        let data = try Data(contentsOf: Fixtures.bundled("geometry/rot_zero.json"))
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func tensor(_ c: [String: Any], _ name: String) throws -> Tensor {
            let entry = try XCTUnwrap(c[name] as? [String: Any], name)
            let shape = try XCTUnwrap(entry["shape"] as? [Int], name)
            let values = try XCTUnwrap(entry["values"] as? [Double], name)
            return Tensor(shape: shape, scalars: values.map { Float($0) })
        }
        func check(_ name: String, _ actual: Tensor?, _ c: [String: Any], _ key: String) throws {
            let a = try XCTUnwrap(actual, "\(name): no \(key)")
            let values = a.scalars()
            XCTAssertTrue(values.allSatisfy(\.isFinite), "\(name) \(key): \(values)")
            assertRelativeToMax(a, try tensor(c, key), 1e-5, "\(name) \(key)")
        }
        let rot = try XCTUnwrap(doc["rot"] as? [String: Any])
        let tape = Tape()
        let vec = tape.watch(try tensor(rot, "in_vec"))
        let r = rotationFromAxisAngle(vec)
        try check("rot", r.detached(), rot, "out")
        let grad = tape.backward((r * (try tensor(rot, "G"))).sum())[vec]
        XCTAssertEqual(try XCTUnwrap(grad).scalars().prefix(3).map { $0 }, [0, 0, 0], "rot: zero axis-angle row")
        try check("rot", grad, rot, "grad_vec")
        for (name, invert) in [("transform", false), ("transform_invert", true)] {
            let c = try XCTUnwrap(doc[name] as? [String: Any])
            let tape = Tape()
            let aa = tape.watch(try tensor(c, "in_axisangle")), t = tape.watch(try tensor(c, "in_translation"))
            let m = transformationFromParameters(axisangle: aa, translation: t, invert: invert)
            try check(name, m.detached(), c, "out")
            let grads = tape.backward((m * (try tensor(c, "G"))).sum())
            XCTAssertEqual(try XCTUnwrap(grads[aa]).scalars().prefix(3).map { $0 }, [0, 0, 0], "\(name): zero axis-angle row")
            try check(name, grads[aa], c, "grad_axisangle")
            try check(name, grads[t], c, "grad_translation")
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
