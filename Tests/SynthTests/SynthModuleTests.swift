import XCTest
@testable import Synth

final class SynthModuleTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(SynthModule.self) }
}
