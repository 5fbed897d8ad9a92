// swift-tools-version:6.0
// A separate package that uses Monodepth2 for Swift as a caller does: a dependency by path on the
// checkout two levels up, and the library products only. `.ci/run` builds it and runs the README's
// example with it (Tests/Consumer/run.sh).
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Monodepth2", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "consumer-example", dependencies: [
            .product(name: "Monodepth2", package: "Monodepth2"),
            .product(name: "Monodepth2Training", package: "Monodepth2"),
        ]),
    ]
)
