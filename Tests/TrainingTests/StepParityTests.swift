import ArrayIO
import Foundation
import Kernels
import Networks
import TensorCore
import TestSupport
import Training
import XCTest

/// One training step on formula weights against ../shared/reference/torch/loss (README "loss/"),
/// at the README's tolerances: losses, identity selection, per-parameter gradient norms, BatchNorm
/// running statistics, intermediate outputs, and the Adam step end to end; the selected full gradients
/// at per-array tolerances derived from each array's own float32 noise floor (`gradientFloors`).
final class StepParityTests: XCTestCase {
    static let selected = [
        ("encoder", "encoder.conv1.weight"), ("encoder", "encoder.bn1.weight"), ("encoder", "encoder.bn1.bias"),
        ("encoder", "encoder.layer4.1.bn2.weight"), ("depth", "decoder.10.conv.weight"), ("depth", "decoder.10.conv.bias"),
        ("depth", "decoder.9.conv.conv.weight"), ("depth", "decoder.13.conv.weight"),
        ("pose_encoder", "encoder.conv1.weight"), ("pose", "net.3.weight"), ("pose", "net.3.bias"), ("pose", "net.0.bias"),
    ]

    func parameter(_ models: MonodepthModels, _ network: String, _ key: String) throws -> Parameter {
        let module = try XCTUnwrap(models.named.first { $0.name.rawValue == network }?.module, network)
        return try XCTUnwrap(module.namedParameters().first { $0.key == key }?.parameter, "\(network).\(key)")
    }

    /// The float32 noise floor of one selected gradient array: its distance to a float64 run of the same step
    /// (the original trainer.py through make_fixtures.py's harness, inputs and weights widened exactly), as
    /// (rel-to-max, relative L2), for torch's float32 fixture and for our float32 gradients.
    struct GradientFloor {
        let torch: (relToMax: Double, relL2: Double)
        let ours: (relToMax: Double, relL2: Double)
        /// The floor: the largest of the four distances.
        var floor: Double { max(torch.relToMax, torch.relL2, ours.relToMax, ours.relL2) }
        /// The tolerance on |ours − fixture|, both metrics: 3 × floor. By the triangle inequality
        /// |ours − fixture| ≤ |ours − f64| + |fixture − f64| ≤ 2 × floor, so 3× keeps 1.5× headroom for another
        /// machine's kernels (our gradients are bit-identical with MD2_THREADS=1 and 2), and no more.
        var tolerance: Double { 3 * floor }
    }

