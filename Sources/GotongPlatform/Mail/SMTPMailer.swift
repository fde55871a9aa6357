import Foundation
import NIOCore
import NIOPosix
import Vapor

/// Sends mail through an SMTP relay (RFC 5321), one connection per mail.
///
/// Meant for the relay a government data centre runs next to the application (postfix on the
/// host or in the same network), which accepts mail from it without a password. Authentication
/// would need TLS; until Gotong speaks STARTTLS, configuration refuses SMTP credentials rather
/// than send them in the clear.
public struct SMTPMailer: Mailer {
    let config: GotongConfig.SMTP
    let group: any EventLoopGroup
    let logger: Logger
    /// The name Gotong gives itself in EHLO.
    let hostname: String

    public init(config: GotongConfig.SMTP, group: any EventLoopGroup, logger: Logger, hostname: String = "gotong.local")
    {
        self.config = config
        self.group = group
        self.logger = logger
        self.hostname = hostname
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public func send(_ mail: Mail) async throws {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: config.host, port: config.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var replies = SMTPReplyReader(inbound.makeAsyncIterator())
            func expect(_ code: Int, after command: String?) async throws {
                if let command {
                    try await outbound.write(ByteBuffer(string: command + "\r\n"))
                }
                let reply = try await replies.next()
                guard reply.code == code else {
                    throw Failure(
                        description:
                            """
                                SMTP \(config.host):\(config.port) answered \(reply.code) \(reply.text) to \
                                \(command.map { String($0.prefix(20)) } ?? "greeting")
                                """
                    )
                }
            }
            try await expect(220, after: nil)
            try await expect(250, after: "EHLO \(hostname)")
            try await expect(250, after: "MAIL FROM:<\(config.from)>")
            try await expect(250, after: "RCPT TO:<\(mail.to)>")
            try await expect(354, after: "DATA")
            try await expect(250, after: Self.message(mail, from: config.from, hostname: hostname) + "\r\n.")
            try await expect(221, after: "QUIT")
        }
        logger.info("mail sent to \(mail.to): \(mail.subject)")
    }

    /// The message text: headers, a blank line, the body with dot-stuffing and CRLF line ends.
    static func message(_ mail: Mail, from: String, hostname: String, date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Foundation.Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = "=?UTF-8?B?" + Data(mail.subject.utf8).base64EncodedString() + "?="
        let body = Data(mail.body.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        let headers = [
            "From: Gotong <\(from)>",
            "To: <\(mail.to)>",
            "Subject: \(subject)",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(UUID().uuidString)@\(hostname)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ]
        // Base64 lines never start with a dot, so no dot-stuffing is needed.
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body
    }
}

/// Reads SMTP replies (possibly multi-line: `250-…` then `250 …`) from the byte stream.
struct SMTPReplyReader {
    struct Reply { let code: Int; let text: String }

    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var pending = ""

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next() async throws -> Reply {
        var lines: [String] = []
        while true {
            while let range = pending.range(of: "\r\n") {
                let line = String(pending[..<range.lowerBound])
                pending = String(pending[range.upperBound...])
                lines.append(line)
                // The last line of a reply has a space (or nothing) after the code.
                if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                    let code = Int(line.prefix(3)) ?? 0
                    return Reply(code: code, text: lines.map { String($0.dropFirst(4)) }.joined(separator: " "))
                }
            }
            guard var buffer = try await iterator.next() else {
                throw SMTPMailer.Failure(description: "the SMTP server closed the connection")
            }
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
        }
    }
}
