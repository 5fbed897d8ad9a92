/// The Monodepth2 split lists of a world (`splits/synthetic/{train,val,test}_files.txt`).
///
/// Rule: with two or more drives the last drive is the test drive, never trained on; with one
/// drive its last fifth is. Test lines use the eigen test format (`folder 0000000042 l`), every
/// `testStride`-th frame so the list stays near 100 entries. Training frames need both
/// neighbours (frames -1 and +1), so the first and last frame of each training range are left
/// out; every 10th of the rest (at least one frame) goes to validation. Training and validation lines come for both
/// cameras (`l` and `r`), like eigen_full.
struct SplitPlan: Equatable {
    var train: [String] = []
    var validation: [String] = []
    var test: [String] = []

    init(drives: Int, frames: Int) {
        let trainingDrives = drives >= 2 ? Array(1..<drives) : [1]
        let trainingEnd = drives >= 2 ? frames : frames - max(1, frames / 5) - 1
        for drive in trainingDrives {
            let folder = WorldLayout.driveFolder(drive)
            guard trainingEnd >= 3 else { continue }
            for frame in 1..<(trainingEnd - 1) {
                let lines = ["\(folder) \(frame) l", "\(folder) \(frame) r"]
                if frame % 10 == 5 { validation += lines } else { train += lines }
            }
        }
        // Keep at least one validation frame when the drives are short.
        if validation.isEmpty && train.count >= 4 {
            validation = Array(train.suffix(2))
            train.removeLast(2)
        }
        let testDrive = drives >= 2 ? drives : 1
        let testStart = drives >= 2 ? 0 : frames - max(1, frames / 5)
        let testCount = frames - testStart
        let stride = max(1, testCount / 100)
        for frame in Swift.stride(from: testStart, to: frames, by: stride) {
            test.append("\(WorldLayout.driveFolder(testDrive)) \(WorldLayout.frameName(frame)) l")
        }
    }

    func write(to layout: WorldLayout) throws(SynthError) {
        try WorldFiles.createDirectory(layout.splitDirectory)
        try WorldFiles.write(train.map { $0 + "\n" }.joined(), to: layout.trainList)
        try WorldFiles.write(validation.map { $0 + "\n" }.joined(), to: layout.validationList)
        try WorldFiles.write(test.map { $0 + "\n" }.joined(), to: layout.testList)
    }
}
