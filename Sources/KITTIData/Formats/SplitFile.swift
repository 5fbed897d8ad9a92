import Foundation

/// One line of a Monodepth2 split list (`splits/<split>/test_files.txt`, read by `utils.py readlines`
/// and split in `datasets/mono_dataset.py MonoDataset.__getitem__`):
/// `"2011_09_26/2011_09_26_drive_0022_sync 473 r"` = folder (relative to data_path), frame
/// index, side.
public struct SplitEntry: Sendable, Equatable {
    /// Folder relative to the data path (a date/drive for raw KITTI, a sequence for odometry,
    /// `image` for the benchmark test list).
    public var folder: String
    /// Frame index (zero padding in the file is irrelevant).
    public var frameIndex: Int
    /// The side token as written (`l`, `r`, `2`, `3`), nil for a line without one.
    public var side: String?
    /// 1-based line number in the file.
    public var line: Int

    public init(folder: String, frameIndex: Int, side: String?, line: Int) {
        self.folder = folder
        self.frameIndex = frameIndex
        self.side = side
        self.line = line
    }

    /// `side_map = {"2": 2, "3": 3, "l": 2, "r": 3}`: the KITTI camera of the side.
    public var camera: Int? {
        switch side {
        case "2", "l": return 2
        case "3", "r": return 3
        default: return nil
        }
    }

    /// The date folder (first path component of `folder`), where the calibration files live.
    public var date: String { String(folder.split(separator: "/", omittingEmptySubsequences: false).first ?? "") }
}

/// Reading split lists (`utils.readlines` + the callers' `line.split()`).
public enum SplitFile {
    /// The non-blank lines of a split list with their 1-based line numbers (`\n`, `\r\n` and
    /// `\r` end lines; blank lines are skipped, where the original would fail on them).
    public static func lines(of url: URL) throws(KITTIDataError) -> [(number: Int, text: String)] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .missingFile(path: url.path, what: "split list")
        }
        return lines(in: text)
    }

    public static func lines(in text: String) -> [(number: Int, text: String)] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var result: [(number: Int, text: String)] = []
        for (offset, line) in normalized.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            result.append((offset + 1, String(line)))
        }
        return result
    }

    /// Parses a test list where every line must be `folder frame side` with a known side
    /// (export_gt_depth.py's `folder, frame_id, _ = line.split()`; evaluate's KITTI loader).
    public static func readEntries(_ url: URL) throws(KITTIDataError) -> [SplitEntry] {
        try parseEntries(lines(of: url), file: url.path)
    }

    public static func parseEntries(_ lines: [(number: Int, text: String)], file: String) throws(KITTIDataError) -> [SplitEntry] {
        var entries: [SplitEntry] = []
        entries.reserveCapacity(lines.count)
        for (number, text) in lines {
            let tokens = text.split(whereSeparator: \.isWhitespace)
            guard tokens.count == 3 else {
                throw .malformedSplitLine(file: file, line: number, text: text,
                                          reason: "expected 3 fields (folder frame side), found \(tokens.count)")
            }
            guard let frame = frameIndex(tokens[1]) else {
                throw .malformedSplitLine(file: file, line: number, text: text,
                                          reason: "frame index '\(tokens[1])' is not a non-negative integer")
            }
            let entry = SplitEntry(folder: String(tokens[0]), frameIndex: frame, side: String(tokens[2]), line: number)
            guard entry.camera != nil else {
                throw .malformedSplitLine(file: file, line: number, text: text,
                                          reason: "side '\(tokens[2])' is not one of l, r, 2, 3")
            }
            entries.append(entry)
        }
        return entries
    }

    /// Python's `int(token)` for the indices a split can hold: optional `+`, ASCII digits.
    public static func frameIndex(_ token: Substring) -> Int? {
        let digits = token.hasPrefix("+") ? token.dropFirst() : token
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}

extension SplitFile {
    /// Parses a list the way the KITTI datasets read it (`datasets/mono_dataset.py
    /// MonoDataset.__getitem__`): 3 fields =
    /// folder, frame, side (which must be l, r, 2 or 3); 2 fields (`image N` of the benchmark
    /// test list) = folder and frame without a side; 1 field = folder, frame 0, no side.
    public static func readDatasetEntries(_ url: URL) throws(KITTIDataError) -> [SplitEntry] {
        var entries: [SplitEntry] = []
        for (number, text) in try lines(of: url) {
            let tokens = text.split(whereSeparator: \.isWhitespace)
            if tokens.count == 3 {
                entries.append(contentsOf: try parseEntries([(number, text)], file: url.path))
                continue
            }
            guard tokens.count <= 2 else {
                throw .malformedSplitLine(file: url.path, line: number, text: text,
                                          reason: "expected at most 3 fields, found \(tokens.count)")
            }
            var frame = 0
            if tokens.count == 2 {
                guard let index = frameIndex(tokens[1]) else {
                    throw .malformedSplitLine(file: url.path, line: number, text: text,
                                              reason: "frame index '\(tokens[1])' is not a non-negative integer")
                }
                frame = index
            }
            entries.append(SplitEntry(folder: String(tokens[0]), frameIndex: frame, side: nil, line: number))
        }
        return entries
    }
}
