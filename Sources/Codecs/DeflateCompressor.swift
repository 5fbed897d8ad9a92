/// LZ77 parsing with hash chains and lazy matching (the zlib scheme: 3-byte hash heads, a 32 KiB
/// chain of previous positions, per-level chain lengths), feeding `DeflateBlockWriter` one block
/// of up to `blockSymbols` symbols at a time.
struct DeflateCompressor {
    /// zlib's per-level tuning: stop searching at `nice`, quarter the chain once a match of `good`
    /// is in hand, skip the lazy search once a match of `lazy` is in hand (0 = greedy parsing).
    struct Parameters {
        var good: Int, lazy: Int, nice: Int, chain: Int
    }

    static func parameters(level: Int) -> Parameters {
        switch level {
        case ...1: return Parameters(good: 4, lazy: 0, nice: 8, chain: 4)
        case 2: return Parameters(good: 4, lazy: 0, nice: 16, chain: 8)
        case 3: return Parameters(good: 4, lazy: 0, nice: 32, chain: 32)
        case 4: return Parameters(good: 4, lazy: 4, nice: 16, chain: 16)
        case 5: return Parameters(good: 8, lazy: 16, nice: 32, chain: 32)
        case 6: return Parameters(good: 8, lazy: 16, nice: 128, chain: 128)
        case 7: return Parameters(good: 8, lazy: 32, nice: 128, chain: 256)
        case 8: return Parameters(good: 32, lazy: 128, nice: 258, chain: 1024)
        default: return Parameters(good: 32, lazy: 258, nice: 258, chain: 4096)
        }
    }

    private static let windowSize = 32768
    private static let windowMask = windowSize - 1
    /// Farthest distance searched: one less than the window so a live chain slot is never reused.
    private static let maxDistance = windowSize - 1
    private static let hashBits = 15
    private static let blockSymbols = 16384
    private static let minMatch = 3
    private static let maxMatch = 258
    /// zlib's TOO_FAR: a 3-byte match this far back costs more than three literals.
    private static let tooFar = 4096

