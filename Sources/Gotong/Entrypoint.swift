import Fluent
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import NIOCore
import NIOPosix
import Vapor

/// Starts Gotong: reads the configuration, migrates, seeds the demo on first start, and runs the
/// command line (serve by default).
public enum GotongServer {
    public static func main() async {
        // Swift concurrency runs on NIO's event loops instead of a pool of its own: a request's
        // handler no longer hops between two sets of threads, which on a small machine costs
        // more than the handler itself. Must come before anything else runs asynchronously.
        let onEventLoops = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        var env: Environment
        do {
            env = try Environment.detect()
        } catch {
            fail("\(error)")
        }
        if !env.arguments.contains(where: { $0.hasPrefix("--env") || $0 == "-e" }) {
            env = Environment(
                name: ProcessInfo.processInfo.environment["GOTONG_ENV"] ?? "production", arguments: env.arguments)
        }
        let config: GotongConfig
        do {
            config = try GotongConfig.load()
        } catch {
            fail("configuration error: \(error)")
        }
        do {
            try LoggingSystem.bootstrap(from: &env)
        } catch {
            fail("\(error)")
        }
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            fail("\(error)")
        }
        app.logger.debug("Swift concurrency on NIO's event loops: \(onEventLoops)")
        do {
            try await configure(app, config: config)
            // Asking for help touches no database.
            let wantsHelp = env.arguments.contains("--help") || env.arguments.contains("-h")
            if !wantsHelp {
                try await app.migrateDatabase()
                try await app.db.useWriteAheadLog()
            }
            if !wantsHelp, isServe(env.arguments) {
                try await prepareServe(app, config: config)
            }
            try await app.execute()
        } catch {
            app.logger.critical("\(error)")
            try? await app.asyncShutdown()
            fail("\(error)")
        }
        try? await app.asyncShutdown()
    }

    private static func isServe(_ arguments: [String]) -> Bool {
        guard arguments.count > 1 else { return true }
        return arguments[1] == "serve" || arguments[1].hasPrefix("-")
    }

    /// Seeds on first start and tells the newcomer where to go and how to sign in.
    private static func prepareServe(_ app: Application, config: GotongConfig) async throws {
        var passwordLine = "the password printed when the demo was seeded (or GOTONG_DEMO_PASSWORD)"
        if try await DemoData.isEmpty(app.db) {
            let password = config.demoPassword ?? DemoPassword.random()
            try await DemoData.seed(app, password: password)
            passwordLine = "password \(password)"
            print("Seeded the demo platform: LAN and three institutions; every demo account uses \(passwordLine).")
        }
        print(
            """
            Gotong is starting on \(config.baseURL)
            Sign in as platform administrator: \(config.baseURL)/masuk with \(DemoData.platformAdminEmail) and \
            \(passwordLine).
            """)
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("gotong: \(message)\n".utf8))
        exit(1)
    }
}
