import Foundation

/// A model checkpoint as Monodepth2 saves it: the `state_dict()` tensors in order, plus the non-tensor
/// extras `Trainer.save_model` appends to `encoder.pth` (`height`, `width`, `use_stereo`).
public struct StateDict: Sendable {
    public var tensors: [(key: String, array: NDArray)]
    public var extras: [(key: String, value: CheckpointValue)]

    public init(tensors: [(key: String, array: NDArray)] = [], extras: [(key: String, value: CheckpointValue)] = []) {
        self.tensors = tensors
        self.extras = extras
    }

    /// Splits a top-level dict / OrderedDict with string keys into tensors and extras (order kept).
    public init(_ value: CheckpointValue, file: String = "<checkpoint>") throws(ArrayIOError) {
        guard let entries = value.entries else { throw ArrayIOError(file: file, "checkpoint is not a dict of tensors") }
        self.init()
        for entry in entries {
            guard case .string(let key) = entry.key else {
                throw ArrayIOError(file: file, "checkpoint key \(entry.key) is not a string (not a state_dict)")
            }
            if case .tensor(let tensor) = entry.value {
                tensors.append((key, tensor.array))
            } else {
                extras.append((key, entry.value))
            }
        }
    }

    /// Reads a `.pth` state dict (either torch.save format).
    public static func read(contentsOf url: URL) throws(ArrayIOError) -> StateDict {
        try StateDict(TorchCheckpoint.read(contentsOf: url), file: url.path)
    }

    /// Writes an OrderedDict of the tensors then the extras, in the zip format, atomically.
    public func write(to url: URL) throws(ArrayIOError) {
        try TorchCheckpoint.write(checkpointValue, to: url)
    }

    /// The OrderedDict `torch.save` would be given.
    public var checkpointValue: CheckpointValue {
        .orderedDict(tensors.map { CheckpointEntry($0.key, .array($0.array)) } + extras.map { CheckpointEntry($0.key, $0.value) })
    }

    /// Tensor keys in order.
    public var keys: [String] { tensors.map(\.key) }

    /// The tensor stored under `key`.
    public subscript(key: String) -> NDArray? { tensors.first { $0.key == key }?.array }

    /// A non-tensor entry (e.g. `height`).
    public func extra(_ key: String) -> CheckpointValue? { extras.first { $0.key == key }?.value }
}
