/// NumPy's reductions over 1-D contiguous arrays, reproduced bit for bit: `np.sum`/`np.mean` use
/// pairwise summation in the array's own type (blocks of 128 summed with 8 interleaved
/// accumulators), `np.median` is the mean of the two middle values, `np.std` is the population
/// standard deviation computed from pairwise sums.
enum NumpyReductions {
    /// `np.add.reduce` of a contiguous array (`pairwise_sum` in NumPy's `loops_utils.h`).
    static func pairwiseSum<T: NumpyFloat>(_ values: UnsafePointer<T>, _ count: Int) -> T {
        if count < 8 {
            var result: T = 0
            for index in 0..<count { result += values[index] }
            return result
        }
        if count <= 128 {
            var r0 = values[0], r1 = values[1], r2 = values[2], r3 = values[3]
            var r4 = values[4], r5 = values[5], r6 = values[6], r7 = values[7]
            var index = 8
            let blockEnd = count - count % 8
            while index < blockEnd {
                r0 += values[index]; r1 += values[index + 1]; r2 += values[index + 2]; r3 += values[index + 3]
                r4 += values[index + 4]; r5 += values[index + 5]; r6 += values[index + 6]; r7 += values[index + 7]
                index += 8
            }
            var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while index < count { result += values[index]; index += 1 }
            return result
        }
        var half = count / 2
        half -= half % 8
        return pairwiseSum(values, half) + pairwiseSum(values + half, count - half)
    }

    static func pairwiseSum<T: NumpyFloat>(_ values: [T]) -> T {
        values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return pairwiseSum(base, buffer.count)
        }
    }

    /// `np.mean` of a float array: the pairwise sum divided by the count in the same type
    /// (NaN for an empty array, as NumPy returns with a warning).
    static func mean<T: NumpyFloat>(_ values: UnsafePointer<T>, _ count: Int) -> T {
        guard count > 0 else { return .nan }
        return pairwiseSum(values, count) / T(count)
    }

    static func mean<T: NumpyFloat>(_ values: [T]) -> T {
        values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .nan }
            return mean(base, buffer.count)
        }
    }

    /// `np.std(values)` (population, ddof 0) in the array's type.
    static func standardDeviation<T: NumpyFloat>(_ values: [T]) -> T {
        guard !values.isEmpty else { return .nan }
        let average = mean(values)
        let squares = values.map { ($0 - average) * ($0 - average) }
        return mean(squares).squareRoot()
    }

    /// `np.median(values)`: the middle value, or the mean of the two middle values computed as
    /// `(lower + upper) / 2` in `T`; NaN if any value is NaN or the array is empty.
    /// `scratch` is overwritten (it is the partitioned copy NumPy makes).
    static func median<T: NumpyFloat>(_ scratch: inout [T]) -> T {
        let count = scratch.count
        guard count > 0 else { return .nan }
        return scratch.withUnsafeMutableBufferPointer { buffer -> T in
            let base = buffer.baseAddress!
            for index in 0..<count where base[index].isNaN { return .nan }
            let upperIndex = count / 2
            select(base, count, upperIndex)
            let upper = base[upperIndex]
            if count % 2 == 1 { return upper }
            // After selection every element left of upperIndex is <= upper: the lower middle
            // value is their maximum.
            var lower = base[0]
            for index in 1..<upperIndex where base[index] > lower { lower = base[index] }
            return (lower + upper) / 2
        }
    }

    /// Quickselect: rearranges `values[0..<count]` so that `values[k]` is the k-th smallest,
    /// smaller-or-equal values before it and greater-or-equal after. Values must not be NaN.
    static func select<T: NumpyFloat>(_ values: UnsafeMutablePointer<T>, _ count: Int, _ k: Int) {
        var low = 0, high = count - 1
        while high > low {
            // Median of three as pivot keeps sorted and reversed inputs linear.
            let middle = low + (high - low) / 2
            if values[middle] < values[low] { swap(values, middle, low) }
            if values[high] < values[low] { swap(values, high, low) }
            if values[high] < values[middle] { swap(values, high, middle) }
            let pivot = values[middle]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { swap(values, i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return }
        }
    }

    @inline(__always) private static func swap<T>(_ values: UnsafeMutablePointer<T>, _ a: Int, _ b: Int) {
        let t = values[a]; values[a] = values[b]; values[b] = t
    }
}
