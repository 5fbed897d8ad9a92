import Evaluation
import Foundation

// evaluate: evaluate_depth.py / evaluate_pose.py. Parses the flags, runs, maps errors to exit codes.
switch EvaluateCommandLine.parse(Array(CommandLine.arguments.dropFirst())) {
case .help(let text):
    print(text, terminator: "")
case .failure(let message):
    FileHandle.standardError.write(Data("evaluate: error: \(message)\n(see evaluate --help)\n".utf8))
    exit(2)
case .options(let options):
    var run = EvaluationRun(options: options) { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }
    let progress = ProgressLine()
    run.progress = { label, done, total in progress.update(label, done, total) }
    do {
        try run.run()
    } catch {
        FileHandle.standardError.write(Data("evaluate: error: \(error)\n".utf8))
        exit(1)
    }
}
