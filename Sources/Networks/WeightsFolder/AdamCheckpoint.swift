import ArrayIO
import Foundation
import TensorCore

/// `adam.pth` (trainer.py `save_model` / `load_model`): a PyTorch optimizer `state_dict()` —
/// `{'state': {index: {'step', 'exp_avg', 'exp_avg_sq'}}, 'param_groups': [{'lr', 'betas', 'eps',
/// 'weight_decay', 'amsgrad', 'params': [0, 1, …]}]}` — so training resumes across the two
/// implementations. Indices are positions in `Adam.parameters` (one group, the trainer's order);
/// parameters that never had a gradient (the unused `encoder.fc.*`) have no state.
extension Adam {
    /// The optimizer state as PyTorch writes it (modern torch: `step` as a 0-d float32 tensor).
    public func checkpointValue() -> CheckpointValue {
        var state: [CheckpointEntry] = []
        for (index, entry) in states.enumerated() {
            guard let entry else { continue }
            state.append(CheckpointEntry(.int(index), .dict([
                CheckpointEntry("step", .array(NDArray(shape: [], floats: [Float(entry.step)]))),
                CheckpointEntry("exp_avg", .array(NDArray(entry.expAvg))),
                CheckpointEntry("exp_avg_sq", .array(NDArray(entry.expAvgSq))),
            ])))
        }
        let group: CheckpointValue = .dict([
            CheckpointEntry("lr", .float(learningRate)),
            CheckpointEntry("betas", .tuple([.float(beta1), .float(beta2)])),
            CheckpointEntry("eps", .float(epsilon)),
            CheckpointEntry("weight_decay", .float(weightDecay)),
            CheckpointEntry("amsgrad", .bool(false)),
            CheckpointEntry("maximize", .bool(false)),
            CheckpointEntry("foreach", .none),
            CheckpointEntry("capturable", .bool(false)),
            CheckpointEntry("differentiable", .bool(false)),
            CheckpointEntry("fused", .none),
            CheckpointEntry("params", .list(parameters.indices.map { .int($0) })),
        ])
        return .dict([CheckpointEntry("state", .dict(state)), CheckpointEntry("param_groups", .list([group]))])
    }

    /// Restores the state written by PyTorch (0.4.1: integer `step`; modern: tensor `step`) or by
    /// `checkpointValue()`. The parameter count and every moment's shape must match.
    public func load(_ value: CheckpointValue, file: String) throws(CheckpointError) {
        func bad(_ problem: String) -> CheckpointError { .badMetadata(file: file, key: "adam", problem: problem) }
        guard let groups = value["param_groups"]?.items, groups.count == 1, let group = groups.first,
              let indices = group["params"]?.items else {
            throw bad("expected one entry in 'param_groups' with a 'params' list")
        }
        guard indices.count == parameters.count else {
            throw bad("'params' lists \(indices.count) parameters, the optimizer has \(parameters.count)")
        }
        guard let stateEntries = value["state"]?.entries else { throw bad("no 'state' dictionary") }
        var restored = [State?](repeating: nil, count: parameters.count)
        for entry in stateEntries {
            guard let index = entry.key.intValue, parameters.indices.contains(index) else {
                throw bad("state key \(entry.key) is not a parameter index below \(parameters.count)")
            }
            let shape = parameters[index].value.shape
            func moment(_ name: String) throws(CheckpointError) -> Tensor {
                guard let array = entry.value[name]?.array, array.elementType == .float32 else {
                    throw bad("state \(index) has no float32 '\(name)'")
                }
                guard array.shape == shape else {
                    throw .shapeMismatch(file: file, key: "state.\(index).\(name)", modelShape: shape, fileShape: array.shape)
                }
                return Tensor(array)
            }
            let step: Int
            if let count = entry.value["step"]?.intValue {
                step = count
            } else if let array = entry.value["step"]?.array, array.count == 1,
                      let first = array.doubleValues().first, first >= 0, first == first.rounded() {
                step = Int(first)
            } else {
                throw bad("state \(index) has no integer 'step'")
            }
            restored[index] = State(step: step, expAvg: try moment("exp_avg"), expAvgSq: try moment("exp_avg_sq"))
        }
        if let rate = group["lr"]?.doubleValue { learningRate = rate }
        states = restored
    }
}

extension WeightsFolder {
    /// Writes `adam.pth` (zip format, atomic).
    public func saveOptimizer(_ adam: Adam) throws(CheckpointError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try TorchCheckpoint.write(adam.checkpointValue(), to: url.appendingPathComponent(Self.optimizerFileName))
        } catch let error as ArrayIOError {
            throw .writeFailed(error)
        } catch {
            throw .writeFailed(ArrayIOError(file: url.path, "cannot create folder (\(error.localizedDescription))"))
        }
    }

    /// Restores `adam.pth` into `adam`.
    public func loadOptimizer(_ adam: Adam) throws(CheckpointError) {
        let file = url.appendingPathComponent(Self.optimizerFileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw .missingFile(file: file.path, hint: "The trainer writes adam.pth beside the model files.")
        }
        let value: CheckpointValue
        do { value = try TorchCheckpoint.read(contentsOf: file) } catch { throw .unreadable(error) }
        try adam.load(value, file: file.path)
    }
}
