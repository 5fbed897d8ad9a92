import Foundation
import Kernels
import XCTest
@testable import Synth

/// The world is a pure function of its configuration: the same seed gives the same bytes whatever
/// the thread count, another seed other images.
final class SynthDeterminismTests: XCTestCase {
    func testSameSeedGivesTheSameBytesOnOneThread() throws {
        let shared = try TestWorld.files(try TestWorld.shared.get())
        let previous = Parallel.threadCount
        Parallel.setThreadCount(1)
        defer { Parallel.setThreadCount(previous) }
        let again = try TestWorld.files(try TestWorld.generate(TestWorld.config, name: "single-thread").get())
        XCTAssertEqual(Set(shared.keys), Set(again.keys))
        XCTAssertGreaterThan(shared.count, 40)
        for (path, bytes) in shared where again[path] != bytes {
            XCTFail("\(path) differs between runs")
        }
    }

    func testAnotherSeedGivesOtherImages() throws {
        let root = try TestWorld.shared.get()
        var config = TestWorld.config
        config.seed = 8
        config.drives = 1
        config.frames = 12
        let other = try TestWorld.generate(config, name: "other-seed").get()
        for frame in [0, 3] {
            let a = try TestWorld.image(root, drive: 1, camera: 2, frame: frame)
            let b = try TestWorld.image(other, drive: 1, camera: 2, frame: frame)
            let differing = zip(a.pixels, b.pixels).filter { abs(Int($0) - Int($1)) > 30 }.count
            XCTAssertGreaterThan(differing, a.pixels.count / 5, "frame \(frame) barely changed with the seed")
        }
    }

    func testMovingObjectsAddVehiclesToTheSameStreet() throws {
        let root = try TestWorld.shared.get()
        var config = TestWorld.config
        config.movingObjects = true
        config.drives = 1
        config.frames = 12
        let moving = try TestWorld.generate(config, name: "moving").get()
        // Vehicles only ever bring surfaces closer; the rest of the street is unchanged.
        var closer = 0
        for frame in 0..<4 {
            let still = try TestWorld.depth(root, drive: 1, camera: 2, frame: frame).values(as: Float.self)
            let busy = try TestWorld.depth(moving, drive: 1, camera: 2, frame: frame).values(as: Float.self)
            for (a, b) in zip(still, busy) where b != a {
                XCTAssertTrue(b > 0 && (a == 0 || b < a), "traffic moved a surface away: \(a) -> \(b)")
                closer += 1
            }
        }
        XCTAssertGreaterThan(closer, 4 * 60, "no vehicle in view")
    }
}
