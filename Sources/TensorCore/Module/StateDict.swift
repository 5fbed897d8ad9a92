/// Why a state dict could not be loaded into a module (names the keys).
public enum StateDictError: Error, Equatable, CustomStringConvertible {
    case missingKeys([String])
    case unexpectedKeys([String])
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    case typeMismatch(key: String, expected: DType, found: DType)

    public var description: String {
        switch self {
        case let .missingKeys(keys): return "state dict is missing \(keys.count) key(s): \(keys.prefix(8).joined(separator: ", "))"
        case let .unexpectedKeys(keys): return "state dict has \(keys.count) unexpected key(s): \(keys.prefix(8).joined(separator: ", "))"
        case let .shapeMismatch(key, expected, found): return "state dict key \(key): shape \(found), model expects \(expected)"
        case let .typeMismatch(key, expected, found): return "state dict key \(key): type \(found), model expects \(expected)"
        }
    }
}

/// What a tolerant load did not use or did not find.
public struct StateDictLoadReport: Equatable, Sendable {
    /// Model keys absent from the state dict (left as they were).
    public var missingKeys: [String]
    /// State-dict keys the model does not have (ignored).
    public var unexpectedKeys: [String]
}

extension Module {
    /// Loads tensors by key. Every present key must match the model's shape and dtype (int64
    /// `num_batches_tracked` may come as any integer type and is converted). With `strict`,
    /// missing or unexpected keys throw; a missing `num_batches_tracked` is always tolerated
    /// (checkpoints from before PyTorch 0.4.1 lack it). Nothing is assigned when it throws.
    @discardableResult
    public func loadStateDict(_ tensors: [String: Tensor], strict: Bool = true) throws -> StateDictLoadReport {
        let entries = stateEntries()
        let known = Set(entries.map(\.key))
        var missing: [String] = []
        var updates: [(StateEntry, Tensor)] = []
        for entry in entries {
            guard var t = tensors[entry.key] else {
                if !entry.key.hasSuffix("num_batches_tracked") { missing.append(entry.key) }
                continue
            }
            let current = entry.value
            guard t.shape == current.shape else {
                throw StateDictError.shapeMismatch(key: entry.key, expected: current.shape, found: t.shape)
            }
            if t.dtype != current.dtype {
                let integral: Set<DType> = [.int32, .int64]
                guard integral.contains(t.dtype) && integral.contains(current.dtype) else {
                    throw StateDictError.typeMismatch(key: entry.key, expected: current.dtype, found: t.dtype)
                }
                t = t.converted(to: current.dtype)
            }
            updates.append((entry, t))
        }
        let unexpected = tensors.keys.filter { !known.contains($0) }.sorted()
        if strict && !missing.isEmpty { throw StateDictError.missingKeys(missing) }
        if strict && !unexpected.isEmpty { throw StateDictError.unexpectedKeys(unexpected) }
        for (entry, t) in updates { entry.assign(t) }
        return StateDictLoadReport(missingKeys: missing, unexpectedKeys: unexpected)
    }

    /// The current tensors by key (`state_dict()`), in no particular order; use `stateEntries()`
    /// for the ordered list.
    public func stateDict() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: stateEntries().map { ($0.key, $0.value) })
    }
}
