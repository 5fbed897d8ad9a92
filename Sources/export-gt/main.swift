import CommandLineKit
import Evaluation
import Foundation

// export-gt: export_gt_depth.py over the Evaluation library.
runMain {
    let options = try ExportCommandLine().parse(Array(CommandLine.arguments.dropFirst()))
    var run = GroundTruthExportRun(dataPath: URL(fileURLWithPath: options.dataPath), split: options.split) {
        FileHandle.standardOutput.write(Data($0.utf8))
    }
    run.splitFile = options.splitFile.map { URL(fileURLWithPath: $0) }
    run.outputFile = options.output.map { URL(fileURLWithPath: $0) }
    let bars = ProgressBars()
    run.progress = { done, total in bars.update("exporting", done, total) }
    try run.run()
}
