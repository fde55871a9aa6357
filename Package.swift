// swift-tools-version:6.0
import PackageDescription

/// What every module builds on.
var vapor: [Target.Dependency] {
    [
        .product(name: "Vapor", package: "vapor"),
        .product(name: "Fluent", package: "fluent"),
        .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
        .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        // Typed ids at module boundaries (`Tagged<Course, UUID>`).
        .product(name: "Tagged", package: "swift-tagged"),
    ]
}

var csv: Target.Dependency { .product(name: "SwiftCSV", package: "SwiftCSV") }

var settings: [SwiftSetting] { [.swiftLanguageMode(.v6)] }

let package = Package(
    name: "gotong",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gotong", targets: ["gotong"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-tagged.git", from: "0.10.0"),
        // Assignments: all submissions of an assignment as one ZIP for its graders.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Snapshot tests of rendered pages (the test target only).
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.17.0"),
        // Already among Vapor's; named so the tests can talk to a listening server.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        // Open Badges: assertions signed RS256 (2.0) and credentials signed ES256 (3.0), keys
        // made with swift-crypto (already among Vapor's; named for its RSA key generation).
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
    ],
    targets: [
        // Modules, lowest first. Each depends only on the ones before it (scripts/check-modules
        // fails the build of a lower module that imports a higher one).
        // The system's zlib, for gzip at a level and memory size that pay on small pages (NIO's
        // compressor has neither setting).
        .systemLibrary(name: "CGotongZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "GotongPlatform",
            dependencies: vapor + [
                "CGotongZlib", .product(name: "Ink", package: "Ink"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: settings
        ),
        .target(
            name: "GotongTenancy", dependencies: vapor + ["GotongPlatform"], resources: [.copy("Resources")],
            swiftSettings: settings
        ),
        .target(
            name: "GotongIdentity", dependencies: vapor + ["GotongPlatform", "GotongTenancy", csv],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        .target(
            name: "GotongCatalog", dependencies: vapor + ["GotongPlatform", "GotongTenancy", "GotongIdentity", csv],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        .target(
            name: "GotongLearning",
            dependencies: vapor + ["GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongCatalog"],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        // Question banks, quizzes and assignments: activity types on Learning's open contract.
        .target(
            name: "GotongAssessment",
            dependencies: vapor + [
                "GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongCatalog", "GotongLearning",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        // Kirkpatrick evaluation of training: forms, reactions (1), learning (2), behaviour (3).
        .target(
            name: "GotongEvaluation",
            dependencies: vapor + [
                "GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongCatalog", "GotongLearning",
                "GotongAssessment",
            ],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        // What learning earns: the JP ledger, certificates and badges, on the completion hooks.
        .target(
            name: "GotongCredentials",
            dependencies: vapor + [
                "GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongCatalog", "GotongLearning",
                "GotongEvaluation",
                .product(name: "JWTKit", package: "jwt-kit"), .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        // Live Learning: live episodes on social media, attendance that earns JP, effectiveness.
        .target(
            name: "GotongLiveLearning",
            dependencies: vapor + [
                "GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongCatalog", "GotongLearning",
                "GotongCredentials", csv,
            ],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        // The public service desk: citizens' cases from every channel, working-day deadlines.
        .target(
            name: "GotongServiceDesk",
            dependencies: vapor + ["GotongPlatform", "GotongTenancy", "GotongIdentity"],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        // The desk's public information site: service catalogue and answerer, announcements, polls.
        .target(
            name: "GotongPublicInfo",
            dependencies: vapor + [
                "GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongEvaluation", "GotongServiceDesk",
            ],
            resources: [.copy("Resources")], swiftSettings: settings
        ),
        // The application: configuration of every module, the migration list, commands, demo data.
        .target(
            name: "Gotong",
            dependencies: vapor + [
                "GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongCatalog", "GotongLearning",
                "GotongAssessment", "GotongEvaluation", "GotongCredentials", "GotongLiveLearning",
                "GotongServiceDesk", "GotongPublicInfo",
            ],
            swiftSettings: settings
        ),
        .executableTarget(name: "gotong", dependencies: ["Gotong"], swiftSettings: settings),
        .testTarget(
            name: "GotongTests",
            dependencies: [
                "Gotong", "GotongPlatform", "GotongTenancy", "GotongIdentity", "GotongCatalog", "GotongLearning",
                "GotongAssessment", "GotongEvaluation", "GotongCredentials", "GotongLiveLearning",
                "GotongServiceDesk", "GotongPublicInfo", .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["Snapshots/__Snapshots__"],
            swiftSettings: settings
        ),
    ]
)
