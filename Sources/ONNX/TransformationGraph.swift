extension GraphBuilder {
    /// layers.py `transformation_from_parameters(axisangle[:, 0], translation[:, 0])` (invert=False):
    /// Rodrigues' rotation of the axis·angle (angle + 1e-7 before dividing, as the original) with the
    /// translation in column 3, (N, 4, 4). trainer.py uses it for [frame 0, frame +1] and its inverse
    /// (`invert=True`) for [frame −1, frame 0].
    mutating func appendTransformation(axisangle: String, translation: String) -> String {
        let vec = reshape(slice(axisangle, "transformation.axisangle0", axis: 1, start: 0, end: 1), "transformation.vec", [-1, 1, 3])
        let t = reshape(slice(translation, "transformation.translation0", axis: 1, start: 0, end: 1), "transformation.t", [-1, 1, 3])
        let angle = node("Sqrt", "transformation.angle", [reduceSumSquare(vec, "transformation.angle_squared", axes: [2])])
        let epsilon = floats([1e-7], dims: [], name: "transformation.epsilon")
        let axis = node("Div", "transformation.axis", [vec, node("Add", "transformation.angle_eps", [angle, epsilon])])
        let ca = node("Cos", "transformation.ca", [angle]), sa = node("Sin", "transformation.sa", [angle])
        let one = floats([1], dims: [], name: "transformation.one"), zeroConstant = floats([0], dims: [], name: "transformation.zero")
        let c = node("Sub", "transformation.C", [one, ca])
        func component(_ name: String, _ index: Int) -> String {
            slice(axis, "transformation.\(name)", axis: 2, start: index, end: index + 1)
        }
        let x = component("x", 0), y = component("y", 1), z = component("z", 2)
        func mul(_ a: String, _ b: String, _ name: String) -> String { node("Mul", "transformation.\(name)", [a, b]) }
        func add(_ a: String, _ b: String, _ name: String) -> String { node("Add", "transformation.\(name)", [a, b]) }
        func sub(_ a: String, _ b: String, _ name: String) -> String { node("Sub", "transformation.\(name)", [a, b]) }
        let xs = mul(x, sa, "xs"), ys = mul(y, sa, "ys"), zs = mul(z, sa, "zs")
        let xC = mul(x, c, "xC"), yC = mul(y, c, "yC"), zC = mul(z, c, "zC")
        let xyC = mul(x, yC, "xyC"), yzC = mul(y, zC, "yzC"), zxC = mul(z, xC, "zxC")
        let zero = mul(ca, zeroConstant, "zeros"), unit = add(zero, one, "ones")
        let column = (0..<3).map { slice(t, "transformation.t\($0)", axis: 2, start: $0, end: $0 + 1) }
        let entries = [add(mul(x, xC, "xxC"), ca, "r00"), sub(xyC, zs, "r01"), add(zxC, ys, "r02"), column[0],
                       add(xyC, zs, "r10"), add(mul(y, yC, "yyC"), ca, "r11"), sub(yzC, xs, "r12"), column[1],
                       sub(zxC, ys, "r20"), add(yzC, xs, "r21"), add(mul(z, zC, "zzC"), ca, "r22"), column[2],
                       zero, zero, zero, unit]
        let flat = node("Concat", "transformation.entries", entries, [.init("axis", .int(2))])
        return reshape(flat, "transformation", [-1, 4, 4])
    }
}
