import KITTIData
import Kernels
import Layers
import Networks
import TensorCore

/// One Monodepth2 training step (trainer.py `process_batch` → zero_grad → backward → Adam step),
/// and the same forward in evaluation mode without backward (`val()`), for every variant of the
/// original (trainer.py `process_batch`, `generate_images_pred`, `compute_losses`).
///
/// ```swift
/// let models = MonodepthModels(configuration: config.modelSet, initialisation: .scratch(generatorSeed: 1))
/// let step = MonodepthStep(configuration: config, models: models)
/// let result = step.train(batch)                         // forward, backward, Adam
/// print(result.losses.total)
/// let validation = step.validate(valBatch)                // eval mode, no gradients
/// ```
public final class MonodepthStep {
    public let configuration: StepConfiguration
    public let models: MonodepthModels
    public let optimizer: Adam
    /// The source of the automask tie-break noise (seeded; advanced by every forward that draws).
    public var noiseGenerator: RandomGenerator
    /// Data parallelism: this process's share of the batch and the replicas it is summed with; nil
    /// for one process. Set before the first step.
    public var share: BatchShare?
    let backprojectors: [Int: BackprojectDepth]
    let projectors: [Int: Project3D]

    /// - Parameters:
    ///   - adamRule: `.torch041` (what Monodepth2 was trained with: torch 0.4.1 `optim.Adam.step`) or `.modern`.
    ///   - noiseSeed: seed of the tie-break noise generator.
    public init(configuration: StepConfiguration, models: MonodepthModels, adamRule: AdamRule = .torch041,
                noiseSeed: UInt64 = 0) {
        if let problem = configuration.objectiveProblem { preconditionFailure("MonodepthStep: \(problem)") }
        self.configuration = configuration
        self.models = models
        optimizer = Adam(parameters: models.parameters, learningRate: configuration.learningRate, rule: adamRule)
        noiseGenerator = RandomGenerator(seed: noiseSeed)
        let backend = models.encoder.resnet.conv1.weight.value.backend
        var back: [Int: BackprojectDepth] = [:], project: [Int: Project3D] = [:]
        for s in configuration.scales {
            let h = configuration.height >> s, w = configuration.width >> s
            back[s] = BackprojectDepth(height: h, width: w, on: backend)
            project[s] = Project3D(height: h, width: w, on: backend)
        }
        backprojectors = back
        projectors = project
    }

    /// Forward in training mode, backward, one Adam step. Gradients stay in `Parameter.grad` until
    /// the next step (for gradient norms).
    @discardableResult
    public func train(_ batch: Batch) -> StepResult {
        let result = computeGradients(batch)
        optimizer.step()
        return result
    }

    /// Forward in training mode (BatchNorm batch statistics, running statistics updated) and
    /// backward into freshly zeroed `Parameter.grad`, without the optimizer step.
    public func computeGradients(_ batch: Batch) -> StepResult {
        models.train()
        optimizer.zeroGradients()
        let tape = Tape()
        tape.watch(optimizer.parameters)
        let (loss, result) = forward(batch)
        guard let share else {
            tape.backward(loss)
            return result
        }
        // Each replica's loss is the mean over its share; the whole batch's mean is their average,
        // so each replica back-propagates 1/N of its loss and the gradients are summed.
        let seed = Tensor.full(loss.shape, 1 / Double(share.replicas.count), on: loss.backend)
        if let buckets = share.buckets {
            tape.backward(loss, seed: seed, parameterGradientReady: buckets.ready)
            buckets.finish()
        } else {
            tape.backward(loss, seed: seed)
            loss.backend.sumAcrossReplicas(optimizer.parameters.compactMap(\.grad), replicas: share.replicas)
        }
        return result
    }

    /// The same forward in evaluation mode (running statistics), no tape, no update; the models
    /// are back in training mode afterwards (as `val()`).
    public func validate(_ batch: Batch) -> StepResult {
        models.eval()
        defer { models.train() }
        return forward(batch).1
    }

    // MARK: - Forward

    /// Networks, warps and losses; returns the (tracked, when a tape watches the parameters) total
    /// loss and the host-side summary.
    func forward(_ batch: Batch) -> (Tensor, StepResult) {
        objective(batch, predictions: predict(batch))
    }

    /// The networks' part of `process_batch`: disparities, predictive masks, poses.
    public func predict(_ batch: Batch) -> StepPredictions {
        let c = configuration
        precondition(batch.count == c.batchSize && batch.K.count > c.scales.max()!,
                     "MonodepthStep: batch of \(batch.count) with \(batch.K.count) scales for \(c.batchSize)")
        if let problem = c.problem { preconditionFailure("MonodepthStep: \(problem)") }
        // Depth (shared: one encoder pass over every frame, split back per frame).
        var frameFeatures: [FrameID: [Tensor]] = [:]
        let features: [Tensor]
        if c.poseModelType == .shared {
            let all = models.encoder(concat(c.frames.map { batch.colorAug($0, scale: 0) }, axis: 0))
            for (i, f) in c.frames.enumerated() {
                frameFeatures[f] = all.map { $0.narrowed(0, start: i * c.batchSize, length: c.batchSize) }
            }
            features = frameFeatures[.offset(0)]!
        } else {
            features = models.encoder(batch.colorAug(.offset(0), scale: 0))
        }
        let disparities = models.depth(features)
        let masks = models.predictiveMask.map { $0(features) }
        let poses = c.usesPoseNetwork ? predictPoses(batch, frameFeatures: frameFeatures) : PosePredictions()
        return StepPredictions(disparities: disparities, predictiveMasks: masks, poses: poses)
    }

