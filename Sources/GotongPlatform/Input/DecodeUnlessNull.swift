import Foundation

extension KeyedDecodingContainer {
    /// The value when the key is there, nil when it is absent; a `null` is refused (400), for
    /// properties that have no "no value" (a title, a position).
    public func decodeUnlessNull<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [key], debugDescription: "\(key.stringValue) may not be null"))
        }
        return try decode(type, forKey: key)
    }
}
