/// The train and validation lists of a `FolderLayout`, generated from its folders (the original
/// expects hand-made split files): every frame whose neighbours exist for all frame offsets (times
/// `--frame_stride`) is usable; every `valEvery`-th usable frame of a sequence goes to validation,
/// the rest to training. Lines come for the left camera, and for the right one too when the
/// sequence has `right/` (like eigen_full's l and r lines).
public struct FolderSplit: Sendable, Equatable {
    public var train: [String] = []
    public var validation: [String] = []

    /// Throws naming the sequence folder when a sequence is too short for the frame offsets.
    public init(layout: FolderLayout, frameOffsets: [Int], valEvery: Int) throws(KITTIDataError) {
        guard valEvery >= 2 else { throw .invalidArgument("--val_every must be at least 2, not \(valEvery)") }
        let low = (frameOffsets.min() ?? 0) * layout.frameStride
        let high = (frameOffsets.max() ?? 0) * layout.frameStride
        for sequence in layout.sequences {
            let usable = Array(max(0, -low)..<max(max(0, -low), sequence.frames.count - max(0, high)))
            guard !usable.isEmpty else {
                let needed = high - low + 1
                throw .malformedFile(path: layout.dataPath.appendingPathComponent(sequence.name).path,
                                     problem: "the sequence has \(sequence.frames.count) frame\(sequence.frames.count == 1 ? "" : "s"); "
                                        + "frame ids \(frameOffsets.map(String.init).joined(separator: " ")) with --frame_stride "
                                        + "\(layout.frameStride) need at least \(needed)")
            }
            let sides = sequence.rightFrames == nil ? ["l"] : ["l", "r"]
            for (position, frame) in usable.enumerated() {
                let lines = sides.map { "\(sequence.name) \(frame) \($0)" }
                if position % valEvery == valEvery / 2 { validation += lines } else { train += lines }
            }
        }
        // Keep a validation frame when the sequences are too short to give one.
        if validation.isEmpty && train.count >= 2 {
            validation = [train.removeLast()]
        }
    }

    /// Lines with 1-based numbers, as `KITTIDatasetConfig` takes them.
    public static func numbered(_ lines: [String]) -> [(number: Int, text: String)] {
        lines.enumerated().map { ($0.offset + 1, $0.element) }
    }
}
