// swift-tools-version:5.9
// The Swift package of arichat's mobile bindings (iOS, macOS). The Swift sources are the
// ones uniffi generates into bindings/mobile/swift (drift-checked by bindings/mobile/test.sh);
// the native code is an XCFramework built by scripts/build-xcframework.sh on a Mac
// (target/apple/ArichatFFI.xcframework). A release replaces the path with
// `.binaryTarget(name:url:checksum:)` pointing at the zip the release workflow attaches.
import PackageDescription

let package = Package(
    name: "Arichat",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Arichat", targets: ["Arichat"]),
    ],
    targets: [
        .binaryTarget(
            name: "ArichatFFI",
            path: "target/apple/ArichatFFI.xcframework"
        ),
        .target(
            name: "Arichat",
            dependencies: ["ArichatFFI"],
            path: "bindings/mobile/swift",
            exclude: [
                "arichatFFI.h",
                "arichatFFI.modulemap",
                "arichat_coreFFI.h",
                "arichat_coreFFI.modulemap",
            ],
            sources: ["arichat.swift", "arichat_core.swift"]
        ),
    ]
)