    /// Per-array floors, measured on the 2-core AMD Zen 3 machine (AVX2 kernels; ours bit-identical at 7e97799
    /// and 9ad4ca8, with MD2_THREADS=1 and 2):
    /// - `torch`: `fixture_vs_f64` of Tests/Fixtures/training/grad_floors.json (made by make_grad_floors.py
    ///   beside it; the same numbers as losses.json's `selected_grads_*` floors).
    /// - `ours`: our float32 gradients against that script's float64 arrays: run it with `--save-f64 DIR`,
    ///   then `MD2_F64_GRADS=DIR swift test -c release --filter StepParityTests` prints `[f64]` lines.
    /// The mono+stereo step (`grads/`) has the automask's per-pixel minimum: torch's float32 run picks another
    /// channel than float64 on 18–36 pixels per scale, which is why its encoder and dispconv-3 floors are
    /// 1e-2 (ours are 2e-4–4e-4). The pose arrays' floors are 1.7e-4–1.9e-4 there and 1.7e-5–3.0e-5 in the
    /// smooth step, so a 3% error in any pose gradient fails. Ours is the larger floor on
    /// grads_smooth pose_encoder conv1 (3.1e-3 rel L2 against torch's 1.6e-4: our float32 pose-encoder backward
    /// loses more to cancellation in that configuration; it is 1.8e-4 in the mono+stereo step).
    static let gradientFloors: [String: [String: GradientFloor]] = [
        "grads": [
            "encoder__encoder.conv1.weight": .init(torch: (0.0115, 0.00801), ours: (0.000187, 0.000196)),
            "encoder__encoder.bn1.weight": .init(torch: (0.0102, 0.0119), ours: (0.000162, 0.000217)),
            "encoder__encoder.bn1.bias": .init(torch: (0.00558, 0.00756), ours: (0.00017, 0.000203)),
            "encoder__encoder.layer4.1.bn2.weight": .init(torch: (0.0145, 0.0117), ours: (0.000332, 0.000258)),
            "depth__decoder.10.conv.weight": .init(torch: (0.000463, 0.000682), ours: (0.000101, 0.000143)),
            "depth__decoder.10.conv.bias": .init(torch: (0.000836, 0.000836), ours: (4.14e-05, 4.14e-05)),
            "depth__decoder.9.conv.conv.weight": .init(torch: (0.000648, 0.000717), ours: (0.000124, 0.000187)),
            "depth__decoder.13.conv.weight": .init(torch: (0.0167, 0.0165), ours: (0.000389, 0.000443)),
            "pose_encoder__encoder.conv1.weight": .init(torch: (0.000636, 0.000278), ours: (0.000713, 0.000182)),
            "pose__net.3.weight": .init(torch: (0.000144, 0.000166), ours: (3.22e-05, 4.22e-05)),
            "pose__net.3.bias": .init(torch: (0.000154, 0.000172), ours: (2.89e-05, 4.04e-05)),
            "pose__net.0.bias": .init(torch: (0.000154, 0.000189), ours: (4.96e-05, 4.79e-05)),
        ],
        "grads_smooth": [
            "encoder__encoder.conv1.weight": .init(torch: (0.00346, 0.00243), ours: (0.000713, 0.000559)),
            "encoder__encoder.bn1.weight": .init(torch: (0.0032, 0.00286), ours: (0.000917, 0.000593)),
            "encoder__encoder.bn1.bias": .init(torch: (0.00137, 0.0015), ours: (0.000665, 0.000565)),
            "encoder__encoder.layer4.1.bn2.weight": .init(torch: (0.00164, 0.0017), ours: (0.000189, 0.000222)),
            "depth__decoder.10.conv.weight": .init(torch: (0.00122, 0.00126), ours: (0.00121, 0.00125)),
            "depth__decoder.10.conv.bias": .init(torch: (0.000834, 0.000834), ours: (0.000827, 0.000827)),
            "depth__decoder.9.conv.conv.weight": .init(torch: (0.00108, 0.0012), ours: (0.00106, 0.00119)),
            "depth__decoder.13.conv.weight": .init(torch: (0.00129, 0.00118), ours: (9.22e-05, 9.76e-05)),
            "pose_encoder__encoder.conv1.weight": .init(torch: (0.000649, 0.000159), ours: (0.00284, 0.00311)),
            "pose__net.3.weight": .init(torch: (1.29e-05, 1.74e-05), ours: (2.13e-05, 2.88e-05)),
            "pose__net.3.bias": .init(torch: (1.4e-05, 1.8e-05), ours: (2.33e-05, 3.01e-05)),
            "pose__net.0.bias": .init(torch: (1.52e-05, 1.66e-05), ours: (2.41e-05, 2.92e-05)),
        ],
    ]

    /// Each selected gradient against `folder`'s fixture at its own tolerance (`gradientFloors`).
    func assertSelectedGradients(_ models: MonodepthModels, folder: String) throws {
        let floors = try XCTUnwrap(Self.gradientFloors[folder], "no gradient floors for \(folder)")
        let environment = ProcessInfo.processInfo.environment
        for (network, key) in Self.selected {
            let name = "\(network)__\(key)"
            let tolerance = try XCTUnwrap(floors[name], "no floor for \(folder)/\(name)").tolerance
            let g = try XCTUnwrap(try parameter(models, network, key).grad, "\(network).\(key): no gradient")
            let expected = try LossFixture.tensor("\(folder)/\(name)")
            XCTAssertEqual(g.shape, expected.shape)
            let e = relativeErrors(g.scalars(), expected.scalars())
            if environment["MD2_PRINT_ERRORS"] == "1" {
                print("[error] \(folder)/\(name): rel-to-max \(e.relToMax), rel L2 \(e.relL2), tolerance \(tolerance)")
            }
            if let dir = environment["MD2_F64_GRADS"] {
                let f64 = try NPY.read(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent("\(folder)/\(name).npy"))
                let d = relativeErrors(g.scalars().map(Double.init), f64.doubleValues())
                print("[f64] \(folder)/\(name): rel-to-max \(d.relToMax), rel L2 \(d.relL2)")
            }
            XCTAssertLessThanOrEqual(e.relToMax, tolerance, "\(folder)/\(name) rel-to-max")
            XCTAssertLessThanOrEqual(e.relL2, tolerance, "\(folder)/\(name) relative L2")
        }
    }

