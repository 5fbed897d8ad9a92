#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import XCTest

/// After the settings every tool starts with, image-sized blocks come from the heap instead of
/// fresh mmaps. glibc puts an mmapped block 16 bytes past a page boundary (its chunk header), while
/// heap blocks follow one another; with the default 128 KB threshold (or any below 2 MB) all four
/// 2 MB blocks below would sit at offset 16.
final class ProcessMemoryTests: XCTestCase {
    func testImageSizedBlocksComeFromTheHeap() throws {
        #if canImport(Glibc)
        XCTAssertTrue(ProcessMemory.keepFreedBlocks())
        let blocks = (0..<4).map { _ in malloc(2 << 20) }
        defer { blocks.forEach { free($0) } }
        let pageOffsets = blocks.map { Int(bitPattern: $0) % 4096 }
        XCTAssertFalse(pageOffsets.allSatisfy { $0 == 16 }, "2 MB blocks are still mmapped: page offsets \(pageOffsets)")
        #else
        throw XCTSkip("glibc only")
        #endif
    }
}
