extension Module {
    /// The current tensors by key (`state_dict()`), in no particular order; use `stateEntries()`
    /// for the ordered list.
    public func stateDict() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: stateEntries().map { ($0.key, $0.value) })
    }
}
