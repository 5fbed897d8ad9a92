import Foundation
import KITTIData
import Kernels
import Networks
import ParityWeights
import TensorCore
@testable import Training
import XCTest

/// Opt-in timing of the full mono+stereo training step (forward, backward, Adam) on random images
/// with formula weights, phase by phase, for profiling (`perf record`) and memory work.
///   MD2_STEP_PROFILE=64x192x12 swift test -c release --filter StepProfileTests
/// (HxWxB[xSTEPS]; one size per process, so peak RSS belongs to it). Prints one JSON line.
final class StepProfileTests: XCTestCase {
    func testProfileStep() throws {
        guard let spec = ProcessInfo.processInfo.environment["MD2_STEP_PROFILE"] else {
            throw XCTSkip("set MD2_STEP_PROFILE=HxWxB[xSTEPS] to time the training step")
        }
        let parts = spec.split(separator: "x").compactMap { Int($0) }
        let (height, width, batch) = (parts[0], parts[1], parts[2])
        let steps = parts.count > 3 ? parts[3] : 5
        let config = StepConfiguration(height: height, width: width, batchSize: batch, frameOffsets: [0, -1, 1], useStereo: true)
        let models = MonodepthModels(configuration: config.modelSet, initialisation: .placeholder)
        for (_, module) in models.named { FormulaWeights.fill(module) }
        let step = MonodepthStep(configuration: config, models: models)
        let batchData = Self.randomBatch(config)
        let backend = CPUBackend.shared
        let rssBefore = Self.peakRSSMegabytes()

        var forward: [Double] = [], backward: [Double] = [], adam: [Double] = [], total: [Double] = []
        var peakLive = 0, liveAfterForward = 0, peakForward = 0, liveAfterPredict = 0, liveAtStart = 0
        for i in 0..<(steps + 1) {
            backend.resetPeakMemory()
            let t0 = Self.now()
            models.train()
            step.optimizer.zeroGradients()
            let tape = Tape()
            tape.watch(step.optimizer.parameters)
            liveAtStart = backend.memoryStatistics.liveBytes
            let predictions = step.predict(batchData)
            liveAfterPredict = backend.memoryStatistics.liveBytes
            let (loss, _) = step.objective(batchData, predictions: predictions)
            let t1 = Self.now()
            liveAfterForward = backend.memoryStatistics.liveBytes
            peakForward = backend.memoryStatistics.peakLiveBytes
            tape.backward(loss)
            let t2 = Self.now()
            step.optimizer.step()
            let t3 = Self.now()
            peakLive = max(peakLive, backend.memoryStatistics.peakLiveBytes)
            if i == 0 { continue }   // warm-up
            forward.append(t1 - t0); backward.append(t2 - t1); adam.append(t3 - t2); total.append(t3 - t0)
        }
        func median(_ v: [Double]) -> String { String(format: "%.4f", v.sorted()[v.count / 2]) }
        print("{\"workload\": \"\(height)x\(width) b\(batch)\", \"median_s\": \(median(total)), \"min_s\": \(String(format: "%.4f", total.min()!)), "
              + "\"forward_s\": \(median(forward)), \"backward_s\": \(median(backward)), \"adam_s\": \(median(adam)), "
              + "\"peak_rss_mb\": \(String(format: "%.1f", Self.peakRSSMegabytes())), \"rss_before_mb\": \(String(format: "%.1f", rssBefore)), "
              + "\"peak_live_mb\": \(String(format: "%.1f", Double(peakLive) / 1048576)), "
              + "\"peak_live_forward_mb\": \(String(format: "%.1f", Double(peakForward) / 1048576)), "
              + "\"live_at_start_mb\": \(String(format: "%.1f", Double(liveAtStart) / 1048576)), "
              + "\"live_after_networks_mb\": \(String(format: "%.1f", Double(liveAfterPredict) / 1048576)), "
              + "\"live_after_forward_mb\": \(String(format: "%.1f", Double(liveAfterForward) / 1048576)), \"threads\": \(Parallel.threadCount)}")
    }

    /// Uniform images for frames 0, −1, 1, s at four scales; KITTI intrinsics; a 0.1 stereo baseline.
    static func randomBatch(_ c: StepConfiguration) -> Batch {
        var rng = RandomGenerator(seed: 11)
        var color: [FrameID: [Tensor]] = [:]
        for f in c.frames {
            color[f] = (0..<4).map { s in
                Tensor.uniform([c.batchSize, 3, c.height >> s, c.width >> s], generator: &rng)
            }
        }
        var k: [Tensor] = [], invK: [Tensor] = []
        for s in 0..<4 {
            let fx = Float(0.58 * Double(c.width >> s)), fy = Float(1.92 * Double(c.height >> s))
            let cx = Float(0.5 * Double(c.width >> s)), cy = Float(0.5 * Double(c.height >> s))
            let m: [Float] = [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0, 0, 0, 0, 1]
            let inv: [Float] = [1 / fx, 0, -cx / fx, 0, 0, 1 / fy, -cy / fy, 0, 0, 0, 1, 0, 0, 0, 0, 1]
            k.append(Tensor(shape: [1, 4, 4], scalars: m).expanded(to: [c.batchSize, 4, 4]).contiguous())
            invK.append(Tensor(shape: [1, 4, 4], scalars: inv).expanded(to: [c.batchSize, 4, 4]).contiguous())
        }
        let stereo = Tensor(shape: [1, 4, 4], scalars: [1, 0, 0, -0.1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
            .expanded(to: [c.batchSize, 4, 4]).contiguous()
        return Batch(color: color, K: k, invK: invK, stereoT: stereo)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
