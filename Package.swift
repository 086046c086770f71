// swift-tools-version:6.1
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

var targets: [Target] = [
    // C libraries, each wrapped by exactly one Swift target.
    .systemLibrary(
        name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
        providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
        name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
        providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

    .target(name: "GlibcCompat"),
    .target(name: "Stripe", dependencies: ["HTTPTransport"]),
    .target(name: "LambdaRuntime", dependencies: ["GlibcCompat", logging]),
    .target(name: "LambdaCodable", dependencies: ["LambdaRuntime", logging]),
    .target(name: "LambdaEvents"),
    .target(name: "Workflows", dependencies: [logging]),
    .target(name: "AnnotationEngine", dependencies: ["CZlib"]),
    .executableTarget(name: "GASAnnotate", dependencies: ["AnnotationEngine", argumentParser]),
    .executableTarget(name: "GASLocal", dependencies: ["LocalStack", "LocalLambda", argumentParser]),
    .target(
        name: "WorkflowsAWS",
        dependencies: [
            "Workflows", "AnnotationEngine", "AWSCore", "AWSS3", "AWSGlacier", "AWSDynamoDB", "AWSSES", "AWSSNS", "AWSSQS", "AWSStepFunctions", "AWSSigV4",
            "HTTPTransport", logging,
        ]),
    .target(
        name: "GASHandlers",
        dependencies: [
            "LambdaRuntime", "LambdaCodable", "LambdaEvents", "Workflows", "WorkflowsAWS", "AnnotationEngine", "AWSCore", "AWSS3", "AWSGlacier",
            "AWSDynamoDB", "AWSSES", "AWSSNS", "AWSStepFunctions", logging,
        ]),
    .executableTarget(name: "EchoLambda", dependencies: ["LambdaRuntime"]),
    .executableTarget(name: "AnnotateHandler", dependencies: ["GASHandlers", "LambdaCodable", "LambdaEvents", "LambdaRuntime", "Workflows", logging]),
    .executableTarget(name: "ArchiveHandler", dependencies: ["GASHandlers", "LambdaCodable", "LambdaRuntime", "Workflows", logging]),
    .executableTarget(
        name: "ThawHandler", dependencies: ["GASHandlers", "LambdaCodable", "LambdaEvents", "LambdaRuntime", "Workflows", "WorkflowsAWS", logging]),
    .executableTarget(
        name: "RestoreHandler", dependencies: ["GASHandlers", "LambdaCodable", "LambdaEvents", "LambdaRuntime", "Workflows", "WorkflowsAWS", logging]),
    .executableTarget(name: "NotifyHandler", dependencies: ["GASHandlers", "LambdaCodable", "LambdaEvents", "LambdaRuntime", "Workflows", logging]),
    .executableTarget(
        name: "ReconcileHandler", dependencies: ["GASHandlers", "LambdaCodable", "LambdaRuntime", "Workflows", "WorkflowsAWS", logging]),

    .target(name: "AWSSigV4", dependencies: ["CCrypto"]),
    .target(name: "HTTPTransport", dependencies: ["CCurl"]),
    .target(name: "AWSCore", dependencies: ["AWSSigV4", "HTTPTransport", logging]),
    .target(name: "AWSS3", dependencies: ["AWSCore", "AWSSigV4", "HTTPTransport"]),
    .target(name: "AWSGlacier", dependencies: ["AWSCore", "AWSSigV4", "HTTPTransport"]),
    .target(name: "AWSDynamoDB", dependencies: ["AWSCore", "HTTPTransport"]),
    .target(name: "AWSSNS", dependencies: ["AWSCore", "HTTPTransport"]),
    .target(name: "AWSSQS", dependencies: ["AWSCore", "HTTPTransport"]),
    .target(name: "AWSStepFunctions", dependencies: ["AWSCore", "HTTPTransport"]),
    .target(name: "AWSSES", dependencies: ["AWSCore", "HTTPTransport"]),

    .executableTarget(
        name: "AWSBench",
        dependencies: [
            "AWSCore", "AWSS3", "AWSGlacier", "AWSDynamoDB", "AWSSigV4", "HTTPTransport", "AnnotationEngine", "WorkflowsAWS", logging, argumentParser,
        ]),

    .target(
        name: "WebFront",
        dependencies: [
            "AWSCore", "AWSS3", "AWSDynamoDB", "AWSSNS", "AWSSecretsManager", "AWSSigV4", "HTTPTransport", "Stripe", "Workflows", "WorkflowsAWS",
            logging,
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "JWTKit", package: "jwt-kit"),
        ]),

    .executableTarget(name: "GASWeb", dependencies: ["WebFront", logging, .product(name: "Hummingbird", package: "hummingbird")]),
    .executableTarget(name: "WebHandler", dependencies: ["WebFront", "LambdaRuntime", logging]),
    .target(name: "AWSSecretsManager", dependencies: ["AWSCore"]),

    .target(name: "LocalServer"),
    .target(name: "LocalLambda", dependencies: ["LocalServer", "HTTPTransport", "AWSCore", "AWSSQS"]),
    .target(
        name: "LocalStack",
        dependencies: [
            "LocalLambda", "LocalServer", "AWSCore", "AWSSigV4", "AWSS3", "AWSGlacier", "AWSDynamoDB", "AWSSNS", "AWSSQS", "AWSStepFunctions", "AWSSES", "AWSSecretsManager",
            "HTTPTransport", .product(name: "Yams", package: "Yams"), logging,
        ]),

    .target(
        name: "TestSupport",
        dependencies: ["AWSCore", "HTTPTransport", "LocalServer"],
        path: "Tests/TestSupport"),
    .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4", "TestSupport"]),
    .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "LambdaCodable", "LocalServer", "TestSupport", logging]),
    .testTarget(name: "LambdaEventsTests", dependencies: ["LambdaEvents", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", logging]),
    .testTarget(
        name: "LocalStackTests",
        dependencies: [
            "LocalStack", "LocalLambda", "LocalServer", "TestSupport", "AWSCore", "AWSSigV4", "AWSDynamoDB", "AWSS3", "AWSSNS", "AWSSQS", "HTTPTransport",
            "Workflows", "WorkflowsAWS", logging,
        ]),
    .testTarget(name: "LocalLambdaTests", dependencies: ["LocalLambda", "TestSupport", "AWSCore", "AWSDynamoDB", "AWSSQS", "HTTPTransport"]),
    .testTarget(name: "AnnotationEngineTests", dependencies: ["AnnotationEngine"]),
    .testTarget(
        name: "WebFrontTests",
        dependencies: [
            "WebFront", "Workflows", "LocalStack", "LocalLambda", "LocalServer", "TestSupport", "AWSCore", "AWSDynamoDB", "AWSS3", "AWSSQS",
            "AWSSecretsManager", "AWSSigV4", "HTTPTransport", "Stripe", .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"), logging,
        ]),
    .testTarget(
        name: "HandlerTests",
        dependencies: [
            "AnnotateHandler", "ArchiveHandler", "ThawHandler", "RestoreHandler", "NotifyHandler", "ReconcileHandler", "GASHandlers", "AWSSNS", "AWSSQS",
            "AWSStepFunctions", "LocalLambda", "LocalServer", "Workflows", "WorkflowsAWS", "LambdaRuntime",
            "LambdaEvents", "AWSCore", "AWSS3", "AWSGlacier", "AWSDynamoDB", "AWSSES", "HTTPTransport", "TestSupport", logging,
        ]),
    .testTarget(
        name: "AWSCoreTests",
        dependencies: ["AWSCore", "AWSSigV4", "HTTPTransport", "LocalServer", "TestSupport", logging]),
    .testTarget(
        name: "AWSServicesTests",
        dependencies: [
            "AWSCore", "AWSSigV4", "AWSS3", "AWSGlacier", "AWSDynamoDB", "AWSSNS", "AWSSQS",
            "AWSStepFunctions", "AWSSES", "HTTPTransport", "LocalServer", "TestSupport", logging,
        ]),
]

for index in targets.indices where targets[index].type != .system {
    targets[index].swiftSettings = (targets[index].swiftSettings ?? []) + settings
}

let package = Package(
    name: "GAS",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "EchoLambda", targets: ["EchoLambda"]),
        .executable(name: "AnnotateHandler", targets: ["AnnotateHandler"]),
        .executable(name: "ArchiveHandler", targets: ["ArchiveHandler"]),
        .executable(name: "ThawHandler", targets: ["ThawHandler"]),
        .executable(name: "RestoreHandler", targets: ["RestoreHandler"]),
        .executable(name: "NotifyHandler", targets: ["NotifyHandler"]),
        .executable(name: "ReconcileHandler", targets: ["ReconcileHandler"]),
        .executable(name: "aws-bench", targets: ["AWSBench"]),
        .executable(name: "gas-annotate", targets: ["GASAnnotate"]),
        .executable(name: "gas-local", targets: ["GASLocal"]),
        .executable(name: "gas-web", targets: ["GASWeb"]),
        .executable(name: "WebHandler", targets: ["WebHandler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        // traits: [] keeps full Foundation and ICU out of the web front (see README, "The web front").
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
    ],
    targets: targets
)
