import Foundation
@testable import TestSupport
import XCTest

/// The carried copies in Tests/Fixtures/reference equal their originals in ../shared/reference byte
/// for byte, and the lookup rules of `Fixtures` / `Executables` (TestSupport) hold.
final class CarriedFixtureTests: XCTestCase {
    /// Every carried file, as a path relative to Tests/Fixtures/reference (carry.sh and the README excluded).
    static func carriedFiles() -> [String] {
        let root = Fixtures.carriedReferenceRoot.standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var files: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            if relative != "carry.sh" && relative != "README.md" { files.append(relative) }
        }
        return files.sorted()
    }

    func testCarriedCopiesEqualTheOriginals() throws {
        let files = Self.carriedFiles()
        XCTAssertGreaterThan(files.count, 300, "Tests/Fixtures/reference is not there")
        let shared = Fixtures.sharedReferenceRoot
        guard FileManager.default.fileExists(atPath: shared.path) else {
            throw FixtureReport.missing(.fixture, files.first ?? ".", searched: [shared.path])  // the originals
        }
        var differing: [String] = []
        for file in files {
            let original = shared.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: original.path) else {
                differing.append("\(file) (no original)")
                continue
            }
            let carried = try Data(contentsOf: Fixtures.carriedReferenceRoot.appendingPathComponent(file))
            if try Data(contentsOf: original) != carried { differing.append(file) }
        }
        XCTAssertEqual(differing, [], "carried fixtures that differ from ../shared/reference: rerun Tests/Fixtures/reference/carry.sh")
    }

    /// The carried size stays small (the issue's budget: about 20 MB at most).
    func testCarriedCopiesStaySmall() throws {
        let root = Fixtures.carriedReferenceRoot
        let bytes = try Self.carriedFiles().reduce(0) { total, file in
            total + ((try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(file).path)[.size] as? Int) ?? 0)
        }
        XCTAssertLessThan(bytes, 12_000_000, "\(bytes) bytes carried")
    }

    /// A path in neither root skips (XCTSkip naming it), or fails under MD2_REQUIRE_FIXTURES=1; a
    /// carried path resolves; a folder lookup needs every listed file in one root.
    func testLookupRules() throws {
        let saved = ProcessInfo.processInfo.environment["MD2_REQUIRE_FIXTURES"]
        defer {
            if let saved { setenv("MD2_REQUIRE_FIXTURES", saved, 1) } else { unsetenv("MD2_REQUIRE_FIXTURES") }
        }
        unsetenv("MD2_REQUIRE_FIXTURES")
        XCTAssertThrowsError(try Fixtures.reference("no/such/fixture.npy")) { error in
            guard let skip = error as? XCTSkip else { return XCTFail("expected XCTSkip, got \(error)") }
            XCTAssertTrue(skip.message?.contains("no/such/fixture.npy") == true, "\(skip.message ?? "")")
            XCTAssertTrue(skip.message?.contains("MD2_SHARED") == true, "\(skip.message ?? "")")
        }
        XCTAssertThrowsError(try Executables.url(named: "no-such-tool")) { error in
            XCTAssertTrue(error is XCTSkip, "\(error)")
        }
        setenv("MD2_REQUIRE_FIXTURES", "1", 1)
        XCTAssertThrowsError(try Fixtures.reference("no/such/fixture.npy")) { error in
            XCTAssertFalse(error is XCTSkip, "MD2_REQUIRE_FIXTURES=1: a failure, not a skip")
            XCTAssertTrue("\(error)".contains("no/such/fixture.npy"), "\(error)")
        }
        XCTAssertThrowsError(try Executables.url(named: "no-such-tool")) { error in
            XCTAssertFalse(error is XCTSkip, "\(error)")
        }

        // Carried: resolves whether or not ../shared is there.
        let layers = try Fixtures.reference("torch/layers/index.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: layers.path))
        // A folder of which the repository carries only part: found only where every file is.
        XCTAssertThrowsError(try Fixtures.reference("torch/checkpoints", containing: ["tiny_zip.pth", "no-such.pth"]))
        let tiny = try Fixtures.reference("torch/checkpoints", containing: ["tiny_zip.pth"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: tiny.appendingPathComponent("tiny_zip.pth").path))
    }

    /// The built executables are found beside the test bundle (swift test builds every product).
    func testExecutablesAreFound() throws {
        for name in ["demo", "evaluate"] {
            let url = try Executables.url(named: name)
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: url.path), url.path)
        }
    }

    /// The summary is one line with the count, the reason and where the fixtures go.
    func testSummaryLine() throws {
        let missing = FixtureReport.Missing(kind: .fixture, name: "torch/forward/input_640x192.npy", searched: ["/a", "/b"])
        let tool = FixtureReport.Missing(kind: .executable, name: "demo", searched: ["/c"])
        XCTAssertNil(FixtureReport.summary([]))
        let line = try XCTUnwrap(FixtureReport.summary([("-[NetworksTests.ForwardParityTests testDisparities]", missing, true),
                                                        ("NetworksTests.ForwardParityTests.testEncoderFeatures", missing, true),
                                                        ("-[NetworksTests.DemoTests testX]", tool, true)]))
        XCTAssertFalse(line.contains("\n"), line)
        XCTAssertTrue(line.hasPrefix("Fixtures: 3 tests skipped: 2 parity tests in 1 class need reference fixtures"), line)
        XCTAssertTrue(line.contains("../shared/reference beside the checkout, or $MD2_SHARED/reference"), line)
        XCTAssertTrue(line.contains("1 test needs executables that are not built (demo)"), line)
    }
}
