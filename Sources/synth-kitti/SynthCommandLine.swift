import CommandLineKit
import Synth

/// The command line of `synth-kitti`.
struct SynthCommandLine {
    var flags = FlagSet(program: "synth-kitti", overview: """
        Generates a synthetic street in the KITTI raw layout: stereo JPEGs (image_02, image_03), \
        velodyne scans, true depth maps (depth_true_02/03, .npy metres, 0 = sky), poses.txt per drive, \
        KITTI calibration files, and the split lists splits/synthetic/{train,val,test}_files.txt with \
        the test split's gt_depths.npz (export-gt's eigen ground truth). Use it with \
        --data_path DIR --split synthetic (train) or --data_path DIR --eval_split synthetic (evaluate). \
        The same seed gives the same bytes.
        """)
    let out: Flag<String>
    let drives, frames, seed, width, height: Flag<Int>
    let movingObjects, folderLayout: Flag<Bool>
    let focalPercent: Flag<Int>

    init() {
        out = flags.requiredOption("out", type: String.self, help: "folder to write the world into (the tools' --data_path)")
        drives = flags.option("drives", default: 2, help: "number of drives (streets); with 2 or more the last is the test drive")
        frames = flags.option("frames", default: 200, help: "frames per drive (10 per second of driving, about 1 m apart)")
        seed = flags.option("seed", default: 0, help: "random seed (the world is a pure function of the flags)")
        width = flags.option("width", default: 1242, help: "image width in pixels")
        height = flags.option("height", default: 375, help: "image height in pixels")
        movingObjects = flags.flag("moving_objects", help: "add independently moving vehicles (oncoming traffic, a car ahead)")
        focalPercent = flags.option("focal_percent", default: 100,
                                    help: "the cameras' focal length in percent of KITTI's (0.58 W, 1.92 H): another camera")
        folderLayout = flags.flag("folder_layout", help: "also write the training drives as a folder dataset in OUT/folder "
                                  + "(one sequence per drive: frames, right/, cam.txt) for train --dataset folder")
    }

    func parse(_ arguments: [String]) throws(CommandLineError) -> (out: String, config: SyntheticWorldConfig) {
        let parsed = try flags.parse(arguments)
        let config = SyntheticWorldConfig(drives: parsed[drives], frames: parsed[frames], seed: UInt64(bitPattern: Int64(parsed[seed])),
                                          width: parsed[width], height: parsed[height], movingObjects: parsed[movingObjects],
                                          focalPercent: parsed[focalPercent], folderLayout: parsed[folderLayout])
        do { try config.validate() } catch { throw .usage(error.description) }
        return (parsed[out], config)
    }
}