    /// mono+stereo (the fixture's main step): everything losses.json, grads/, bn_after/ and
    /// outputs/ hold.
    func testMonoStereoStep() throws {
        let doc = try LossFixture.document()
        let step = LossFixture.step(LossFixture.configuration())
        let result = step.computeGradients(try LossFixture.inputs())

        let losses = try XCTUnwrap(doc["losses"] as? [String: Double])
        assertRelative(result.losses.total, try XCTUnwrap(losses["loss"]), 1e-4, "loss")
        for (s, value) in zip(result.losses.scales, result.losses.perScale) {
            assertRelative(value, try XCTUnwrap(losses["loss/\(s)"]), 1e-4, "loss/\(s)")
        }
        // 18–36 of 24576 pixels per scale flip between float32 and float64: ≤ 1e-3 on the mean.
        let selection = try XCTUnwrap(doc["identity_selection_mean"] as? [String: Double])
        let means = try XCTUnwrap(result.losses.identitySelectionMean)
        for (s, mean) in zip(result.losses.scales, means) {
            let expected = try XCTUnwrap(selection[String(s)], "identity_selection_mean/\(s)")
            XCTAssertEqual(Double(mean), expected, accuracy: 2e-3, "identity_selection_mean/\(s)")
        }
        assertGradientNorms(parameterGradientNorms(step.models), try XCTUnwrap(doc["grad_l2_norms"] as? [String: Any]),
                            perNetwork: 1e-2, median: 5e-3, "grad_l2_norms")
        try assertSelectedGradients(step.models, folder: "grads")

        // BatchNorm: counters (the pose encoder runs twice) and running statistics.
        let counters = try XCTUnwrap(doc["bn_num_batches_tracked_after"] as? [String: Int])
        for (network, encoder) in [("encoder", step.models.encoder), ("pose_encoder", try XCTUnwrap(step.models.poseEncoder))] {
            let counter = try XCTUnwrap(counters[network], network)
            XCTAssertEqual(encoder.resnet.bn1.numBatchesTracked.value.int64s(), [Int64(counter)], network)
            for (name, buffer) in [("running_mean", encoder.resnet.bn1.runningMean), ("running_var", encoder.resnet.bn1.runningVariance)] {
                let expected = try LossFixture.tensor("bn_after/\(network)__encoder.bn1.\(name)")
                let c = compare(buffer.value.scalars(), expected.scalars())
                XCTAssertLessThanOrEqual(c.relativeToMax, 1e-5, "bn_after \(network) \(name): \(c)")
            }
        }
        try checkOutputs(result.outputs)
    }

    /// outputs/: disparities, depths, poses, warped images and grids, identity selections.
    func checkOutputs(_ o: StepOutputs) throws {
        func check(_ actual: Tensor?, _ file: String, maxAbs: Float? = nil, relToMax: Float? = nil) throws {
            let a = try XCTUnwrap(actual, file)
            let expected = try LossFixture.tensor("outputs/\(file)")
            XCTAssertEqual(a.shape, expected.shape, file)
            let c = compare(a.scalars(), expected.scalars())
            if ProcessInfo.processInfo.environment["MD2_PRINT_ERRORS"] == "1" { print("[error] outputs/\(file): \(c)") }
            if let maxAbs { XCTAssertLessThanOrEqual(c.maxAbsoluteError, maxAbs, "\(file): \(c)") }
            if let relToMax { XCTAssertLessThanOrEqual(c.relativeToMax, relToMax, "\(file): \(c)") }
        }
        for s in 0..<4 {
            try check(o.disparities[s], "disp_\(s)", maxAbs: 1e-5)
            try check(o.depths[s], "depth_0_\(s)", relToMax: 1e-4)
            // A handful of pixels pick another channel than torch (float32 ties of the minimum).
            let selection = try XCTUnwrap(o.identitySelection[s]).scalars()
            let expected = try LossFixture.tensor("outputs/identity_selection_\(s)").scalars()
            XCTAssertEqual(selection.count, expected.count)
            let flips = zip(selection, expected).filter { $0.0 != $0.1 }.count
            XCTAssertLessThanOrEqual(flips, 100, "identity_selection_\(s): \(flips) of \(expected.count) pixels differ")
        }
        for f in [-1, 1] {
            try check(o.axisangles[f], "axisangle_0_\(f)", relToMax: 1e-4)
            try check(o.translations[f], "translation_0_\(f)", relToMax: 1e-4)
            try check(o.cameraTransforms[f], "cam_T_cam_0_\(f)", maxAbs: 1e-6)
        }
        for (f, name) in [(FrameID.offset(-1), "-1"), (.offset(1), "1"), (.stereo, "s")] {
            try check(o.samples[f], "sample_\(name)_0", maxAbs: 1e-4)
            try check(o.warped[f], "color_\(name)_0", maxAbs: 1e-4)
        }
    }

