import Foundation
import TestSupport

/// A small seeded generator (SplitMix64) so every "random" test input is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The bytes of a file under `Tests/Fixtures`.
func bundledBytes(_ relativePath: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: Fixtures.bundled(relativePath)))
}

/// Whether the opt-in long tests run (`MD2_LONG_TESTS=1`).
var longTestsEnabled: Bool { ProcessInfo.processInfo.environment["MD2_LONG_TESTS"] == "1" }
