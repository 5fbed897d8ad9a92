/// One named member of a module, with its PyTorch key segment ("weight", "running_mean", "conv1", "0").
public enum ModuleEntry {
    case parameter(String, Parameter)
    case buffer(String, Buffer)
    case child(String, any Module)
}

/// Training or evaluation behaviour (BatchNorm: batch statistics vs running statistics).
public enum ModuleMode: Sendable, Equatable {
    case training, evaluation
}

/// A node of a network. Names are data: each module lists its members explicitly, with their
/// PyTorch key segments, in PyTorch registration order (CODEBASE-EXAMPLES.md §2.5). The dotted
/// keys (`encoder.layer1.0.bn1.running_mean`) and the parameter order (Adam's state indices)
/// are derived from this listing, exactly as `state_dict()` / `parameters()` order them:
/// pre-order, each module's own parameters, then its own buffers, then its children.
///
/// Example:
/// ```swift
/// final class Block: Module {
///     let conv = Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1, generator: &rng)
///     let bn = BatchNorm2d(8)
///     var entries: [ModuleEntry] { [.child("conv", conv), .child("bn", bn)] }
///     func callAsFunction(_ x: Tensor) -> Tensor { bn(conv(x)).relu() }
/// }
/// ```
public protocol Module: AnyObject {
    /// Own parameters, buffers and children in registration order.
    var entries: [ModuleEntry] { get }
    /// Called on every module of the tree by `train()` / `eval()`; the default does nothing.
    func setMode(_ mode: ModuleMode)
}

extension Module {
    public func setMode(_ mode: ModuleMode) {}

    /// Puts every module of the tree in training mode.
    public func train() { applyMode(.training) }
    /// Puts every module of the tree in evaluation mode.
    public func eval() { applyMode(.evaluation) }

    private func applyMode(_ mode: ModuleMode) {
        setMode(mode)
        for case let .child(_, child) in entries { child.applyMode(mode) }
    }

    /// This module and every module below it, in pre-order (`modules()`).
    public func modules() -> [any Module] {
        var out: [any Module] = [self]
        for case let .child(_, child) in entries { out += child.modules() }
        return out
    }

    /// (key, parameter) pairs in `named_parameters()` order.
    public func namedParameters(prefix: String = "") -> [(key: String, parameter: Parameter)] {
        stateEntries(prefix: prefix).compactMap { e in
            if case let .parameter(p) = e.slot { return (e.key, p) }
            return nil
        }
    }

    /// Parameters in `parameters()` order (the optimizer's parameter indices).
    public func parameters() -> [Parameter] { namedParameters().map(\.parameter) }

    /// (key, buffer) pairs in `named_buffers()` order.
    public func namedBuffers(prefix: String = "") -> [(key: String, buffer: Buffer)] {
        stateEntries(prefix: prefix).compactMap { e in
            if case let .buffer(b) = e.slot { return (e.key, b) }
            return nil
        }
    }

    /// Every state-dict entry in `state_dict()` order.
    public func stateEntries(prefix: String = "") -> [StateEntry] {
        var out: [StateEntry] = []
        appendState(prefix: prefix, into: &out)
        return out
    }

    private func appendState(prefix: String, into out: inout [StateEntry]) {
        let list = entries
        for case let .parameter(name, p) in list { out.append(StateEntry(key: prefix + name, slot: .parameter(p))) }
        for case let .buffer(name, b) in list { out.append(StateEntry(key: prefix + name, slot: .buffer(b))) }
        for case let .child(name, child) in list { child.appendState(prefix: prefix + name + ".", into: &out) }
    }
}

/// One state-dict entry: its dotted key and the parameter or buffer it names.
public struct StateEntry {
    public enum Slot {
        case parameter(Parameter)
        case buffer(Buffer)
    }
    public let key: String
    public let slot: Slot

    /// The current tensor.
    public var value: Tensor {
        switch slot {
        case let .parameter(p): return p.value
        case let .buffer(b): return b.value
        }
    }

    /// Replaces the tensor (shape and dtype are the caller's responsibility: the checkpoint loader checks them).
    public func assign(_ tensor: Tensor) {
        switch slot {
        case let .parameter(p): p.value = tensor.detached()
        case let .buffer(b): b.value = tensor.detached()
        }
    }

    /// Whether the entry is a parameter (else a buffer).
    public var isParameter: Bool {
        if case .parameter = slot { return true }
        return false
    }
}

/// An ordered list of modules whose keys are their positions ("0", "1", …), like nn.Sequential /
/// nn.ModuleList.
public final class ModuleList: Module {
    public let modules: [any Module]
    public init(_ modules: [any Module]) { self.modules = modules }
    public var entries: [ModuleEntry] { modules.enumerated().map { .child(String($0.offset), $0.element) } }
}

extension Module {
    /// Moves every parameter and buffer to `backend` (one explicit step after host-side setup:
    /// initialisation and checkpoint loading produce host tensors). Gradients are dropped.
    public func move(to backend: any Backend) {
        for entry in stateEntries() {
            entry.assign(entry.value.moved(to: backend))
            if case let .parameter(p) = entry.slot { p.grad = nil }
        }
    }
}
