import ArrayIO
import Foundation
import ImageIO
@testable import Synth

/// Small worlds generated once per test run (64 x 200 images, a few frames).
enum TestWorld {
    static let config = SyntheticWorldConfig(drives: 2, frames: 4, seed: 7, width: 200, height: 64)

    /// The shared world, generated on first use.
    static let shared: Result<URL, SynthError> = generate(config, name: "shared")

    static func generate(_ config: SyntheticWorldConfig, name: String) -> Result<URL, SynthError> {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synth-tests-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        return Result { () throws(SynthError) -> URL in
            try SyntheticWorld.generate(config: config, to: url)
            return url
        }
    }

    static func driveDirectory(_ root: URL, _ drive: Int) -> URL {
        WorldLayout(root: root).driveDirectory(drive)
    }

    static func image(_ root: URL, drive: Int, camera: Int, frame: Int) throws -> Image {
        let url = WorldLayout(root: root).frameFile(drive: drive, folder: "image_0\(camera)", frame: frame, ext: "jpg")
        return try JPEG.decode(Array(try Data(contentsOf: url)), file: url.path)
    }

    static func depth(_ root: URL, drive: Int, camera: Int, frame: Int) throws -> NDArray {
        try NPY.read(contentsOf: WorldLayout(root: root).frameFile(drive: drive, folder: "depth_true_0\(camera)", frame: frame, ext: "npy"))
    }

    /// Every regular file under `root`, by relative path.
    static func files(_ root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = root.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            result[String(path.dropFirst(base.count))] = try Data(contentsOf: url)
        }
        return result
    }
}
