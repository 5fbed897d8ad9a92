import ArrayIO
import Foundation
import ImageIO

// File-format cases: decode a JPEG/PNG held in memory, LANCZOS-resize a decoded image, load a
// .pth checkpoint. Compare with PIL / torch.load timed on the same file in the same sitting.

private func readBytes(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw BenchFlags.Problem(description: "cannot read \(path)")
    }
    return [UInt8](data)
}

func runDecodeJPEGBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let timer = try BenchTimer(&flags)
    let path = try flags.string("file")
    try flags.checkAllUsed()
    let bytes = try readBytes(path)
    var image = try JPEG.decode(bytes, file: path)
    let times = timer.measure { image = (try? JPEG.decode(bytes, file: path)) ?? image }
    report(name: "decode-jpeg", times: times, flops: 0,
           extra: [("file", quoted(path)), ("width", String(image.width)), ("height", String(image.height))])
}

func runDecodePNGBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let timer = try BenchTimer(&flags)
    let path = try flags.string("file")
    try flags.checkAllUsed()
    let bytes = try readBytes(path)
    var image = try PNG.decode(bytes, file: path)
    let times = timer.measure { image = (try? PNG.decode(bytes, file: path)) ?? image }
    report(name: "decode-png", times: times, flops: 0,
           extra: [("file", quoted(path)), ("width", String(image.width)), ("height", String(image.height))])
}

func runResizeLanczosBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let timer = try BenchTimer(&flags)
    let path = try flags.string("file")
    let width = try flags.int("width", default: 640)
    let height = try flags.int("height", default: 192)
    try flags.checkAllUsed()
    let source = try JPEG.decode(try readBytes(path), file: path)
    var resized = source.resized(width: width, height: height, filter: .lanczos)
    let times = timer.measure { resized = source.resized(width: width, height: height, filter: .lanczos) }
    report(name: "resize-lanczos", times: times, flops: 0,
           extra: [("file", quoted(path)), ("from", quoted("\(source.width)x\(source.height)")),
                   ("to", quoted("\(resized.width)x\(resized.height)"))])
}

func runLoadCheckpointBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let timer = try BenchTimer(&flags)
    let path = try flags.string("file")
    try flags.checkAllUsed()
    let url = URL(fileURLWithPath: path)
    var state = try StateDict.read(contentsOf: url)
    let times = timer.measure { state = (try? StateDict.read(contentsOf: url)) ?? state }
    report(name: "load-pth", times: times, flops: 0,
           extra: [("file", quoted(path)), ("tensors", String(state.tensors.count))])
}
