import Foundation
import KITTIData
import Networks
import TensorBoard
import TensorCore

/// The real `TrainerSink`: the original's stdout lines and the progress bar (`TrainingConsole`),
/// TensorBoard events in `log_dir/model_name/{train,val}` (trainer.py `log`), and the weights folders.
public final class MonodepthTrainerSink: TrainerSink {
    public typealias Batch = KITTIData.Batch
    public typealias Outputs = StepOutputs

    public let console: TrainingConsole
    public let writers: [TrainerMode: EventFileWriter]
    public let folders: WeightsFolders
    public let models: MonodepthModels
    public let optimizer: Adam
    public let encoderMetadata: EncoderMetadata
    let batchSize: Int
    let totalSteps: Int
    let scales: [Int]
    let frames: [FrameID]
    let predictiveMask: Bool
    let automasking: Bool

    public init(console: TrainingConsole, logPath: URL, models: MonodepthModels, optimizer: Adam,
                configuration: StepConfiguration, totalSteps: Int) throws {
        self.console = console
        writers = [.train: try EventFileWriter(directory: logPath.appendingPathComponent("train")),
                   .val: try EventFileWriter(directory: logPath.appendingPathComponent("val"))]
        folders = WeightsFolders(logPath: logPath)
        self.models = models
        self.optimizer = optimizer
        encoderMetadata = EncoderMetadata(height: configuration.height, width: configuration.width,
                                          useStereo: configuration.useStereo)
        batchSize = configuration.batchSize
        self.totalSteps = totalSteps
        scales = configuration.scales
        frames = configuration.frames
        predictiveMask = configuration.predictiveMask
        automasking = !configuration.disableAutomasking
    }

    public func epochStarted(_ epoch: Int, learningRate: Double) { console.print("Training") }

    public func batchFinished(epoch: Int, batchIndex: Int, step: Int, loss: Float, duration: Double) {
        console.update(epoch: epoch, batchIndex: batchIndex, step: step, loss: loss)
    }

    public func timeLine(_ timing: LoggedBatchTiming) {
        console.print(TimeLine.line(epoch: timing.epoch, batchIndex: timing.batchIndex, batchSize: batchSize,
                                    batchDuration: timing.duration, loss: timing.loss, elapsed: timing.elapsed,
                                    step: timing.step, totalSteps: totalSteps))
    }

    /// trainer.py `log`: every `losses` entry as a scalar, then for j < min(4, B) the images.
    public func log(_ mode: TrainerMode, step: Int, batch: Batch, report: TrainerStepReport<StepOutputs>) throws {
        guard let writer = writers[mode] else { return }
        for (name, value) in report.scalars { try writer.addScalar(name, Double(value), step: step) }
        for j in 0..<min(4, batch.count) {
            for s in scales {
                for f in frames {
                    try writer.addImage("color_\(f)_\(s)/\(j)", ImageLog.item(batch.color(f, scale: s), j), step: step)
                    if s == 0 && f != .offset(0), let warped = report.outputs.warped[f] {
                        try writer.addImage("color_pred_\(f)_\(s)/\(j)", ImageLog.item(warped, j), step: step)
                    }
                }
                if let disparity = report.outputs.disparities[s] {
                    try writer.addImage("disp_\(s)/\(j)", ImageLog.item(disparity, j, normalized: true), step: step)
                }
                if predictiveMask, let mask = report.outputs.predictiveMasks[s] {
                    for (index, f) in frames.dropFirst().enumerated() {
                        try writer.addImage("predictive_mask_\(f)_\(s)/\(j)", ImageLog.item(mask, j, channel: index), step: step)
                    }
                } else if automasking, let selection = report.outputs.identitySelection[s] {
                    try writer.addImage("automask_\(s)/\(j)", ImageLog.item(selection, j), step: step)
                }
            }
        }
    }

    public func validationPassFinished(epoch: Int, step: Int, meanLoss: Double, improved: Bool) throws {
        let best = improved ? " (best so far: writing " + folders.url(.best).path + ")" : ""
        console.print("epoch " + String(repeating: " ", count: max(0, 3 - String(epoch).count)) + "\(epoch) | validation loss: "
                      + String(format: "%.5f", meanLoss) + best)
        try writers[.val]?.addScalar("val_pass/loss", meanLoss, step: step)
    }

    public func saveWeights(epoch: Int, state: TrainerState) throws -> URL {
        try folders.save(snapshot(state), as: .epoch(epoch))
    }

    public func saveBestWeights(epoch: Int, state: TrainerState) throws -> URL {
        try folders.save(snapshot(state), as: .best)
    }

    public func close() {
        console.finish()
        for writer in writers.values { writer.close() }
    }

    private func snapshot(_ state: TrainerState) -> TrainingSnapshot {
        TrainingSnapshot(models: models.named, encoderMetadata: encoderMetadata, optimizer: optimizer, state: state)
    }
}

/// Images of a logged batch as `add_image` receives them: item j of a (B, C, H, W) or (B, H, W) tensor.
enum ImageLog {
    /// Item `j` (one `channel`, or all channels when nil) as a summary image; min-max normalised
    /// when asked (`normalize_image`).
    static func item(_ tensor: Tensor, _ j: Int, channel: Int? = nil, normalized: Bool = false) throws -> SummaryImage {
        let shape = tensor.shape
        let (channels, height, width) = shape.count == 3 ? (1, shape[1], shape[2]) : (shape[1], shape[2], shape[3])
        let plane = height * width
        let all = tensor.scalars()
        var values: [Float]
        if let channel {
            let start = (j * channels + channel) * plane
            values = Array(all[start..<(start + plane)])
        } else {
            let start = j * channels * plane
            values = Array(all[start..<(start + channels * plane)])
        }
        if normalized { values = SummaryImage.minMaxNormalized(values) }
        return try SummaryImage(chw: values, channels: channel == nil ? channels : 1, height: height, width: width)
    }
}
