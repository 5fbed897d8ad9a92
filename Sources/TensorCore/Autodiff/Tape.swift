/// Which tape variable a tensor is. The tape is held weakly: tensors never keep a tape (and
/// its saved intermediates) alive, and a dropped tape simply stops recording.
struct Tracking {
    weak var tape: Tape?
    let id: Int
}

/// Reverse-mode automatic differentiation over an explicit, caller-owned record of operations.
///
/// Design (one tape per training step, no global state):
/// 1. `let tape = Tape()`; `tape.watch(model.parameters())` marks parameters as leaves and
///    `let x = tape.watch(tensor)` returns a tracked copy of a plain tensor.
/// 2. Every op whose inputs include a tensor tracked by a live, unfinished tape appends one node
///    (its input variables and a backward closure holding only what the gradient needs) and
///    returns a tracked output. Ops on untracked tensors record nothing: inference needs no
///    special mode, just no `watch`.
/// 3. `tape.backward(loss)` walks the nodes in reverse recording order (a valid topological
///    order), releasing each node's saved tensors and each gradient as soon as it is consumed.
///    Parameter gradients are ACCUMULATED into `Parameter.grad`; the gradients of watched
///    plain tensors are returned in `Gradients`. The tape is then finished: parameters are
///    unwatched, and later ops on its tensors record nothing.
///
/// A tape is not thread-safe; record from one thread.
public final class Tape {
    /// Backward of one node: (gradient of the output, which inputs need a gradient) → one
    /// gradient per input (nil where not needed), each with that input's shape.
    public typealias Backward = (_ gradOutput: Tensor, _ needsGradient: [Bool]) -> [Tensor?]

    private struct Node {
        let op: String
        let inputs: [Int]   // variable ids, −1 for untracked inputs
        var backward: Backward?
        let shape: [Int]
        /// For a narrow (slice) of its one input: the gradient is added into that slice of the
        /// input's gradient in place, instead of a full-size zero tensor per slice.
        var slice: (axis: Int, start: Int)? = nil
    }

    private var nodes: [Node] = []
    private var parameters: [Int: Parameter] = [:]
    /// True once `backward` or `discard` ran.
    public private(set) var isFinished = false

    public init() {}

    /// Number of variables recorded so far (leaves and op outputs).
    public var variableCount: Int { nodes.count }

    /// A tracked view of `x` (a leaf whose gradient `backward` returns). `x` must be float32.
    public func watch(_ x: Tensor) -> Tensor {
        precondition(!isFinished, "Tape.watch: the tape is finished")
        precondition(x.dtype == .float32, "Tape.watch: only float32 tensors are differentiable, got \(x.dtype)")
        nodes.append(Node(op: "leaf", inputs: [], backward: nil, shape: x.shape))
        var t = x
        t.tracking = Tracking(tape: self, id: nodes.count - 1)
        return t
    }

    /// Marks parameters (those with `requiresGradient`) as leaves: their gradients will be
    /// accumulated into `grad` by `backward`.
    public func watch(_ parameters: [Parameter]) {
        for p in parameters where p.requiresGradient {
            let tracked = watch(p.value)
            p.value = tracked
            self.parameters[tracked.tracking!.id] = p
        }
    }

    /// The live, unfinished tape tracking any of `inputs` (nil when none is tracked).
    static func active(_ inputs: Tensor...) -> Tape? { active(inputs) }

    static func active(_ inputs: [Tensor]) -> Tape? {
        var found: Tape?
        for x in inputs {
            guard let t = x.tracking?.tape, !t.isFinished else { continue }
            if let f = found {
                precondition(f === t, "op mixes tensors tracked by two different tapes")
            } else {
                found = t
            }
        }
        return found
    }

