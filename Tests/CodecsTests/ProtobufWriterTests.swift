import Codecs
import XCTest

/// The protobuf wire encodings against hand-encoded bytes (protobuf's encoding guide examples).
final class ProtobufWriterTests: XCTestCase {
    func testVarintsAndNegativeInts() {
        var writer = ProtobufWriter()
        writer.appendVarint(300)
        writer.appendInt(2, -1)
        XCTAssertEqual(writer.bytes, [0xAC, 0x02, 0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    func testMessagesStringsAndFloatBytes() {
        var inner = ProtobufWriter()
        inner.appendInt(1, 150)
        var writer = ProtobufWriter()
        writer.appendMessage(3, inner)
        writer.appendString(2, "testing")
        writer.appendFloatsAsBytes(9, [1, -2])
        XCTAssertEqual(writer.bytes, [0x1A, 0x03, 0x08, 0x96, 0x01]
                       + [0x12, 0x07] + Array("testing".utf8)
                       + [0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
    }
}
