import Foundation
import KITTIData
import Kernels

/// `--eval_split benchmark`: no ground truth, so evaluate writes KITTI benchmark submissions
/// (`evaluate_depth.py evaluate`, its `eval_split == "benchmark"` branch): each disparity resized
/// (cv2 linear) to 1216x352, depth = 5.4 / disp
/// (for mono models too), clipped to [0, 80], `uint16(depth * 256)` as a 16-bit PNG
/// `<load_weights_folder>/benchmark_predictions/{i:010d}.png`.
enum BenchmarkPredictions {
    static let width = 1216
    static let height = 352

    static func save(_ disparities: Disparities, run: EvaluationRun) throws {
        guard let folder = run.options.expandedWeightsFolder else {
            throw EvaluationError.invalidOptions("--eval_split benchmark needs --load_weights_folder (where the PNGs go)")
        }
        let directory = URL(fileURLWithPath: folder).appendingPathComponent("benchmark_predictions")
        run.print("-> Saving out benchmark predictions to \(directory.path)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EvaluationError.missingFile(path: directory.path, what: "output folder (cannot create it)")
        }
        switch disparities {
        case .float32(let stack): try write(stack, to: directory, progress: run.progressReporter("saving"))
        case .float64(let stack): try write(stack, to: directory, progress: run.progressReporter("saving"))
        }
        run.print("-> No ground truth is available for the KITTI benchmark, so not evaluating. Done.")
    }

    static func write<T: NumpyFloat>(_ stack: MapStack<T>, to directory: URL,
                                     progress: (@Sendable (Int, Int) -> Void)?) throws {
        _ = try Parallel.map(stack.count, on: .dispatch, progress: progress) { (index) throws(EvaluationError) in
            let plane = Array(stack.values[(index * stack.planeSize)..<((index + 1) * stack.planeSize)])
            let samples = encode(T.linearResize(plane, width: stack.width, height: stack.height,
                                                     toWidth: width, toHeight: height))
            let url = directory.appendingPathComponent(KITTILayout.padded(index, 10) + ".png")
            try EvaluationError.converting { () throws(KITTIDataError) in
                try DepthPNG.write(samples, width: width, height: height, to: url)
            }
        }
    }

    /// `np.uint16(np.clip(5.4 / disp, 0, 80) * 256)` in the disparity's type (truncation; NaN -> 0).
    static func encode<T: NumpyFloat>(_ disparity: [T]) -> [UInt16] {
        let factor = T(DepthEvaluator.stereoScaleFactor), maxDepth = T(DepthEvaluator.maxDepth)
        return disparity.map { value in
            let depth = min(max(factor / value, 0), maxDepth) * 256
            return depth.isNaN ? 0 : UInt16(depth.rounded(.towardZero))
        }
    }
}