    /// --disable_automasking --avg_reprojection: no per-pixel minimum, a continuous loss, so
    /// gradients compare tightly (losses.json → smooth, grads_smooth/).
    func testSmoothVariantStep() throws {
        let document = try LossFixture.document()
        let doc = try XCTUnwrap(document["smooth"] as? [String: Any])
        let step = LossFixture.step(LossFixture.configuration { $0.disableAutomasking = true; $0.avgReprojection = true })
        let result = step.computeGradients(try LossFixture.inputs())
        let losses = try XCTUnwrap(doc["losses"] as? [String: Double])
        assertRelative(result.losses.total, try XCTUnwrap(losses["loss"]), 1e-4, "smooth loss")
        for (s, value) in zip(result.losses.scales, result.losses.perScale) {
            assertRelative(value, try XCTUnwrap(losses["loss/\(s)"]), 1e-4, "smooth loss/\(s)")
        }
        XCTAssertNil(result.losses.identitySelectionMean)
        assertGradientNorms(parameterGradientNorms(step.models), try XCTUnwrap(doc["grad_l2_norms"] as? [String: Any]),
                            perNetwork: 1e-2, median: 2e-3, "smooth grad_l2_norms")
        try assertSelectedGradients(step.models, folder: "grads_smooth")
    }

    /// The seven variants of losses.json: total and per-scale losses, per-network gradient norms.
    func testVariants() throws {
        let document = try LossFixture.document()
        let variants = try XCTUnwrap(document["variants"] as? [String: [String: Any]])
        XCTAssertEqual(variants.count, 7)
        let batch = try LossFixture.inputs()
        for (name, v) in variants.sorted(by: { $0.key < $1.key }) {
            let argv = try XCTUnwrap(v["argv"] as? [String])
            let step = LossFixture.step(try LossFixture.configuration(argv: argv))
            let result = step.computeGradients(batch)
            assertRelative(result.losses.total, try XCTUnwrap(v["loss"] as? Double), 1e-4, "\(name) loss")
            for (s, value) in zip(result.losses.scales, result.losses.perScale) {
                assertRelative(value, try XCTUnwrap(v["loss/\(s)"] as? Double), 1e-4, "\(name) loss/\(s)")
            }
            let expectedNorms = try XCTUnwrap(v["grad_norm_per_network"] as? [String: Double])
            let norms = Dictionary(uniqueKeysWithValues: step.models.gradientNorms().map { ($0.name.rawValue, $0.norm) })
            XCTAssertEqual(Set(norms.keys), Set(expectedNorms.keys), name)
            // no_ssim's gradient is a sum of sign(target − prediction) terms: torch's own float32 and
            // float64 network norms differ by 2.7% (encoder) and 3.7% (depth) (variants.json under
            // Tests/Fixtures/training), so 5e-2 there; 1e-2 elsewhere.
            let tolerance = name == "no_ssim" ? 5e-2 : 1e-2
            for (network, expected) in expectedNorms {
                assertRelative(Float(norms[network] ?? 0), expected, tolerance, "\(name) grad norm \(network)")
            }
        }
    }

    /// after_adam/ (modern torch) and after_adam_torch041/ from our own gradients: every element
    /// within 2.01e-4 and ≥ 95% within 1e-6 (README end-to-end criterion). The 0.4.1 rule's
    /// effective eps is 31.6× smaller, so near-zero gradients move the update more: torch's own
    /// float64 step lands only 88.5% within 1e-6 of after_adam_torch041 on layer4.1.bn2.weight
    /// (95.3–100% elsewhere; measured with the original trainer, see Tests/Fixtures/training/README.md),
    /// hence 85% there.
    func testAdamStepEndToEnd() throws {
        let batch = try LossFixture.inputs()
        for (rule, folder, fraction) in [(AdamRule.modern, "after_adam", 0.95), (.torch041, "after_adam_torch041", 0.85)] {
            let step = LossFixture.step(LossFixture.configuration(), adamRule: rule)
            step.train(batch)
            for (network, key) in Self.selected {
                let actual = try parameter(step.models, network, key).value.scalars()
                let expected = try LossFixture.tensor("\(folder)/\(network)__\(key)").scalars()
                XCTAssertEqual(actual.count, expected.count)
                let diffs = zip(actual, expected).map { abs($0.0 - $0.1) }
                let within = Double(diffs.filter { $0 <= 1e-6 }.count) / Double(diffs.count)
                if ProcessInfo.processInfo.environment["MD2_PRINT_ERRORS"] == "1" {
                    print("[error] \(folder)/\(network)__\(key): max \(diffs.max()!), within 1e-6: \(within)")
                }
                XCTAssertLessThanOrEqual(diffs.max()!, 2.01e-4, "\(folder)/\(network)__\(key)")
                XCTAssertGreaterThanOrEqual(within, fraction, "\(folder)/\(network)__\(key)")
            }
        }
    }
}
