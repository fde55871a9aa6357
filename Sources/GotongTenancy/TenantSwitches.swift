import Foundation
import GotongPlatform
import Vapor

/// A yes/no a module keeps for each tenant (the service desk: `service_desk`), read in the
/// API's answer about a tenant and set with `PATCH /api/v1/tenants/{slug}` under its name, so
/// Tenancy offers it without knowing the module.
public struct TenantSwitch: Sendable {
    public let name: String
    public let isOn: @Sendable (TenantScope) async throws -> Bool
    /// Turns it on or off for the request's tenant (its administrator asked).
    public let set: @Sendable (Bool, Request) async throws -> Void

    public init(
        name: String, isOn: @escaping @Sendable (TenantScope) async throws -> Bool,
        set: @escaping @Sendable (Bool, Request) async throws -> Void
    ) {
        self.name = name
        self.isOn = isOn
        self.set = set
    }
}

/// The switches modules registered, in their names' order.
public final class TenantSwitches: @unchecked Sendable {
    private let lock = NSLock()
    private var switches: [TenantSwitch] = []

    public func register(_ tenantSwitch: TenantSwitch) {
        lock.withLock {
            switches.append(tenantSwitch)
            switches.sort { $0.name < $1.name }
        }
    }

    public var all: [TenantSwitch] { lock.withLock { switches } }

    /// Each switch's state for the tenant of `scope`.
    func states(_ scope: TenantScope) async throws -> [String: Bool] {
        var states: [String: Bool] = [:]
        for item in all { states[item.name] = try await item.isOn(scope) }
        return states
    }

    /// The switches a JSON body sets: present as true or false. A switch's name with another
    /// value is a problem for that field (422), never silently ignored.
    func requested(in body: ByteBuffer?, problems: inout ProblemList) -> [(TenantSwitch, Bool)] {
        guard let body, let object = try? JSONDecoder().decode([String: Value].self, from: Data(buffer: body)) else {
            return []
        }
        var wanted: [(TenantSwitch, Bool)] = []
        for item in all {
            switch object[item.name] {
            case nil: continue
            case .yes(let on)?: wanted.append((item, on))
            case .other?: problems.add(item.name, "tenant.error.switch", ["field": item.name])
            }
        }
        return wanted
    }

    /// A body's value: JSON's true or false (never the numbers 1 and 0), or anything else.
    private enum Value: Decodable {
        case yes(Bool)
        case other

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            self = (try? value.decode(Bool.self)).map(Value.yes) ?? .other
        }
    }
}

extension Application {
    private struct TenantSwitchesKey: StorageKey { typealias Value = TenantSwitches }

    public var tenantSwitches: TenantSwitches {
        if let switches = storage[TenantSwitchesKey.self] { return switches }
        let switches = TenantSwitches()
        storage[TenantSwitchesKey.self] = switches
        return switches
    }
}
