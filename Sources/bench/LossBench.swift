import Layers
import TensorCore

/// `ssim --batch B --channels C --height H --width W [--backward] [--threads T]`: the fused SSIM op
/// (forward, or forward + backward of sum(ssim ⊙ G) with respect to both images) on uniform images.
func runSSIMBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let shape = [try flags.int("batch", default: 12), try flags.int("channels", default: 3),
                 try flags.int("height", default: 192), try flags.int("width", default: 640)]
    let backward = flags.flag("backward")
    let threads = try applyThreads(&flags)
    let timer = try BenchTimer(&flags)
    try flags.checkAllUsed()
    guard shape.allSatisfy({ $0 > 0 }), shape[2] >= 2, shape[3] >= 2 else {
        throw BenchFlags.Problem(description: "ssim: bad shape \(shape) (planes need at least 2x2)")
    }
    var rng = RandomGenerator(seed: 1)
    let x = Tensor.uniform(shape, generator: &rng), y = Tensor.uniform(shape, generator: &rng)
    let g = Tensor.uniform(shape, lower: -1, upper: 1, generator: &rng)
    let times = timer.measure {
        if backward {
            let tape = Tape()
            let tx = tape.watch(x), ty = tape.watch(y)
            _ = tape.backward(ssim(tx, ty), seed: g)
        } else {
            _ = ssim(x, y)
        }
    }
    // Per element: 5 box filters (3+3 adds) and ~25 flops of formula; the backward about 3x that.
    let flops = Double(shape.reduce(1, *)) * 55 * (backward ? 4 : 1)
    report(name: backward ? "ssim_fwd_bwd" : "ssim_fwd", times: times, flops: flops,
           extra: [("threads", String(threads)), ("shape", quoted(shape.map(String.init).joined(separator: "x")))])
}
