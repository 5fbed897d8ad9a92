import Foundation
#if canImport(Glibc)
import Glibc
import Kernels
#endif

/// One usable line of a training split: `folder frame side`, with the image file of every frame id.
public struct DatasetEntry: Sendable, Equatable {
    public var folder: String
    public var frame: Int
    /// `l`, `r`, `2` or `3`.
    public var side: String
    /// `side_map[side]`: 2 (left) or 3 (right).
    public var camera: Int
    /// 1-based line number in the split file.
    public var line: Int
    /// The image of each frame id, in `frameIDs` order.
    public var imagePaths: [String]
    /// Which intrinsics the item uses: its sequence's index in a folder layout, 0 for KITTI (one K).
    public var intrinsicsIndex = 0

    /// The date folder of a raw drive (`folder.split("/")[0]`).
    public var date: String { String(folder.split(separator: "/", omittingEmptySubsequences: false).first ?? "") }
}

/// Parsing a split for training (its lines as `datasets/mono_dataset.py MonoDataset.__getitem__`
/// splits them) and checking, before the first batch, that everything it names exists: all problems
/// are reported at once (the check is ours; the original fails at the first unreadable file).
enum DatasetSplit {
    /// The entries of `config`'s split, or one `invalidSplit` error listing every malformed line and
    /// every missing file (checked in parallel). `depthSource` gives the ground-truth file to check
    /// for an entry, if depth is loaded.
    static func entries(_ config: KITTIDatasetConfig) throws(KITTIDataError) -> [DatasetEntry] {
        guard !config.lines.isEmpty else { throw .invalidArgument("\(config.splitFile): the split has no lines") }
        var problems: [SplitProblem] = []
        var entries: [DatasetEntry] = []
        entries.reserveCapacity(config.lines.count)
        for (number, text) in config.lines {
            switch parse(text, line: number, config: config) {
            case .entry(let entry): entries.append(entry)
            case .problem(let problem): problems.append(problem)
            }
        }
        let paths = entries.map(\.imagePaths)
        let missing = Parallel.map(entries.count, on: .dispatch) { index in paths[index].filter { !fileExists($0) } }
        for (entry, files) in zip(entries, missing) {
            for path in files { problems.append(SplitProblem(line: entry.line, message: "missing image \(path)", path: path)) }
        }
        guard problems.isEmpty else {
            throw .invalidSplit(file: config.splitFile, problems: problems.sorted { $0.line < $1.line })
        }
        return entries
    }

    /// Checks that the ground-truth file of every entry exists.
    static func checkDepthSources(_ entries: [DatasetEntry], splitFile: String,
                                  source: @Sendable (DatasetEntry) -> URL) throws(KITTIDataError) {
        let missing = Parallel.map(entries.count, on: .dispatch) { index -> String? in
            let path = source(entries[index]).path
            return fileExists(path) ? nil : path
        }
        let problems = zip(entries, missing).compactMap { entry, path in
            path.map { SplitProblem(line: entry.line, message: "missing depth ground truth \($0)", path: $0) }
        }
        guard problems.isEmpty else { throw .invalidSplit(file: splitFile, problems: problems) }
    }

    static func parse(_ text: String, line: Int, config: KITTIDatasetConfig) -> ParsedLine {
        func problem(_ reason: String) -> ParsedLine {
            .problem(SplitProblem(line: line, message: "\(reason): \"\(text)\""))
        }
        let tokens = text.split(whereSeparator: \.isWhitespace)
        guard tokens.count == 3 else { return problem("expected 3 fields (folder frame side), found \(tokens.count)") }
        guard let frame = SplitFile.frameIndex(tokens[1]) else {
            return problem("frame index '\(tokens[1])' is not a non-negative integer")
        }
        let folder = String(tokens[0]), side = String(tokens[2])
        guard let camera = SplitEntry(folder: folder, frameIndex: frame, side: side, line: line).camera else {
            return problem("side '\(side)' is not one of l, r, 2, 3")
        }
        let otherCamera: Int?
        switch side { case "l": otherCamera = 3; case "r": otherCamera = 2; default: otherCamera = nil }
        var paths: [String] = []
        for id in config.frameIDs {
            do {
                switch id {
                case .offset(let offset):
                    paths.append(try config.imageURL(folder: folder, frame: frame + offset * config.frameStep, camera: camera).path)
                case .stereo:
                    guard let otherCamera else { return problem("frame id \"s\" needs side l or r, not '\(side)'") }
                    paths.append(try config.imageURL(folder: folder, frame: frame, camera: otherCamera).path)
                }
            } catch {
                return problem(error.description)
            }
        }
        var entry = DatasetEntry(folder: folder, frame: frame, side: side, camera: camera, line: line, imagePaths: paths)
        entry.intrinsicsIndex = config.folder?.sequence(named: folder)?.index ?? 0
        return .entry(entry)
    }

    enum ParsedLine {
        case entry(DatasetEntry)
        case problem(SplitProblem)
    }

    static func fileExists(_ path: String) -> Bool {
        #if canImport(Glibc)
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        #else
        return FileManager.default.fileExists(atPath: path)
        #endif
    }
}