    /// Appends a node computing `output` from `inputs`; returns `output` tracked by this tape.
    /// Non-float outputs are returned untracked (they have no gradient).
    func record(_ op: String, _ output: Tensor, _ inputs: [Tensor], backward: @escaping Backward) -> Tensor {
        guard output.dtype == .float32 else { return output }
        let ids = inputs.map { x -> Int in
            guard let tr = x.tracking, tr.tape === self else { return -1 }
            return tr.id
        }
        nodes.append(Node(op: op, inputs: ids, backward: backward, shape: output.shape))
        var t = output.detached()
        t.tracking = Tracking(tape: self, id: nodes.count - 1)
        return t
    }

    /// Records `output` = the slice [start, start + length) of `input` along `axis` (a view):
    /// backward adds the output's gradient into that slice of the input's gradient.
    func recordSlice(_ op: String, _ output: Tensor, _ input: Tensor, axis: Int, start: Int) -> Tensor {
        let t = record(op, output, [input]) { g, _ in [g] }
        nodes[nodes.count - 1].slice = (axis, start)
        return t
    }

    /// Whether `x` is a variable of this tape.
    func tracks(_ x: Tensor) -> Bool { x.tracking?.tape === self }

    /// Back-propagates from `loss` (one element; or any shape with an explicit `seed` gradient
    /// of the same shape), accumulates parameter gradients into `Parameter.grad`, returns the
    /// gradients of tensors watched with `watch(_: Tensor)`, and finishes the tape.
    ///
    /// `parameterGradientReady`, when given, is called (on this thread) with each watched parameter
    /// as soon as its gradient is complete, i.e. once the last node that reads it has run, while
    /// the rest of the backward pass continues (data parallelism sums gradients then). The order is
    /// a function of the recorded graph alone.
    @discardableResult
    public func backward(_ loss: Tensor, seed: Tensor? = nil,
                         parameterGradientReady: ((Parameter) -> Void)? = nil) -> Gradients {
        precondition(!isFinished, "Tape.backward: the tape is finished (one backward per tape)")
        guard let tr = loss.tracking, tr.tape === self else {
            preconditionFailure("Tape.backward: the loss \(loss.shape) is not tracked by this tape (no watched input reaches it)")
        }
        var grads = [Tensor?](repeating: nil, count: nodes.count)
        if let seed {
            precondition(seed.shape == loss.shape, "Tape.backward: seed \(seed.shape) for loss \(loss.shape)")
            grads[tr.id] = seed.detached()
        } else {
            precondition(loss.count == 1, "Tape.backward: loss of shape \(loss.shape) needs a seed gradient")
            grads[tr.id] = Tensor.ones(loss.shape, on: loss.backend)
        }
        var leafGradients: [Int: Tensor] = [:]
        // With a callback: how many nodes still read each watched parameter; at 0 its gradient is
        // complete and is handed over at once (else at the leaf's own turn, the end of the pass).
        var readers: [Int: Int] = [:]
        if parameterGradientReady != nil {
            for node in nodes { for input in node.inputs where parameters[input] != nil { readers[input, default: 0] += 1 } }
        }
        func deliver(_ leaf: Int) {
            guard let p = parameters[leaf] else { return }
            if let g = grads[leaf] {
                grads[leaf] = nil
                p.accumulateGradient(g)
            }
            parameterGradientReady?(p)
        }
        for id in stride(from: nodes.count - 1, through: 0, by: -1) {
            let node = nodes[id]
            nodes[id].backward = nil    // release the saved tensors as soon as possible
            defer {
                if parameterGradientReady != nil {
                    for input in node.inputs where readers[input] != nil {
                        readers[input]! -= 1
                        if readers[input] == 0 { deliver(input) }
                    }
                }
            }
            guard let g = grads[id] else {
                if node.backward == nil, parameterGradientReady != nil, readers[id] == nil, parameters[id] != nil {
                    deliver(id)  // a watched parameter no node reads: no gradient, reported all the same
                }
                continue
            }
            grads[id] = nil
            guard let backward = node.backward else {
                if let p = parameters[id] {
                    p.accumulateGradient(g)
                    parameterGradientReady?(p)
                } else {
                    leafGradients[id] = g
                }
                continue
            }
            if let slice = node.slice {
                if node.inputs[0] >= 0 {
                    Tape.accumulate(g, slice: slice, of: nodes[node.inputs[0]].shape, into: &grads[node.inputs[0]])
                }
                continue
            }
            let needs = node.inputs.map { $0 >= 0 }
            let inputGrads = backward(g, needs)
            precondition(inputGrads.count == node.inputs.count, "\(node.op) backward: \(inputGrads.count) gradients for \(node.inputs.count) inputs")
            for (k, input) in node.inputs.enumerated() where input >= 0 {
                guard let gi = inputGrads[k] else { continue }
                precondition(gi.shape == nodes[input].shape,
                             "\(node.op) backward: gradient \(gi.shape) for input of shape \(nodes[input].shape)")
                Tape.accumulate(gi, into: &grads[input])
            }
        }
        finish()
        return Gradients(tape: ObjectIdentifier(self), values: leafGradients)
    }

