/// Length-limited Huffman code construction for the DEFLATE encoder.
enum HuffmanEncoder {
    /// Optimal code lengths for `frequencies`, none longer than `maxLength` (symbols with frequency
    /// 0 get length 0). Moffat and Katajainen's in-place minimum-redundancy algorithm on the sorted
    /// frequencies, then the Kraft-sum repair of miniz when a length passes `maxLength`.
    static func codeLengths(frequencies: [Int], maxLength: Int) -> [UInt8] {
        var lengths = [UInt8](repeating: 0, count: frequencies.count)
        var used: [(frequency: Int, symbol: Int)] = []
        used.reserveCapacity(frequencies.count)
        for (symbol, frequency) in frequencies.enumerated() where frequency > 0 {
            used.append((frequency, symbol))
        }
        let n = used.count
        if n == 0 { return lengths }
        if n == 1 {
            lengths[used[0].symbol] = 1
            return lengths
        }
        used.sort { $0.frequency != $1.frequency ? $0.frequency < $1.frequency : $0.symbol < $1.symbol }
        var a = used.map(\.frequency)

        // Moffat & Katajainen (1995): a[i] becomes the depth of the i-th least frequent symbol.
        a[0] += a[1]
        var root = 0
        var leaf = 2
        for next in 1..<(n - 1) {
            if leaf >= n || a[root] < a[leaf] {
                a[next] = a[root]
                a[root] = next
                root += 1
            } else {
                a[next] = a[leaf]
                leaf += 1
            }
            if leaf >= n || (root < next && a[root] < a[leaf]) {
                a[next] += a[root]
                a[root] = next
                root += 1
            } else {
                a[next] += a[leaf]
                leaf += 1
            }
        }
        a[n - 2] = 0
        if n >= 3 {
            for next in stride(from: n - 3, through: 0, by: -1) { a[next] = a[a[next]] + 1 }
        }
        var available = 1
        var usedAtDepth = 0
        var depth = 0
        root = n - 2
        var next = n - 1
        while available > 0 {
            while root >= 0 && a[root] == depth {
                usedAtDepth += 1
                root -= 1
            }
            while available > usedAtDepth {
                a[next] = depth
                next -= 1
                available -= 1
            }
            available = 2 * usedAtDepth
            depth += 1
            usedAtDepth = 0
        }

        // Count codes per length, folding lengths over the limit into it, then repair the Kraft sum.
        var perLength = [Int](repeating: 0, count: maxLength + 1)
        for depth in a { perLength[min(depth, maxLength)] += 1 }
        var total = 0
        for len in 1...maxLength { total += perLength[len] << (maxLength - len) }
        while total != 1 << maxLength {
            perLength[maxLength] -= 1
            for len in stride(from: maxLength - 1, through: 1, by: -1) where perLength[len] > 0 {
                perLength[len] -= 1
                perLength[len + 1] += 2
                break
            }
            total -= 1
        }
        // Longest codes to the least frequent symbols.
        var index = 0
        for len in stride(from: maxLength, through: 1, by: -1) {
            for _ in 0..<perLength[len] {
                lengths[used[index].symbol] = UInt8(len)
                index += 1
            }
        }
        return lengths
    }

    /// Canonical codes for `lengths` (RFC 1951 §3.2.2), bit-reversed for LSB-first output.
    static func reversedCodes(lengths: [UInt8]) -> [UInt16] {
        var count = [Int](repeating: 0, count: 16)
        for len in lengths { count[Int(len)] += 1 }
        count[0] = 0
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for len in 1..<16 {
            code = (code + count[len - 1]) << 1
            nextCode[len] = code
        }
        var codes = [UInt16](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let len = Int(length)
            let value = nextCode[len]
            nextCode[len] += 1
            var reversed = 0
            for bit in 0..<len where value & (1 << bit) != 0 { reversed |= 1 << (len - 1 - bit) }
            codes[symbol] = UInt16(reversed)
        }
        return codes
    }
}