    /// Compresses `data` into `writer` as a complete raw DEFLATE stream (final block included).
    static func compress(_ data: UnsafeBufferPointer<UInt8>, level: Int, into writer: inout DeflateBitWriter) {
        guard level > 0, let base = data.baseAddress, data.count > 0 else {
            DeflateBlockWriter.writeStored(data, final: true, to: &writer)
            return
        }
        let parameters = Self.parameters(level: level)
        let n = data.count
        let head = UnsafeMutablePointer<Int>.allocate(capacity: 1 << hashBits)
        head.initialize(repeating: -1, count: 1 << hashBits)
        let previous = UnsafeMutablePointer<Int>.allocate(capacity: windowSize)
        previous.initialize(repeating: -1, count: windowSize)
        let symbols = UnsafeMutablePointer<UInt32>.allocate(capacity: blockSymbols)
        defer {
            head.deallocate()
            previous.deallocate()
            symbols.deallocate()
        }
        var symbolCount = 0
        var literalFrequencies = [Int](repeating: 0, count: 286)
        var distanceFrequencies = [Int](repeating: 0, count: 30)
        var blockStart = 0

        @inline(__always) func hash(_ position: Int) -> Int {
            let word = UInt32(base[position]) | UInt32(base[position + 1]) << 8 | UInt32(base[position + 2]) << 16
            return Int((word &* 0x9E37_79B1) >> UInt32(32 - hashBits))
        }
        /// Makes `position` the newest entry of its chain and returns the previous head.
        @inline(__always) func insert(_ position: Int) -> Int {
            let h = hash(position)
            let candidate = head[h]
            previous[position & windowMask] = candidate
            head[h] = position
            return candidate
        }
        func flush(upTo end: Int, final: Bool) {
            DeflateBlockWriter.write(symbols: UnsafeBufferPointer(start: symbols, count: symbolCount),
                                     literalFrequencies: literalFrequencies, distanceFrequencies: distanceFrequencies,
                                     raw: UnsafeBufferPointer(start: base + blockStart, count: end - blockStart),
                                     final: final, storedOnly: false, to: &writer)
            symbolCount = 0
            for index in 0..<286 { literalFrequencies[index] = 0 }
            for index in 0..<30 { distanceFrequencies[index] = 0 }
            blockStart = end
        }
        @inline(__always) func emitLiteral(at position: Int) {
            let byte = base[position]
            symbols[symbolCount] = UInt32(byte)
            symbolCount += 1
            literalFrequencies[Int(byte)] += 1
            if symbolCount == blockSymbols { flush(upTo: position + 1, final: false) }
        }
        @inline(__always) func emitMatch(at position: Int, length: Int, distance: Int) {
            symbols[symbolCount] = DeflateBlockWriter.matchFlag | UInt32(length - 3) << 16 | UInt32(distance - 1)
            symbolCount += 1
            literalFrequencies[257 + Int(DeflateBlockWriter.lengthIndex[length - 3])] += 1
            distanceFrequencies[DeflateBlockWriter.distanceSymbol(distance - 1)] += 1
            if symbolCount == blockSymbols { flush(upTo: position + length, final: false) }
        }
        /// Longest match at `position` longer than `better`, following the chain from `candidate`.
        @inline(__always) func longestMatch(at position: Int, candidate first: Int, better: Int) -> (length: Int, distance: Int) {
            let maxLength = min(maxMatch, n - position)
            var best = better
            var bestDistance = 0
            guard maxLength >= minMatch, best < maxLength else { return (0, 0) }
            var chain = best >= parameters.good ? parameters.chain >> 2 : parameters.chain
            let lowest = position - maxDistance
            var candidate = first
            let here = base + position
            while candidate >= lowest && candidate >= 0 && chain > 0 {
                chain -= 1
                let there = base + candidate
                if there[best] == here[best] && there[0] == here[0] && there[1] == here[1] {
                    var length = 0
                    while length + 8 <= maxLength {
                        let difference = UnsafeRawPointer(here + length).loadUnaligned(as: UInt64.self)
                            ^ UnsafeRawPointer(there + length).loadUnaligned(as: UInt64.self)
                        if difference != 0 {
                            length += UInt64(littleEndian: difference).trailingZeroBitCount >> 3
                            break
                        }
                        length += 8
                    }
                    if length + 8 > maxLength {
                        while length < maxLength && here[length] == there[length] { length += 1 }
                    }
                    if length > best {
                        best = length
                        bestDistance = position - candidate
                        if length >= parameters.nice || length >= maxLength { break }
                    }
                }
                let next = previous[candidate & windowMask]
                if next >= candidate { break }
                candidate = next
            }
            return bestDistance == 0 ? (0, 0) : (best, bestDistance)
        }

        var position = 0
        if parameters.lazy == 0 {
            // Greedy parsing (levels 1-3).
            while position < n {
                var match = (length: 0, distance: 0)
                if n - position >= minMatch {
                    let candidate = insert(position)
                    if candidate >= 0 { match = longestMatch(at: position, candidate: candidate, better: minMatch - 1) }
                    if match.length == minMatch && match.distance > tooFar { match = (0, 0) }
                }
                if match.length >= minMatch {
                    emitMatch(at: position, length: match.length, distance: match.distance)
                    for inner in (position + 1)..<(position + match.length) where n - inner >= minMatch { _ = insert(inner) }
                    position += match.length
                } else {
                    emitLiteral(at: position)
                    position += 1
                }
            }
        } else {
            // Lazy parsing (levels 4-9): keep a match pending while the next position may do better.
            var pending = (length: 0, distance: 0)
            var literalPending = false
            while position < n {
                var match = (length: 0, distance: 0)
                if n - position >= minMatch {
                    let candidate = insert(position)
                    if candidate >= 0 && pending.length < parameters.lazy {
                        match = longestMatch(at: position, candidate: candidate, better: max(pending.length, minMatch - 1))
                        if match.length == minMatch && match.distance > tooFar { match = (0, 0) }
                    }
                }
                if pending.length >= minMatch && match.length <= pending.length {
                    let start = position - 1
                    emitMatch(at: start, length: pending.length, distance: pending.distance)
                    let end = start + pending.length
                    for inner in (position + 1)..<end where n - inner >= minMatch { _ = insert(inner) }
                    position = end
                    pending = (0, 0)
                    literalPending = false
                } else {
                    if literalPending { emitLiteral(at: position - 1) }
                    literalPending = true
                    pending = match
                    position += 1
                }
            }
            if literalPending { emitLiteral(at: position - 1) }
        }
        flush(upTo: n, final: true)
    }
}
