import XCTest
@testable import Options

final class OptionsModuleTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(OptionsModule.self) }
}
