extension ColorJitter {
    /// The jittered image (RGB or grey). RGB images go through all adjustments in one pass per
    /// contrast step (contrast needs the mean luma of the image as it is at that point), a tile of
    /// pixels at a time, each adjustment a tight loop over the tile, with exactly the arithmetic of
    /// the single-step functions (`Image.applying`).
    public func apply(to image: Image) -> Image {
        guard image.channels == 3, !adjustments.isEmpty else { return image.applying(adjustments) }
        var output = image
        let count = image.width * image.height
        let steps = adjustments.map(JitterStep.init)
        output.pixels.withUnsafeMutableBufferPointer { pixels in
            guard let base = pixels.baseAddress, count > 0 else { return }
            // Segments start at each contrast step; the pass before one sums the luma it needs.
            var starts = steps.indices.filter { steps[$0].kind == .contrast }
            if starts.first != 0 { starts.insert(0, at: 0) }
            var grey: Float = 0
            if steps[0].kind == .contrast { grey = Self.meanGrey(JitterTile.lumaSum(base, count: count), count: count) }
            for (number, start) in starts.enumerated() {
                let end = number + 1 < starts.count ? starts[number + 1] : steps.count
                let sum = JitterTile.run(steps[start..<end], grey: grey, base, count: count,
                                         sumLuma: end < steps.count)
                grey = Self.meanGrey(sum, count: count)
            }
        }
        return output
    }

    /// ImageEnhance.Contrast's grey: `int(mean + 0.5)` of the luma histogram's mean.
    private static func meanGrey(_ sum: Int, count: Int) -> Float {
        Float(UInt8(clamping: Int((count == 0 ? 0 : Double(sum) / Double(count)) + 0.5)))
    }
}

/// One adjustment with its factor in the form the tile loops use.
struct JitterStep {
    enum Kind { case brightness, contrast, saturation, hue }
    let kind: Kind
    /// The blend factor narrowed to a C float (Pillow's `ImagingBlend`).
    let alpha: Float
    /// The hue shift `trunc(255 f) mod 256`, as a double in 0...255.
    let shift: Double

    init(_ adjustment: ColorAdjustment) {
        switch adjustment {
        case .brightness(let factor): (kind, alpha, shift) = (.brightness, Float(factor), 0)
        case .contrast(let factor): (kind, alpha, shift) = (.contrast, Float(factor), 0)
        case .saturation(let factor): (kind, alpha, shift) = (.saturation, Float(factor), 0)
        case .hue(let factor):
            precondition((-0.5...0.5).contains(factor), "ColorJitter: hue factor \(factor) is outside [-0.5, 0.5]")
            (kind, alpha, shift) = (.hue, 0, Double(UInt8(truncatingIfNeeded: Int(factor * 255))))
        }
    }
}
