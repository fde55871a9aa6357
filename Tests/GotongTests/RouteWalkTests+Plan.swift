import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Which calls the walk makes: every route in every variant that applies to it.
extension RouteWalkTests {
    /// Every call of every route in the variants that apply to it. Routes with a parameter the
    /// walk has no value for are reported (once) and left out.
    static func plan(_ routes: [Route], _ f: Fixture, tally: inout Tally, report: Bool) -> [Call] {
        var planned: [Call] = []
        for route in routes {
            let key = RouteWalk.key(route)
            var after = ""
            var hasSlug = false, hasRecord = false, hasPerson = false
            for component in route.path {
                if case .constant(let value) = component { after = value }
                if case .parameter(let name) = component {
                    hasSlug = hasSlug || name == "tenantSlug"
                    hasRecord = hasRecord || namesRecord(name, after: after)
                    hasPerson = hasPerson || namesPerson(name, after: after)
                }
            }
            let master = isMaster(route)
            var variants: [Variant] = [.own]
            if !master, hasSlug || hasRecord || hasPerson { variants.append(.foreign) }
            if hasSlug || master, hasRecord { variants.append(.mixed) }
            for variant in variants {
                let (values, records) = f.values(variant, master: master)
                let addresses: [(path: String, note: String)]
                do {
                    addresses = try Self.addresses(route, values)
                } catch let unknown as UnknownParameter {
                    if report {
                        Issue.record(
                            Comment(
                                rawValue:
                                    """
                                    \(unknown.route): add a value for :\(unknown.name) (after \
                                    “\(unknown.after)”) in RouteWalkTests.values
                                    """
                            ))
                    }
                    break
                } catch {
                    Issue.record(error)
                    break
                }
                // Another tenant's ids are refused whatever the activity type or the action: one
                // address is enough there; every one where the caller's own ids get in.
                for (index, address) in (variant == .own ? addresses : Array(addresses.prefix(1))).enumerated() {
                    if address.note.contains("unfilled") { tally.unfilled.insert("\(key) \(address.note)") }
                    var call = Call(
                        route: route, key: key, path: address.path, variant: variant, note: address.note,
                        rank: rank(route, note: address.note), courseID: records.courseID)
                    call.expansion = index
                    planned.append(call)
                }
            }
        }
        return planned
    }
}
