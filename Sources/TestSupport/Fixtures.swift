import ArrayIO
import TensorCore
import Foundation
import XCTest

/// Locates test fixtures. Small ones live in `Tests/Fixtures`. The large reference fixtures live in
/// `../shared/reference` beside the checkout (CI has it; `MD2_SHARED` names another folder holding
/// `reference/`); a few small ones of them are carried in `Tests/Fixtures/reference` with the same
/// layout, so that a fresh clone still checks every module (`Tests/Fixtures/reference/README.md`).
///
/// A reference path resolves to the first root that has it: `../shared/reference` (the originals),
/// then `Tests/Fixtures/reference` (the carried copies, checked byte for byte against the originals
/// by `CarriedFixtureTests` wherever both exist). A path found in neither skips the test that asked,
/// with the path in the reason, and is counted in the one summary line printed after the run
/// (`FixtureReport`); with `MD2_REQUIRE_FIXTURES=1` (CI) it fails the test instead.
public enum Fixtures {
    /// The repository root, found from this file's compile-time path.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the repository (or `$MD2_SHARED`).
    public static var sharedRoot: URL {
        if let override = ProcessInfo.processInfo.environment["MD2_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// `../shared/reference`: the originals of every reference fixture.
    public static var sharedReferenceRoot: URL { sharedRoot.appendingPathComponent("reference") }

    /// `Tests/Fixtures/reference`: the small reference fixtures carried in the repository.
    public static var carriedReferenceRoot: URL { bundled("reference") }

    /// Where reference paths are looked up, in order.
    public static var referenceRoots: [URL] { [sharedReferenceRoot, carriedReferenceRoot] }

    /// Whether a missing fixture or executable fails the test instead of skipping it:
    /// `MD2_REQUIRE_FIXTURES=1`, which CI (`.ci/run`) sets so that CI runs every test.
    public static var required: Bool { ProcessInfo.processInfo.environment["MD2_REQUIRE_FIXTURES"] == "1" }

    /// A reference fixture (file or folder) by its path under `../shared/reference`, e.g.
    /// `reference("torch/layers/elu/out.npy")`: the original when present, else the carried copy.
    /// Absent from both: skips the test (`XCTSkip`), or fails it with `MD2_REQUIRE_FIXTURES=1`.
    public static func reference(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        for root in referenceRoots {
            let url = root.appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw FixtureReport.missing(.fixture, relativePath, file: file, line: line)
    }

    /// A reference folder holding every one of `files` (paths relative to the folder): the first
    /// root whose copy of the folder has them all. For tests that hand a whole folder to the code
    /// under test (a KITTI tree, a weights folder), of which the repository may carry only part.
    public static func reference(_ folder: String, containing files: [String],
                                 file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        for root in referenceRoots {
            let url = root.appendingPathComponent(folder)
            if files.allSatisfy({ FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }) {
                return url
            }
        }
        let absent = files.first { file in
            !referenceRoots.contains { FileManager.default.fileExists(atPath: $0.appendingPathComponent(folder).appendingPathComponent(file).path) }
        }
        throw FixtureReport.missing(.fixture, folder + "/" + (absent ?? (files.first ?? "")), file: file, line: line)
    }

    /// The bytes of a reference fixture.
    public static func data(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        try Data(contentsOf: reference(relativePath, file: file, line: line))
    }

    /// Reads a `.npy` reference fixture.
    public static func npy(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> NDArray {
        try NPY.read(contentsOf: reference(relativePath, file: file, line: line))
    }

    /// A path under the bundled `Tests/Fixtures` folder (always present in a checkout).
    public static func bundled(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath)
    }
}

/// The executables of this package (`demo`, `evaluate`, ...), as built beside the test bundle by
/// `swift test` (which builds every product). Tests run them as processes.
public enum Executables {
    /// The folders searched: the test bundle's build folder (the products folder SwiftPM builds into).
    public static var searchFolders: [URL] {
        var folders: [URL] = []
        func add(_ url: URL) {
            let folder = url.standardizedFileURL
            if !folders.contains(folder) { folders.append(folder) }
        }
        add(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        add(Bundle.main.bundleURL)
        add(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            add(bundle.bundleURL.deletingLastPathComponent())
        }
        return folders
    }

    /// The built executable `name`. Not built: skips the test (`XCTSkip`) naming the folders
    /// searched, or fails it with `MD2_REQUIRE_FIXTURES=1`.
    public static func url(named name: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let folders = searchFolders
        for folder in folders {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw FixtureReport.missing(.executable, name, searched: folders.map(\.path), file: file, line: line)
    }
}

/// A value built once from fixtures and shared by the tests of a class (e.g. one 640x192 forward).
/// The first `value()` builds it; every later call returns it, or rethrows the error it failed
/// with, so a missing fixture skips (and is counted for) each test that asks for it.
public final class SharedFixture<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var build: (() throws -> Value)?
    private var result: Result<Value, Error>?

    public init(_ build: @escaping () throws -> Value) { self.build = build }

    public func value() throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let result {
            if case .failure(let error) = result { FixtureReport.noteAgain(error) }
            return try result.get()
        }
        let made = Result { try build!() }
        result = made
        build = nil
        return try made.get()
    }
}

/// A fixture case's tensors by name (the inputs of a torch/layers case, say).
extension Dictionary where Key == String, Value == Tensor {
    /// The tensor `name`; a case without it fails the test (an error naming it), it does not crash.
    public func tensor(_ name: String) throws -> Tensor {
        guard let tensor = self[name] else {
            throw FixtureCaseError(description: "the fixture case has no tensor '\(name)' (it has \(keys.sorted()))")
        }
        return tensor
    }
}

/// A fixture that is present but does not hold what the test expects: a failure, never a skip.
public struct FixtureCaseError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
