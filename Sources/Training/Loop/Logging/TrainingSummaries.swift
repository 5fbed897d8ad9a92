import Foundation
import KITTIData
import TensorBoard
import TensorCore

/// The original's trainer.py `Trainer.log(mode, inputs, outputs, losses)`: TensorBoard
/// events in `log_dir/model_name/{train,val}`, with every `losses` entry as a scalar and, for
/// j < min(4, B) and each scale, the images `color_{f}_{s}/{j}` (every frame),
/// `color_pred_{f}_0/{j}` (sources, scale 0), `disp_{s}/{j}` (min–max normalised), and
/// `predictive_mask_{f}_{s}/{j}` or `automask_{s}/{j}`, in the original's order.
///
/// ```swift
/// let summaries = try TrainingSummaries(logPath: logPath)          // at trainer construction
/// try summaries.log(.train, batch: batch, result: result, metrics: depthMetrics,
///                   configuration: configuration, step: step)
/// ```
public final class TrainingSummaries {
    private let writers: [TrainerMode: EventFileWriter]

    /// Creates `logPath/train` and `logPath/val`, each with a new events file.
    public init(logPath: URL, hostname: String = EventFileWriter.hostname(),
                wallClock: @escaping @Sendable () -> Double = EventFileWriter.currentTime) throws(TensorBoardError) {
        var writers: [TrainerMode: EventFileWriter] = [:]
        for mode in TrainerMode.allCases {
            writers[mode] = try EventFileWriter(directory: logPath.appendingPathComponent(mode.rawValue),
                                                hostname: hostname, wallClock: wallClock)
        }
        self.writers = writers
    }

    /// The events file of `mode`.
    public func url(_ mode: TrainerMode) -> URL? { writers[mode]?.url }

    /// One scalar in `mode`'s run.
    public func addScalar(_ mode: TrainerMode, _ tag: String, _ value: Double, step: Int) throws {
        try writers[mode]?.addScalar(tag, value, step: step)
    }

    /// Logs one batch. `metrics` are the depth metrics (`de/abs_rel`, …) when the batch had
    /// ground truth; they follow the losses as in the original's `losses` dictionary.
    public func log(_ mode: TrainerMode, batch: Batch, result: StepResult,
                    metrics: [(name: String, value: Double)] = [],
                    configuration c: StepConfiguration, step: Int) throws(TensorBoardError) {
        guard let writer = writers[mode] else { return }
        // compute_losses fills loss/0 … loss/3, then loss; compute_depth_losses appends the metrics.
        let losses = result.losses
        for (scale, value) in zip(losses.scales, losses.perScale) {
            try writer.addScalar("loss/\(scale)", Double(value), step: step)
        }
        try writer.addScalar("loss", Double(losses.total), step: step)
        for (name, value) in metrics { try writer.addScalar(name, value, step: step) }

        let shown = min(4, batch.count)
        guard shown > 0 else { return }
        let outputs = result.outputs
        // One host transfer per tensor (keyed by what it is); images are slices of it.
        var hostCache: [String: [Float]] = [:]
        func image(_ name: String, _ tensor: Tensor, item j: Int, channel: Int? = nil, normalize: Bool = false) throws(TensorBoardError) -> SummaryImage {
            let values = hostCache[name] ?? tensor.scalars()
            hostCache[name] = values
            let shape = tensor.shape
            let height = shape[shape.count - 2], width = shape[shape.count - 1]
            let plane = height * width
            let perItem = values.count / shape[0]
            var channels = shape.count == 4 ? shape[1] : 1
            var start = j * perItem
            if let channel {
                start += channel * plane
                channels = 1
            }
            var slice = Array(values[start..<start + channels * plane])
            if normalize { slice = SummaryImage.minMaxNormalized(slice) }
            return try SummaryImage(chw: slice, channels: channels, height: height, width: width)
        }
        for j in 0..<shown {
            for s in c.scales {
                for frame in c.frames {
                    try writer.addImage("color_\(frame)_\(s)/\(j)", image("color \(frame) \(s)", batch.color(frame, scale: s), item: j), step: step)
                    if s == 0, frame != .offset(0), let warped = outputs.warped[frame] {
                        try writer.addImage("color_pred_\(frame)_\(s)/\(j)", image("warped \(frame)", warped, item: j), step: step)
                    }
                }
                if let disparity = outputs.disparities[s] {
                    try writer.addImage("disp_\(s)/\(j)", image("disp \(s)", disparity, item: j, normalize: true), step: step)
                }
                if c.predictiveMask {
                    if let mask = outputs.predictiveMasks[s] {
                        for (index, frame) in c.sourceFrames.enumerated() {
                            try writer.addImage("predictive_mask_\(frame)_\(s)/\(j)", image("mask \(s)", mask, item: j, channel: index), step: step)
                        }
                    }
                } else if !c.disableAutomasking, let selection = outputs.identitySelection[s] {
                    try writer.addImage("automask_\(s)/\(j)", image("automask \(s)", selection, item: j), step: step)
                }
            }
        }
    }

    /// Closes both files.
    public func close() {
        for writer in writers.values { writer.close() }
    }
}
