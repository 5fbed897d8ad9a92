#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A library opened with `dlopen`, looked up with `dlsym`. Immutable.
struct SymbolResolver: @unchecked Sendable {
    /// The `dlopen` handle (never closed: MPI libraries do not support being unloaded).
    let handle: UnsafeMutableRawPointer
    /// The name or path it was opened by, for messages.
    let path: String

    /// Opens `path` with `RTLD_NOW | RTLD_GLOBAL` (Open MPI's plugins, themselves loaded with
    /// `dlopen`, resolve symbols of libmpi globally). Returns nil and the loader's reason on failure.
    static func open(_ path: String) -> (resolver: SymbolResolver?, failure: String) {
        _ = dlerror()
        if let handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL) {
            return (SymbolResolver(handle: handle, path: path), "")
        }
        let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
        return (nil, reason)
    }

    /// The address of `name`, or nil when the library does not export it.
    func address(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(handle, name)
    }

    /// The function `name` as the C function type `F`.
    func function<F>(_ name: String, as type: F.Type = F.self) throws(DistributedError) -> F {
        guard let address = dlsym(handle, name) else {
            throw .symbolMissing(library: path, symbol: name)
        }
        precondition(MemoryLayout<F>.size == MemoryLayout<UnsafeMutableRawPointer>.size, "\(F.self) is not a C function pointer type")
        return unsafeBitCast(address, to: F.self)
    }
}
