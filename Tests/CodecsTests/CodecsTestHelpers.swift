import Foundation
import TestSupport


/// The bytes of a file under `Tests/Fixtures`.
func bundledBytes(_ relativePath: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: Fixtures.bundled(relativePath)))
}

/// Whether the opt-in long tests run (`MD2_LONG_TESTS=1`).
var longTestsEnabled: Bool { ProcessInfo.processInfo.environment["MD2_LONG_TESTS"] == "1" }
