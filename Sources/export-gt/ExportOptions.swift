import Evaluation
import Foundation

// Command line of `export-gt` (export_gt_depth.py). TEMPORARY hand parser, isolated here until
// CommandLineKit lands.

struct ExportOptions {
    var dataPath: String
    var split: GroundTruthSplit
    var splitFile: String?
    var output: String?

    static let help = """
    usage: export-gt --data_path PATH --split {eigen,eigen_benchmark} [--split_file PATH] [--output PATH]

    Exports KITTI ground-truth depth maps for a test split, like export_gt_depth.py.

    options:
      --data_path PATH
          path to the root of the KITTI data (required)
      --split {eigen,eigen_benchmark}
          which split to export gt from (required): eigen projects the velodyne scans
          (generate_depth_map, cam 2, vel_depth=True); eigen_benchmark reads the annotated
          proj_depth/groundtruth/image_02 PNGs (/256)
      --split_file PATH
          test list to read instead of splits/<split>/test_files.txt
      --output PATH
          where to write gt_depths.npz (default: beside the test list, where evaluate reads it)

    """

    enum Outcome {
        case options(ExportOptions)
        case help
        case failure(String)
    }

    static func parse(_ arguments: [String]) -> Outcome {
        var values: [String: String] = [:]
        let names = ["data_path", "split", "split_file", "output"]
        var index = 0
        while index < arguments.count {
            var argument = arguments[index]
            index += 1
            if argument == "-h" || argument == "--help" { return .help }
            guard argument.hasPrefix("--") else { return .failure("unrecognized argument: \(argument)") }
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                inline = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            let name = String(argument.dropFirst(2))
            let matches = names.contains(name) ? [name] : names.filter { $0.hasPrefix(name) }
            guard matches.count == 1 else { return .failure("unrecognized argument: --\(name)") }
            if let inline { values[matches[0]] = inline; continue }
            guard index < arguments.count else { return .failure("--\(matches[0]) expects a value") }
            values[matches[0]] = arguments[index]
            index += 1
        }
        guard let dataPath = values["data_path"], let splitName = values["split"] else {
            return .failure("the following arguments are required: --data_path, --split")
        }
        guard let split = GroundTruthSplit(rawValue: splitName) else {
            return .failure("--split: invalid choice '\(splitName)' (choose from eigen, eigen_benchmark)")
        }
        return .options(ExportOptions(dataPath: dataPath, split: split, splitFile: values["split_file"], output: values["output"]))
    }
}
