import ArrayIO
import Foundation

/// Locates test fixtures: small ones bundled under `Tests/Fixtures`, large ones in the
/// `../shared/reference` folder beside the checkout (CI has it). `MD2_SHARED` overrides the latter.
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

    /// A path under `../shared/reference`, e.g. `reference("torch/layers/elu/out.npy")`.
    public static func reference(_ relativePath: String) -> URL {
        sharedRoot.appendingPathComponent("reference").appendingPathComponent(relativePath)
    }

    /// A path under the bundled `Tests/Fixtures` folder.
    public static func bundled(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath)
    }

    /// Reads a `.npy` fixture under `../shared/reference`.
    public static func npy(_ relativePath: String) throws -> NDArray {
        try NPY.read(contentsOf: reference(relativePath))
    }
}
