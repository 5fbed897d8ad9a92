import Foundation
import ImageIO
import TestSupport
import XCTest
@testable import KITTIData

/// `--dataset folder` on hand-made folders: K normalised per sequence, and each way a folder can be
/// wrong (missing or malformed cam.txt, short sequences, mixed sizes, a right/ that does not match)
/// gives an error naming the file.
final class FolderLayoutTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("md2-folder-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// A sequence folder with `count` frames of `width` x `height` (JPEG or PNG) and optionally a cam.txt.
    @discardableResult
    func makeSequence(_ name: String, count: Int, width: Int = 64, height: Int = 32, png: Bool = false,
                      cam: String? = "100 0 32\n0 50 16\n0 0 1\n", subfolder: String? = nil) throws -> URL {
        var folder = root.appendingPathComponent(name)
        if let subfolder { folder = folder.appendingPathComponent(subfolder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<count {
            try writeFrame(folder.appendingPathComponent(String(format: "frame%03d.%@", index, png ? "png" : "jpg")),
                           width: width, height: height, png: png, seed: index)
        }
        if let cam { try cam.write(to: folder.appendingPathComponent("cam.txt"), atomically: true, encoding: .utf8) }
        return folder
    }

    func writeFrame(_ url: URL, width: Int, height: Int, png: Bool, seed: Int) throws {
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 * 7 + seed * 31) }
        let image = Image(width: width, height: height, channels: 3, pixels: pixels)
        if png { try PNG.write(image, to: url) } else { try Data(JPEG.encode(image, quality: 90)).write(to: url) }
    }

    func assertError(_ body: @autoclosure () throws -> Any, naming file: String, containing text: String,
                     line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(file), "the message should name \(file): \(message)", line: line)
            XCTAssertTrue(message.contains(text), "the message should say \(text): \(message)", line: line)
        }
    }

    // MARK: - What a good folder gives

    func testSequencesAreReadInNameOrderWithTheirOwnSizeAndK() throws {
        try makeSequence("b_png", count: 3, width: 96, height: 48, png: true, cam: "200 0 40\n0 100 30\n0 0 1\n")
        try makeSequence("a_jpg", count: 4)
        try makeSequence("a_jpg", count: 4, cam: nil, subfolder: "right")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let layout = try FolderLayout.scan(dataPath: root, stereoBaseline: 0.27)
        XCTAssertEqual(layout.sequences.map(\.name), ["a_jpg", "b_png"], "folders without frames are not sequences")
        XCTAssertEqual(layout.sequences[0].frames.map(\.lastPathComponent), ["frame000.jpg", "frame001.jpg", "frame002.jpg", "frame003.jpg"])
        XCTAssertEqual(layout.sequences[0].rightFrames?.count, 4)
        XCTAssertNil(layout.sequences[1].rightFrames)
        XCTAssertEqual(layout.stereoTranslation, 0.05, "half KITTI's baseline, half the original's 0.1")
        // K over each sequence's own size.
        XCTAssertEqual(layout.sequences[0].normalizedK, [Float(100.0 / 64), 0, 0.5, 0, 0, Float(50.0 / 32), 0.5, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        XCTAssertEqual(layout.sequences[1].normalizedK, [Float(200.0 / 96), 0, Float(40.0 / 96), 0, 0, Float(100.0 / 48), Float(30.0 / 48), 0,
                                                         0, 0, 1, 0, 0, 0, 0, 1])

        // Each item gets its sequence's K at each pyramid level, and inv_K its inverse.
        var config = KITTIDatasetConfig(dataPath: root, splitFile: "generated", lines: FolderSplit.numbered(["a_jpg 1 l", "b_png 1 l"]),
                                        height: 32, width: 64, frameIDs: [.offset(0), .offset(-1), .offset(1)], isTrain: false)
        config.folder = layout
        let batch = try KITTIDataset(config).batch([0, 1], augmentations: [.none, .none])
        for scale in 0..<4 {
            let k = batch.K[scale].scalars(), inverse = batch.invK[scale].scalars()
            let (w, h) = (Float(64 >> scale), Float(32 >> scale))
            for (item, sequence) in layout.sequences.enumerated() {
                let expected = Intrinsics.scaled(sequence.normalizedK, width: Int(w), height: Int(h))
                XCTAssertEqual(Array(k[(16 * item)..<(16 * item + 16)]), expected, "item \(item) scale \(scale)")
                XCTAssertEqual(Array(inverse[(16 * item)..<(16 * item + 16)]), Intrinsics.inverse(expected))
            }
        }
        XCTAssertNotEqual(Array(batch.K[0].scalars()[0..<16]), Array(batch.K[0].scalars()[16..<32]))
    }

    func testOneIntrinsicsFileReplacesEveryCamTxt() throws {
        try makeSequence("seq", count: 3, cam: nil)
        let file = root.appendingPathComponent("K.txt")
        try "[[300, 0, 30], [0, 300, 15], [0, 0, 1]]".write(to: file, atomically: true, encoding: .utf8)
        let layout = try FolderLayout.scan(dataPath: root, intrinsicsFile: file)
        XCTAssertEqual(layout.sequences[0].intrinsics, PinholeIntrinsics(fx: 300, fy: 300, cx: 30, cy: 15))
        XCTAssertEqual(layout.sequences[0].intrinsicsFile, file.path)
    }

    // MARK: - Errors, each naming the file

    func testMissingCamTxtIsNamed() throws {
        try makeSequence("seq", count: 3, cam: nil)
        assertError(try FolderLayout.scan(dataPath: root), naming: root.appendingPathComponent("seq/cam.txt").path,
                    containing: "or give --intrinsics FILE")
        assertError(try FolderLayout.scan(dataPath: root, intrinsicsFile: root.appendingPathComponent("nope.txt")),
                    naming: root.appendingPathComponent("nope.txt").path, containing: "cannot read the intrinsics file")
    }

    func testMalformedCamTxtIsNamedWithWhatIsWrong() throws {
        let cases: [(String, String)] = [
            ("100 0 32\n0 50 16\n", "expected a 3x3 matrix K (9 numbers), found 6 fields"),
            ("100 0 32\n0 fifty 16\n0 0 1\n", "found 9 fields"),
            ("100 0 32\n0 50 16\n0 0 2\n", "K must be [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]"),
            ("-100 0 32\n0 50 16\n0 0 1\n", "focal lengths must be positive"),
        ]
        for (text, problem) in cases {
            try? FileManager.default.removeItem(at: root.appendingPathComponent("seq"))
            try makeSequence("seq", count: 3, cam: text)
            assertError(try FolderLayout.scan(dataPath: root), naming: root.appendingPathComponent("seq/cam.txt").path,
                        containing: problem)
        }
    }

    func testSequencesShorterThanTheFrameIdsNeedAreNamed() throws {
        try makeSequence("long", count: 5)
        try makeSequence("short", count: 2)
        let layout = try FolderLayout.scan(dataPath: root)
        assertError(try FolderSplit(layout: layout, frameOffsets: [0, -1, 1], valEvery: 10),
                    naming: root.appendingPathComponent("short").path,
                    containing: "the sequence has 2 frames; frame ids 0 -1 1 with --frame_stride 1 need at least 3")
        // With a stride of 2, five frames are still enough for one item, two are not.
        try FileManager.default.removeItem(at: root.appendingPathComponent("short"))
        let strided = try FolderLayout.scan(dataPath: root, frameStride: 2)
        XCTAssertEqual(try FolderSplit(layout: strided, frameOffsets: [0, -1, 1], valEvery: 10).train, ["long 2 l"])
        let longer = try FolderLayout.scan(dataPath: root, frameStride: 3)
        assertError(try FolderSplit(layout: longer, frameOffsets: [0, -1, 1], valEvery: 10),
                    naming: root.appendingPathComponent("long").path, containing: "need at least 7")
    }

    func testMixedImageSizesWithinASequenceNameTheOddFrame() throws {
        let folder = try makeSequence("seq", count: 3)
        try writeFrame(folder.appendingPathComponent("frame003.png"), width: 64, height: 40, png: true, seed: 9)
        assertError(try FolderLayout.scan(dataPath: root), naming: folder.appendingPathComponent("frame003.png").path,
                    containing: "expected 64x32 like frame000.jpg (a sequence's frames must share one size), found 64x40")
    }

    func testARightFolderThatDoesNotMatchIsNamed() throws {
        try makeSequence("seq", count: 3)
        let right = try makeSequence("seq", count: 2, cam: nil, subfolder: "right")
        assertError(try FolderLayout.scan(dataPath: root), naming: right.path,
                    containing: "the right camera's frames (2) must have the same names as the sequence's (3)")
        try FileManager.default.removeItem(at: right)
        try makeSequence("seq", count: 3, width: 32, height: 32, cam: nil, subfolder: "right")
        assertError(try FolderLayout.scan(dataPath: root), naming: right.appendingPathComponent("frame000.jpg").path,
                    containing: "expected 64x32 like the left frames, found 32x32")
    }

    func testAFileThatIsNotAnImageAndAnEmptyFolderAreNamed() throws {
        let folder = try makeSequence("seq", count: 2)
        try Data("not a picture".utf8).write(to: folder.appendingPathComponent("frame005.jpg"))
        assertError(try FolderLayout.scan(dataPath: root), naming: folder.appendingPathComponent("frame005.jpg").path,
                    containing: "not a JPEG or PNG image")
        try FileManager.default.removeItem(at: folder)
        assertError(try FolderLayout.scan(dataPath: root), naming: root.path, containing: "one subfolder of .jpg/.png frames per sequence")
    }

    func testSplitLinesOutsideTheSequenceOrWithoutARightCameraAreReported() throws {
        try makeSequence("seq", count: 3)
        var config = KITTIDatasetConfig(dataPath: root, splitFile: "lines.txt", lines: FolderSplit.numbered(["seq 1 l", "seq 2 l", "seq 1 r", "other 1 l"]),
                                        height: 32, width: 64, frameIDs: [.offset(0), .offset(-1), .offset(1)], isTrain: true)
        config.folder = try FolderLayout.scan(dataPath: root)
        XCTAssertThrowsError(try KITTIDataset(config)) { error in
            guard case KITTIDataError.invalidSplit(let file, let problems) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "lines.txt")
            XCTAssertEqual(problems.map(\.line), [2, 3, 4])
            XCTAssertTrue(problems[0].message.contains("frame 3 is outside sequence 'seq' (3 frames)"), problems[0].message)
            XCTAssertTrue(problems[1].message.contains("has no right/ folder"), problems[1].message)
            XCTAssertTrue(problems[2].message.contains("no sequence 'other'"), problems[2].message)
        }
    }
}
