import Foundation
import Testing
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

@Suite("Configuration")
struct ConfigurationTests {
    @Test func defaultsToSQLiteUnderData() throws {
        let config = try GotongConfig.load(environment: [:], directory: "/nonexistent")
        #expect(config.database == .sqlite(path: "data/gotong.sqlite"))
        #expect(config.port == 8080)
        #expect(config.baseURL == "http://127.0.0.1:8080")
        #expect(config.smtp == nil)
    }

    @Test func readsPostgresAndBaseURL() throws {
        let config = try GotongConfig.load(
            environment: [
                "DATABASE_URL": "postgres://u:p@db:5432/gotong", "GOTONG_BASE_URL": "https://belajar.example.go.id/",
                "GOTONG_PORT": "9000",
            ], directory: "/nonexistent")
        #expect(config.database == .postgres(url: "postgres://u:p@db:5432/gotong"))
        #expect(config.baseURL == "https://belajar.example.go.id")
        #expect(config.isHTTPS)
        #expect(config.port == 9000)
    }

    @Test(arguments: [
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with sqlite: or postgres://"),
        ("GOTONG_PORT", "eighty", "GOTONG_PORT must be a number from 1 to 65535"),
        ("GOTONG_BASE_URL", "ftp://x", "GOTONG_BASE_URL must be an http:// or https:// address"),
        ("GOTONG_DEMO_PASSWORD", "short", "GOTONG_DEMO_PASSWORD must be at least 8 characters"),
        ("SMTP_HOST", "mail.example", "SMTP_FROM must be set when SMTP_HOST is set"),
    ])
    func badValuesStopWithOneClearLine(key: String, value: String, message: String) {
        do {
            _ = try GotongConfig.load(environment: [key: value], directory: "/nonexistent")
            Issue.record("\(key)=\(value) was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix(message), "got: \(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test func passwordsNeverReachTheMessage() {
        do {
            _ = try GotongConfig.load(
                environment: ["DATABASE_URL": "mongodb://user:secret@host/db"], directory: "/nonexistent")
            Issue.record("accepted")
        } catch {
            #expect(!"\(error)".contains("secret"))
        }
    }

    @Test func dotEnvFillsGapsAndEnvironmentWins() {
        let parsed = GotongConfig.parseDotEnv("# comment\nGOTONG_PORT=9001\nexport GOTONG_HOST=\"0.0.0.0\"\n")
        #expect(parsed == ["GOTONG_PORT": "9001", "GOTONG_HOST": "0.0.0.0"])
    }
}

@Suite("NIP")
struct NIPTests {
    @Test func acceptsAValidNumber() throws {
        let nip = try NIP.parse("19900115 201503 1 001").get()
        #expect(nip.value == "199001152015031001")
        #expect(nip.gender == 1)
        #expect(nip.start == (2015, 3))
    }

    @Test(arguments: [
        ("12345", NIP.Problem.notEighteenDigits),
        ("19900115201503100A", .notEighteenDigits),
        ("199002302015031001", .birthDate),  // 30 February
        ("199013012015031001", .birthDate),  // month 13
        ("199001152015131001", .startDate),  // start month 13
        ("199001151989031001", .startBeforeBirth),
        ("199001152015033001", .gender),
    ])
    func refusesBadNumbers(raw: String, problem: NIP.Problem) {
        switch NIP.parse(raw) {
        case .success: Issue.record("\(raw) was accepted")
        case .failure(let box): #expect(box.problem == problem)
        }
    }

    @Test func masksAllButTheLastFourDigits() {
        #expect(NIP.masked("199001152015031001") == "••••••••••••••1001")
    }
}

@Suite("Localisation catalogue")
struct CatalogueTests {
    @Test func bothLanguagesHaveTheSameKeys() throws {
        let localizer = try Localizer.load(from: GotongModules.resources())
        #expect(localizer.keys(.id) == localizer.keys(.en))
        #expect(localizer.keys(.id).count > 100)
    }

    /// Each module's pages use only strings of that module and the modules below it, as its code
    /// may import only those; a key a view names that no catalogue has is missing. Read from the
    /// sources: every literal key passed to `t(…)` (a view's `Texts`, a request's `t`).
    @Test func everyKeyUsedInTheViewsExistsInItsModuleOrBelow() throws {
        let modules = try GotongModules.resources()
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources").path
        let pattern = try Regex(#"\bt\("([a-z0-9_]+\.[a-z0-9_.]+)""#)
        var reachable: Set<String> = []
        var missing: [String] = []
        var checked = 0
        for module in modules {
            reachable.formUnion(try module.strings(.id).keys)
            let folder = sources + "/" + module.module
            let enumerator = try #require(FileManager.default.enumerator(atPath: folder))
            while let file = enumerator.nextObject() as? String {
                guard file.hasSuffix(".swift") else { continue }
                let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
                for match in text.matches(of: pattern) {
                    checked += 1
                    let key = String(match.output[1].substring!)
                    if !reachable.contains(key) { missing.append("\(module.module)/\(file): \(key)") }
                }
            }
        }
        #expect(checked > 300, "the sources were read")
        #expect(missing.isEmpty, "keys not in the view's module or below: \(missing)")
    }

    /// A key two modules both define is refused at start rather than one silently winning.
    @Test func aKeyDefinedTwiceIsRefused() throws {
        let platform = try ModuleResources.platform
        #expect(throws: ConfigurationError.self) { try Localizer.load(from: [platform, platform]) }
        #expect(throws: ConfigurationError.self) { try OpenAPIDocument.joined([platform, try .catalog, try .catalog]) }
    }

    @Test func fillsPlaceholdersAndFallsBackToIndonesian() {
        let localizer = Localizer(catalogues: [.id: ["a": "Halo {name}", "b": "Hanya id"], .en: ["a": "Hello {name}"]])
        #expect(localizer.text("a", .en, ["name": "Siti"]) == "Hello Siti")
        #expect(localizer.text("b", .en) == "Hanya id")
        #expect(localizer.text("missing", .en) == "missing")
    }

    /// Placeholders are filled in one pass: a value is never searched for placeholders again
    /// (a course titled `{jp}` keeps its title), and braces that name no argument stay.
    @Test func fillsEachPlaceholderOnceAndLeavesOtherBraces() {
        let fill = Localizer.fill
        #expect(fill("{a} dan {b}", ["a": "{b}", "b": "2"]) == "{b} dan 2")
        #expect(fill("{a}{a}", ["a": "x"]) == "xx")
        #expect(fill("{tidak} {a", ["a": "x"]) == "{tidak} {a")
        #expect(fill("{{a}}", ["a": "x"]) == "{x}")
        #expect(fill("", ["a": "x"]) == "")
        #expect(fill("tanpa", [:]) == "tanpa")
        #expect(fill("é {nama} ✓", ["nama": "Siti Nur"]) == "é Siti Nur ✓")
    }
}
