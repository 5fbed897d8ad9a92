import Evaluation
import Foundation

// export-gt: export_gt_depth.py. Parses the flags, runs, maps errors to exit codes.
switch ExportOptions.parse(Array(CommandLine.arguments.dropFirst())) {
case .help:
    print(ExportOptions.help, terminator: "")
case .failure(let message):
    FileHandle.standardError.write(Data("export-gt: error: \(message)\n(see export-gt --help)\n".utf8))
    exit(2)
case .options(let options):
    var run = GroundTruthExportRun(dataPath: URL(fileURLWithPath: options.dataPath), split: options.split) { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }
    run.splitFile = options.splitFile.map { URL(fileURLWithPath: $0) }
    run.outputFile = options.output.map { URL(fileURLWithPath: $0) }
    let progress = ProgressLine()
    run.progress = { done, total in progress.update("exporting", done, total) }
    do {
        try run.run()
    } catch {
        FileHandle.standardError.write(Data("export-gt: error: \(error)\n".utf8))
        exit(1)
    }
}
