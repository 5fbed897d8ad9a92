import CommandLineKit
import Foundation
import Options
import Training

// train: train.py (`trainer.py Trainer`) over the Training library. Every flag of options.py, plus
// --seed, --resume, --disable_best_model and --disable_sync_batchnorm. Under `mpirun -np N` (or
// Slurm's `srun`) the N processes train one data-parallel run.
runMain {
    let options = try MonodepthOptions.parse(
        Array(CommandLine.arguments.dropFirst()), program: "train",
        overview: "Trains Monodepth2 (depth and pose networks) self-supervised on KITTI-layout sequences, "
            + "as the original train.py. Outputs go to --log_dir/--model_name: models/opt.json, "
            + "models/weights_N (and weights_best), TensorBoard events in train/ and val/; one train at a time per "
            + "folder (train.lock). Ctrl-C or SIGTERM stops cleanly and prints the --resume command. Under mpirun -np N "
            + "(or srun) the N processes share every batch of --batch_size (data parallelism over MPI).")
    let run = try DataParallelRun.launched()
    guard run.size > 1 else {
        do {
            try Trainer(options: options).train(stoppingOnSignals: true)
        } catch let TrainerError.interrupted(signal, epoch, step, lastGood) {
            // One line: what was kept, and the exact command that continues the run.
            let error = TrainerError.interrupted(signal: signal, epoch: epoch, step: step, lastGood: lastGood)
            let next = lastGood.map { "; continue with: " + ResumeCommand.line(arguments: CommandLine.arguments, resumeFrom: $0) }
                ?? "; run the same command again to start over"
            FileHandle.standardError.write(Data("train: \(error)\(next)\n".utf8))
            exit(128 + signal)
        }
        return
    }
    do {
        try Trainer(options: options, run: run).train()
        run.communicator.finalize()
    } catch let error as TrainerError {
        // Every rank stops here together (losses, flags and data are the same everywhere).
        if run.isLeader || error.isReportedByEveryRank {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        }
        run.communicator.finalize()
        exit(1)
    } catch {
        // A problem of this rank alone (a file it could not read or write): it ends the whole job.
        FileHandle.standardError.write(Data("error: rank \(run.rank) of \(run.size): \(error)\n".utf8))
        run.communicator.abort(code: 1)
    }
}
