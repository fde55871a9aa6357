import Testing
import VaporTesting
@testable import Gotong
@Test func placeholder() { #expect(Tenant.isValidSlug("bppk")) }