    /// `generate_images_pred` + `compute_losses` from given predictions (differentiable in them):
    /// the total loss and the host-side summary.
    public func objective(_ batch: Batch, predictions: StepPredictions) -> (loss: Tensor, result: StepResult) {
        let c = configuration
        let disparities = predictions.disparities, masks = predictions.predictiveMasks, poses = predictions.poses
        var outputs = StepOutputs()
        for (f, t) in poses.transforms { outputs.cameraTransforms[f] = t.detached() }
        for (f, t) in poses.axisangles { outputs.axisangles[f] = t.detached() }
        for (f, t) in poses.translations { outputs.translations[f] = t.detached() }

        var identityCache: [Int: Tensor] = [:]
        var scaleLosses: [Tensor] = []
        var selectionMeans: [Float] = []
        for s in c.scales {
            let source = c.v1Multiscale ? s : 0
            let disparity = disparities.disparity(scale: s)
            outputs.disparities[s] = disparity.detached()
            let fullDisparity = c.v1Multiscale ? disparity : resizeBilinear(disparity, height: c.height, width: c.width)
            let depth = dispToDepth(fullDisparity, minDepth: c.minDepth, maxDepth: c.maxDepth).depth
            outputs.depths[s] = depth.detached()

            // generate_images_pred
            var warped: [Tensor] = []
            for f in c.sourceFrames {
                let transform = warpTransform(f, batch: batch, poses: poses, depth: depth)
                let points = backprojectors[source]!(depth, inverseIntrinsics: batch.invK[source])
                let grid = projectors[source]!(points, intrinsics: batch.K[source], transform: transform)
                let image = gridSample(batch.color(f, scale: source), grid: grid)
                if s == 0 {
                    outputs.warped[f] = image.detached()
                    outputs.samples[f] = grid.detached()
                }
                warped.append(image)
            }

            // compute_losses
            let target = batch.color(.offset(0), scale: source)
            var reprojection = concat(warped.map { reprojectionLoss($0, target, useSSIM: !c.noSSIM) }, axis: 1)
            var identity: Tensor?
            var loss: Tensor?
            if !c.disableAutomasking {
                let errors = identityCache[source] ?? concat(c.sourceFrames.map {
                    reprojectionLoss(batch.color($0, scale: source), target, useSSIM: !c.noSSIM)
                }, axis: 1)
                identityCache[source] = errors
                identity = c.avgReprojection ? errors.mean(axes: [1], keepingDimensions: true) : errors
            } else if let masks {
                var mask = masks.disparity(scale: s)
                if !c.v1Multiscale { mask = resizeBilinear(mask, height: c.height, width: c.width) }
                outputs.predictiveMasks[s] = mask.detached()
                reprojection = reprojection * mask
                loss = 0.2 * binaryCrossEntropyWithOnes(mask)
            }
            if c.avgReprojection { reprojection = reprojection.mean(axes: [1], keepingDimensions: true) }
            let noise = identity.flatMap { i in c.tieBreakNoise ? tieBreakNoise(i.shape, on: i.backend) : nil }
            let minimum = minimumReprojection(reprojection: reprojection, identity: identity, noise: noise)
            if let selection = minimum.identitySelection {
                outputs.identitySelection[s] = selection
                selectionMeans.append(selection.mean().scalar())
            }
            let photometric = minimum.loss.mean()
            loss = loss.map { $0 + photometric } ?? photometric
            let smooth = smoothnessLoss(disparity: meanNormalisedDisparity(disparity), image: batch.color(.offset(0), scale: s))
            scaleLosses.append(loss! + c.disparitySmoothness * smooth / Float(1 << s))
        }
        var total = scaleLosses[0]
        for l in scaleLosses.dropFirst() { total = total + l }
        total = total / Float(c.scales.count)

        let losses = StepLosses(total: total.scalar(), perScale: scaleLosses.map { $0.scalar() }, scales: c.scales,
                                identitySelectionMean: c.disableAutomasking ? nil : selectionMeans)
        return (total, StepResult(losses: losses, outputs: outputs))
    }

    /// `1e-5 · N(0, 1)`, fresh per element; a replica draws the whole batch's noise (counter-based:
    /// the same numbers one process draws) and keeps its share's rows.
    func tieBreakNoise(_ shape: [Int], on backend: any Backend) -> Tensor {
        guard let share else {
            return Tensor.normal(shape, mean: 0, standardDeviation: 1, generator: &noiseGenerator, on: backend) * 1e-5
        }
        let whole = Tensor.normal([share.total] + shape.dropFirst(), mean: 0, standardDeviation: 1,
                                  generator: &noiseGenerator, on: backend)
        return whole.narrowed(0, start: share.offset, length: shape[0]) * 1e-5
    }

    /// The transform that maps target-camera points into source frame `f`'s camera.
    func warpTransform(_ f: FrameID, batch: Batch, poses: PosePredictions, depth: Tensor) -> Tensor {
        guard case let .offset(offset) = f else {
            guard let t = batch.stereoT else { preconditionFailure("MonodepthStep: stereo frame without stereo_T") }
            return t
        }
        guard configuration.poseModelType == .posecnn else { return poses.transforms[offset]! }
        // PoseCNN: translation scaled by the per-image mean inverse depth of this scale (index 0
        // even with --pose_model_input all, as the original).
        let meanInverseDepth = (1 / depth).mean(axes: [3], keepingDimensions: true).mean(axes: [2], keepingDimensions: true)
        let translation = poses.translations[offset]!.selecting(1, 0) * meanInverseDepth.selecting(1, 0)
        return transformationFromParameters(axisangle: poses.axisangles[offset]!.selecting(1, 0), translation: translation,
                                            invert: offset < 0)
    }
}
