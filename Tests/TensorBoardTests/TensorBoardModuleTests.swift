import XCTest
@testable import TensorBoard

final class TensorBoardModuleTests: XCTestCase {
    func testModuleLinks() { XCTAssertNotNil(TensorBoardModule.self) }
}
