import CommandLineKit

// The options of options.py that have choices, as enums whose raw values are the original spellings.

/// `--split`: the training split, read from `splits/<split>/{train,val}_files.txt`.
public enum TrainSplit: String, CaseIterable, Sendable, FlagValue {
    case eigenZhou = "eigen_zhou"
    case eigenFull = "eigen_full"
    case odom
    case benchmark
    /// Extension of ours: the synthetic world, whose split lives in `<data_path>/splits/synthetic`.
    case synthetic
}

/// `--eval_split`: the evaluation split; `odom_9` / `odom_10` select the pose evaluation.
public enum EvalSplit: String, CaseIterable, Sendable, FlagValue {
    case eigen
    case eigenBenchmark = "eigen_benchmark"
    case benchmark
    case odom9 = "odom_9"
    case odom10 = "odom_10"
    /// Extension of ours: the synthetic world's test split (`<data_path>/splits/synthetic`).
    case synthetic

    /// The odometry sequence for pose evaluation (9 or 10), nil for depth splits.
    public var odometrySequence: Int? {
        switch self {
        case .odom9: return 9
        case .odom10: return 10
        default: return nil
        }
    }
}

/// `--dataset`. The original trainer wires only `kitti` (KITTIRAWDataset) and `kitti_odom`.
public enum DatasetName: String, CaseIterable, Sendable, FlagValue {
    case kitti
    case kittiOdom = "kitti_odom"
    case kittiDepth = "kitti_depth"
    case kittiTest = "kitti_test"
    /// Extension of ours: your own frames, one subfolder per sequence with a `cam.txt` (`FolderLayout`);
    /// the train and validation lists are generated from the folders.
    case folder
}

/// `--weights_init`: ImageNet-pretrained ResNets or random initialisation.
public enum WeightsInit: String, CaseIterable, Sendable, FlagValue {
    case pretrained
    case scratch
}

/// `--pose_model_input`: the pose network sees frame pairs, or all frames at once.
public enum PoseModelInput: String, CaseIterable, Sendable, FlagValue {
    case pairs
    case all
}

/// `--pose_model_type`.
public enum PoseModelType: String, CaseIterable, Sendable, FlagValue {
    case posecnn
    case separateResnet = "separate_resnet"
    case shared
}

/// One entry of `--models_to_load`: a network of the trainer's `models` dict, loaded from `<name>.pth`.
/// The original takes any string and fails with a KeyError at load time; here an unknown name is a
/// parse error naming the flag.
public enum ModelName: String, CaseIterable, Sendable, FlagValue {
    case encoder
    case depth
    case poseEncoder = "pose_encoder"
    case pose
    case predictiveMask = "predictive_mask"
}

/// A frame of a training sample: an integer offset from the target frame (0, -1, 1, ...) or the
/// other camera of the stereo pair (`"s"`, appended under `--use_stereo`).
public enum FrameID: Hashable, Sendable, CustomStringConvertible {
    case offset(Int)
    case stereo

    /// `0`, `-1`, `s`: the spelling of the original's dictionary keys and opt.json.
    public var description: String {
        switch self {
        case .offset(let value): return String(value)
        case .stereo: return "s"
        }
    }

    /// The integer offset, nil for the stereo frame.
    public var offset: Int? {
        if case .offset(let value) = self { return value }
        return nil
    }
}