    /// Finishes the tape without back-propagating: unwatches parameters, frees saved tensors.
    public func discard() { finish() }

    private func finish() {
        for (id, p) in parameters where p.value.tracking?.id == id && p.value.tracking?.tape === self {
            p.value = p.value.detached()
        }
        parameters = [:]
        nodes = []
        isFinished = true
    }

    /// sum += g, in place when `sum` is the only reference to a contiguous buffer.
    static func accumulate(_ g: Tensor, into slot: inout Tensor?) {
        guard var sum = slot else { slot = g.detached(); return }
        slot = nil
        if sum.isContiguous && isKnownUniquelyReferenced(&sum.storage) {
            sum.backend.accumulate(g, into: sum)
            slot = sum
        } else {
            slot = sum.backend.binary(.add, sum, g)
        }
    }
}

extension Tape {
    /// sum[slice] += g, where g is the gradient of a slice of a tensor of `shape`: in place when
    /// `sum` is the only reference to a contiguous buffer; otherwise (first slice, or a shared
    /// sum) through a zero tensor holding g in the slice.
    static func accumulate(_ g: Tensor, slice: (axis: Int, start: Int), of shape: [Int], into slot: inout Tensor?) {
        let length = g.shape[slice.axis]
        if var sum = slot {
            slot = nil
            if sum.isContiguous && isKnownUniquelyReferenced(&sum.storage) {
                sum.backend.accumulate(g, into: sum.narrowed(slice.axis, start: slice.start, length: length))
                slot = sum
                return
            }
            slot = sum
        }
        let full = Tensor.zeros(shape, on: g.backend)
        g.backend.copy(g.detached(), into: full.narrowed(slice.axis, start: slice.start, length: length))
        accumulate(full, into: &slot)
    }
}

/// Gradients of the tensors watched with `Tape.watch(_: Tensor)`, returned by `Tape.backward`.
public struct Gradients {
    let tape: ObjectIdentifier
    let values: [Int: Tensor]

    /// The gradient of `x` (same shape as `x`), or nil if the loss does not depend on it.
    public subscript(_ x: Tensor) -> Tensor? {
        guard let tr = x.tracking else { return nil }
        if let tape = tr.tape, ObjectIdentifier(tape) != self.tape { return nil }
        return values[tr.id]
    }
}

extension Tensor {
    /// Defines a custom differentiable op (for fused ops built outside TensorCore): `output` was
    /// computed from the detached `inputs`; when any input is tracked, the result is recorded
    /// with `backward` (which must return one gradient per input, nil where `needsGradient` is
    /// false, each with that input's shape). The backward closure must capture only untracked
    /// tensors (`detached()`).
    public static func differentiable(_ name: String, output: Tensor, inputs: [Tensor],
                                      backward: @escaping Tape.Backward) -> Tensor {
        guard let tape = Tape.active(inputs) else { return output.detached() }
        return tape.record(name, output, inputs, backward: backward)
    }
}
