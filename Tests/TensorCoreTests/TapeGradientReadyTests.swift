import TensorCore
import TestSupport
import XCTest

/// `Tape.backward(parameterGradientReady:)`: each watched parameter is reported once, as soon as
/// its gradient is complete (the data-parallel gradient buckets start summing then), with the
/// gradient the whole pass ends with.
final class TapeGradientReadyTests: XCTestCase {
    func testEachParameterIsReportedOnceWithItsFinalGradient() {
        var rng = RandomGenerator(seed: 7)
        let first = Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, generator: &rng)
        let shared = Conv2d(inChannels: 3, outChannels: 3, kernelSize: 1, generator: &rng)  // used twice
        let unused = Parameter(Tensor.ones([4]))
        let x = Tensor.normal([2, 2, 5, 5], generator: &rng)
        let parameters = first.parameters() + shared.parameters() + [unused]

        // A probe between the layers notes when the backward pass reaches it: the shared layer's
        // gradients must be reported before that (early), not at the end of the pass.
        final class Probe { var ran = false }
        let probe = Probe()
        func probed(_ t: Tensor) -> Tensor {
            Tensor.differentiable("probe", output: t.detached(), inputs: [t]) { g, _ in
                probe.ran = true
                return [g]
            }
        }
        let tape = Tape()
        tape.watch(parameters)
        let loss = (shared(shared(probed(first(x))).relu()) * 0.5).sum()
        var reported: [ObjectIdentifier] = []
        var atReport: [ObjectIdentifier: [Float]] = [:]
        var finishedLayersWhenSharedWasReported: [ObjectIdentifier] = []
        var probeRanWhenSharedWasReported = true
        tape.backward(loss) { p in
            reported.append(ObjectIdentifier(p))
            atReport[ObjectIdentifier(p)] = p.grad?.scalars()
            if p === shared.weight {
                finishedLayersWhenSharedWasReported = reported
                probeRanWhenSharedWasReported = probe.ran
            }
        }
        XCTAssertFalse(probeRanWhenSharedWasReported, "reported while the pass still had the first layer to do")
        XCTAssertEqual(Set(reported), Set(parameters.map(ObjectIdentifier.init)))
        XCTAssertEqual(reported.count, parameters.count, "each parameter once")
        for p in parameters where p !== unused {
            XCTAssertEqual(atReport[ObjectIdentifier(p)], p.grad?.scalars(), "complete when reported")
        }
        XCTAssertNil(unused.grad)
        // The shared 1x1 layer is complete only after both of its uses, and before the first layer.
        XCTAssertFalse(finishedLayersWhenSharedWasReported.contains(ObjectIdentifier(first.weight)))
        XCTAssertLessThan(try XCTUnwrap(reported.firstIndex(of: ObjectIdentifier(shared.weight))),
                          try XCTUnwrap(reported.firstIndex(of: ObjectIdentifier(first.weight))))

        // The same gradients as a backward pass without the callback.
        let again = Tape()
        for p in parameters { p.grad = nil }
        again.watch(parameters)
        again.backward((shared(shared(first(x)).relu()) * 0.5).sum())
        for p in parameters where p !== unused { XCTAssertEqual(atReport[ObjectIdentifier(p)], p.grad?.scalars()) }
    }
}
