import GotongPlatform

/// The web addresses of what learning earns.
public enum CredentialsRoute: SiteRoute {
    /// The signed-in person's JP ledger (`?tahun=`, this year when absent).
    case myLedger

    public var segments: [PathSegment] {
        switch self {
        case .myLedger: ["saya", "jp"]
        }
    }
}

/// The JSON API's addresses of what learning earns.
public enum CredentialsAPIRoute: SiteRoute {
    /// The caller's JP ledger for a year (`?year=`, this year when absent).
    case myLedger

    public var segments: [PathSegment] {
        switch self {
        case .myLedger: ["api", "v1", "me", "ledger"]
        }
    }
}
