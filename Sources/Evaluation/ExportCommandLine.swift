import CommandLineKit
import Foundation
import KITTIData

extension GroundTruthSplit: FlagValue {}

/// The command line of `export-gt` (export_gt_depth.py's `--data_path`, `--split`, plus
/// `--split_file` and `--output`).
public struct ExportCommandLine {
    public private(set) var flags = FlagSet(program: "export-gt", overview: """
        Exports KITTI ground-truth depth maps for a test split like export_gt_depth.py: eigen projects \
        the velodyne scans (generate_depth_map, camera 2, LiDAR forward distance), eigen_benchmark reads \
        the annotated proj_depth/groundtruth/image_02 PNGs (/256). Writes gt_depths.npz beside the test \
        list, where evaluate reads it. --split synthetic (ours) projects the synthetic world's scans like \
        eigen, from <data_path>/splits/synthetic/test_files.txt.
        """)
    let dataPath: Flag<String>
    let split: Flag<GroundTruthSplit>
    let splitFile, output: Flag<String?>

    public init() {
        dataPath = flags.requiredOption("data_path", type: String.self, help: "path to the root of the KITTI data")
        split = flags.requiredOption("split", type: GroundTruthSplit.self, help: "which split to export gt from")
        splitFile = flags.optionalOption("split_file", type: String.self,
                                         help: "test list to read instead of splits/<split>/test_files.txt")
        output = flags.optionalOption("output", type: String.self,
                                      help: "where to write gt_depths.npz (default: beside the test list)")
    }

    public func parse(_ arguments: [String]) throws(CommandLineError) -> (dataPath: String, split: GroundTruthSplit, splitFile: String?, output: String?) {
        let parsed = try flags.parse(arguments)
        return (parsed[dataPath], parsed[split], parsed[splitFile], parsed[output])
    }
}
