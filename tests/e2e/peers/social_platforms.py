"""A stand-in for the social platforms Gotong's service desk talks to, for tests (no internet).

It plays, on one local port, the documented request and response shapes of:

- WhatsApp Cloud API: ``POST /v21.0/{phone-number-id}/messages`` (a text message, or a template
  message with text body parameters), the
  ``whatsapp_business_account`` webhook delivery (messages — text, or an image or a document
  by its media id — and statuses), and the media a message names: ``GET /v21.0/{media-id}``
  (its download ``url``, ``mime_type``, ``sha256``, ``file_size``) and the ``url`` itself,
  both with the access token as a bearer;
- Instagram messaging: ``POST /v21.0/{ig-id}/messages`` (to a user's id, or privately to a
  comment's id) and the ``instagram`` webhook delivery (direct messages, comments);
- X: ``POST /2/dm_conversations/with/{participant_id}/messages``, ``POST /2/tweets`` (a post on
  the account) and the Account Activity API delivery (``direct_message_events``,
  ``tweet_create_events``) with its CRC check;
- Instagram content publishing: ``POST /v21.0/{ig-id}/media`` (a container from ``image_url`` and
  ``caption``, at most 2,200 characters; the image is fetched from its address, as Instagram
  does, and must be a JPEG or PNG) then ``POST /v21.0/{ig-id}/media_publish`` (``creation_id``);
- Telegram Bot API: ``POST /bot{token}/sendMessage`` (``chat_id``, ``text`` of 1–4,096
  characters) and ``sendPhoto`` (``photo`` by address, ``caption`` of at most 1,024), answering
  ``{"ok", "result": {"message_id"}}``, and its webhook update, which carries the secret token
  given to ``setWebhook`` in ``X-Telegram-Bot-Api-Secret-Token``.

Webhook deliveries are signed here, with Python's own ``hmac`` (Meta: ``X-Hub-Signature-256:
sha256=<hex>``; X: ``x-twitter-webhooks-signature: sha256=<base64>``), so Gotong's check is
tested against an implementation that is not its own.

Control endpoints (under ``/_control``) let a test see what was sent, make the next sends fail,
and get a signed delivery:

- ``GET  /_control/sent``            every send received, oldest first
- ``POST /_control/reset``           forget them, stop failing
- ``POST /_control/fail``            ``{"count": n, "status": 500}``: the next n sends (and
                                      media look-ups) answer so
- ``POST /_control/delivery``        ``{"channel", "secret", "account", "from", "name", "id",
                                      "text", "kind", "image"|"document": {"id", "caption",
                                      "filename"}}`` → ``{"body", "header", "signature"}``
- ``POST /_control/media``           ``{"mime_type", "base64"}`` → ``{"id"}``: media a later
                                      delivery may name
- ``POST /_control/status``          ``{"secret", "account", "id", "status"}`` → a WhatsApp
                                      status delivery, signed
- ``POST /_control/crc``             ``{"secret", "token"}`` → X's expected ``response_token``

Run: ``python3 social_platforms.py --port 0`` prints ``PORT <n>`` once listening.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
SENT: list[dict] = []
FAIL = {"count": 0, "status": 500}
COUNTER = [0]
MEDIA: dict[str, dict] = {}

WA_OR_IG = re.compile(r"^/v\d+\.\d+/(\d+)/messages$")
X_DM = re.compile(r"^/2/dm_conversations/with/(\d+)/messages$")
X_POST = re.compile(r"^/2/tweets$")
IG_MEDIA = re.compile(r"^/v\d+\.\d+/(\d+)/media$")
IG_PUBLISH = re.compile(r"^/v\d+\.\d+/(\d+)/media_publish$")
TELEGRAM = re.compile(r"^/bot(\d+:[A-Za-z0-9_-]+)/(sendMessage|sendPhoto)$")
CONTAINERS: dict[str, dict] = {}
MEDIA_NODE = re.compile(r"^/v\d+\.\d+/(\d+)$")
MEDIA_FILE = re.compile(r"^/media/(\d+)$")


def meta_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def x_signature(secret: str, body: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def next_id() -> int:
    with LOCK:
        COUNTER[0] += 1
        return COUNTER[0]


def delivery(spec: dict) -> dict:
    """A platform's webhook delivery as its documentation shows it, signed."""
    channel, account = spec["channel"], spec["account"]
    sender, name, mid, text = spec["from"], spec.get("name", ""), spec["id"], spec.get("text", "")
    now = int(time.time())
    if channel == "whatsapp":
        payload = {
            "object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881", "phone_number_id": account},
                "contacts": [{"profile": {"name": name}, "wa_id": sender}],
                "messages": [whatsapp_message(spec, sender, mid, now)],
            }}]}],
        }
    elif channel == "instagram" and spec.get("kind") == "comment":
        payload = {"object": "instagram", "entry": [{"id": account, "time": now, "changes": [{
            "field": "comments",
            "value": {"from": {"id": sender, "username": name}, "media": {"id": "17887498072083520",
                      "media_product_type": "FEED"}, "id": mid, "parent_id": None, "text": text}}]}]}
    elif channel == "instagram":
        payload = {"object": "instagram", "entry": [{"id": account, "time": now, "messaging": [{
            "sender": {"id": sender}, "recipient": {"id": account}, "timestamp": now * 1000,
            "message": {"mid": mid, "text": text}}]}]}
    elif channel == "x":
        payload = {
            "for_user_id": account,
            "direct_message_events": [{
                "type": "message_create", "id": mid, "created_timestamp": str(now * 1000),
                "message_create": {"target": {"recipient_id": account}, "sender_id": sender,
                                   "message_data": {"text": text, "entities": {}}}}],
            "users": {sender: {"id": sender, "name": name, "screen_name": name},
                      account: {"id": account, "name": "Layanan", "screen_name": "layanan"}},
        }
    elif channel == "telegram":
        payload = {"update_id": next_id() + 10000, "message": {
            "message_id": int(mid), "date": now, "text": text,
            "from": {"id": int(sender), "is_bot": False, "first_name": name or "Warga", "username": name or None},
            "chat": {"id": int(sender) if spec.get("kind") != "channel" else int(account), 
                     "type": "private" if spec.get("kind") != "channel" else "channel"}}}
    else:
        raise ValueError("unknown channel")
    return signed(channel, spec["secret"], payload)


def whatsapp_message(spec: dict, sender: str, mid: str, now: int) -> dict:
    """A WhatsApp message: text, or an image or a document by its media id (with a caption)."""
    message = {"from": sender, "id": mid, "timestamp": str(now)}
    for kind in ("image", "document"):
        if media := spec.get(kind):
            with LOCK:
                known = MEDIA.get(str(media["id"]), {})
            item = {"id": str(media["id"]), "mime_type": known.get("mime_type", "image/jpeg"),
                    "sha256": hashlib.sha256(known.get("data", b"")).hexdigest()}
            if media.get("caption"):
                item["caption"] = media["caption"]
            if kind == "document":
                item["filename"] = media.get("filename", "dokumen.pdf")
            return message | {"type": kind, kind: item}
    return message | {"type": "text", "text": {"body": spec.get("text", "")}}


def signed(channel: str, secret: str, payload: dict) -> dict:
    body = json.dumps(payload).encode()
    if channel == "telegram":
        return {"body": body.decode(), "header": "X-Telegram-Bot-Api-Secret-Token", "signature": secret}
    if channel == "x":
        return {"body": body.decode(), "header": "x-twitter-webhooks-signature",
                "signature": x_signature(secret, body)}
    return {"body": body.decode(), "header": "X-Hub-Signature-256", "signature": meta_signature(secret, body)}


def status_delivery(spec: dict) -> dict:
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": spec["account"]},
            "statuses": [{"id": spec["id"], "status": spec["status"], "timestamp": str(int(time.time())),
                          "recipient_id": "6281234567890"}]}}]}]}
    return signed("whatsapp", spec["secret"], payload)


def utf16(text: str) -> int:
    """Telegram measures texts in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def whatsapp_template_problem(data: dict) -> str | None:
    """A template message: a name, a language, body parameters of text without line breaks or
    tabs, at most 1,024 characters each (Meta's rules for template parameters)."""
    template = data.get("template") or {}
    if data.get("messaging_product") != "whatsapp" or not data.get("to") or not template.get("name"):
        return "(#100) Invalid parameter"
    if not (template.get("language") or {}).get("code"):
        return "(#132000) Number of parameters does not match the expected number of params"
    for component in template.get("components") or []:
        for parameter in component.get("parameters") or []:
            text = parameter.get("text", "")
            if parameter.get("type") != "text" or not text or len(text) > 1024:
                return "(#131008) Required parameter is missing or too long"
            if "\n" in text or "\t" in text or "    " in text:
                return "(#132018) Param text cannot have new-line/tab characters or more than 4 consecutive spaces"
    return None


def x_post_problem(text) -> str | None:
    """X's limit on a post: 280, counting each link as 23."""
    if not isinstance(text, str) or not text:
        return "text is required"
    words = re.split(r"(\s)", text)
    weighted = sum(1 if w.isspace() else 23 if w.startswith(("http://", "https://"))
                   else sum(2 if ord(c) > 0x10FF else 1 for c in w) for w in words if w)
    return None if weighted <= 280 else f"Your Tweet text is too long. ({weighted})"


def instagram_media_problem(data: dict) -> str | None:
    """A feed container: a caption of at most 2,200 characters and an image Instagram can fetch."""
    caption, url = data.get("caption", ""), data.get("image_url")
    if len(caption) > 2200:
        return "(#100) The caption is too long"
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return "(#100) The parameter image_url is required"
    try:
        from urllib.request import urlopen
        with urlopen(url, timeout=60) as got:
            head = got.read(8)
    except Exception as error:  # noqa: BLE001 — any failure to fetch is Instagram's refusal
        return f"(#9004) The media could not be fetched from this URI: {error}"
    if not (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG")):
        return "(#9004) Only photo or video can be accepted as media type."
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def answer(self, status: int, obj) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path == "/_control/sent":
            with LOCK:
                return self.answer(200, SENT)
        node, file = MEDIA_NODE.match(self.path), MEDIA_FILE.match(self.path)
        if not (node or file):
            return self.answer(404, {"error": {"message": "Unknown path", "code": 803}})
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
            return self.answer(401, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
        media_id = (node or file).group(1)
        with LOCK:
            media = MEDIA.get(media_id)
            failing = node is not None and FAIL["count"] > 0
            if failing:
                FAIL["count"] -= 1
        if failing:
            return self.answer(FAIL["status"], {"error": {"message": "Service temporarily unavailable",
                                                          "code": 2, "is_transient": True}})
        if media is None:
            return self.answer(400, {"error": {"message": "(#100) Invalid media id", "code": 100}})
        if node:
            host = self.headers.get("Host", "127.0.0.1")
            return self.answer(200, {"messaging_product": "whatsapp", "url": f"http://{host}/media/{media_id}",
                                     "mime_type": media["mime_type"],
                                     "sha256": hashlib.sha256(media["data"]).hexdigest(),
                                     "file_size": len(media["data"]), "id": media_id})
        self.send_response(200)
        self.send_header("Content-Type", media["mime_type"])
        self.send_header("Content-Length", str(len(media["data"])))
        self.end_headers()
        self.wfile.write(media["data"])

    def do_POST(self):
        raw = self.body()
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return self.answer(400, {"error": {"message": "Malformed JSON", "code": 100}})
        if self.path.startswith("/_control/"):
            return self.control(self.path[len("/_control/"):], data)
        if m := TELEGRAM.match(self.path):
            return self.telegram(m.group(2), data)
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
            return self.answer(401, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
        if m := WA_OR_IG.match(self.path):
            platform = "whatsapp" if "messaging_product" in data else "instagram"
            problem = self.check_meta(platform, data)
        elif m := X_DM.match(self.path):
            platform = "x"
            text = data.get("text")
            problem = None if isinstance(text, str) and 0 < len(text) <= 10000 else "text is required"
        elif m := X_POST.match(self.path):
            platform = "x_post"
            problem = x_post_problem(data.get("text"))
        elif m := IG_MEDIA.match(self.path):
            platform = "instagram_media"
            problem = instagram_media_problem(data)
        elif m := IG_PUBLISH.match(self.path):
            platform = "instagram_publish"
            with LOCK:
                known = str(data.get("creation_id", "")) in CONTAINERS
            problem = None if known else "(#100) The parameter creation_id is invalid"
        else:
            return self.answer(404, {"error": {"message": "Unknown path", "code": 803}})
        if problem:
            return self.answer(400, {"error": {"message": problem, "type": "OAuthException", "code": 100}})
        with LOCK:
            failing = FAIL["count"] > 0
            if failing:
                FAIL["count"] -= 1
            SENT.append({"platform": platform, "path": self.path, "account_or_participant": m.group(1) if m.groups() else "",
                         "authorization": auth, "body": data, "failed": failing})
        if failing:
            return self.answer(FAIL["status"], {"error": {"message": "Service temporarily unavailable",
                                                          "code": 2, "is_transient": True}})
        n = next_id()
        if platform == "x_post":
            return self.answer(201, {"data": {"id": f"18{n:017d}", "text": data["text"],
                                              "edit_history_tweet_ids": [f"18{n:017d}"]}})
        if platform == "instagram_media":
            with LOCK:
                CONTAINERS[f"17{n:015d}"] = data
            return self.answer(200, {"id": f"17{n:015d}"})
        if platform == "instagram_publish":
            return self.answer(200, {"id": f"179{n:014d}"})
        if platform == "whatsapp":
            return self.answer(200, {"messaging_product": "whatsapp",
                                     "contacts": [{"input": data["to"], "wa_id": data["to"]}],
                                     "messages": [{"id": f"wamid.HBgL{n:08d}"}]})
        if platform == "instagram":
            recipient = data["recipient"].get("id") or data["recipient"].get("comment_id")
            return self.answer(200, {"recipient_id": recipient, "message_id": f"aWdfZAG1{n:08d}"})
        return self.answer(201, {"data": {"dm_conversation_id": f"{m.group(1)}-1", "dm_event_id": f"17{n:08d}"}})

    def telegram(self, method: str, data: dict):
        """The Bot API's send methods, with its own checks and answers."""
        chat = data.get("chat_id")
        if method == "sendMessage":
            text = data.get("text")
            problem = None if isinstance(text, str) and 0 < utf16(text) <= 4096 else \
                "Bad Request: message text is empty or too long"
        else:
            caption = data.get("caption", "")
            problem = None if isinstance(data.get("photo"), str) and data["photo"] and utf16(caption) <= 1024 else \
                "Bad Request: wrong photo or caption too long"
        if not chat:
            problem = "Bad Request: chat not found"
        if problem:
            return self.answer(400, {"ok": False, "error_code": 400, "description": problem})
        with LOCK:
            failing = FAIL["count"] > 0
            if failing:
                FAIL["count"] -= 1
            SENT.append({"platform": "telegram", "path": f"/bot<token>/{method}", "account_or_participant": str(chat),
                         "authorization": self.path.split("/")[1], "body": data, "failed": failing})
        if failing:
            return self.answer(FAIL["status"], {"ok": False, "error_code": FAIL["status"],
                                                "description": "Too Many Requests: retry after 5"})
        return self.answer(200, {"ok": True, "result": {"message_id": next_id(), "date": int(time.time()),
                                                        "chat": {"id": chat, "type": "channel"}}})

    @staticmethod
    def check_meta(platform: str, data: dict):
        if platform == "whatsapp" and data.get("type") == "template":
            return whatsapp_template_problem(data)
        if platform == "whatsapp":
            text = (data.get("text") or {}).get("body")
            if data.get("messaging_product") != "whatsapp" or data.get("type") != "text" or not data.get("to"):
                return "(#100) Invalid parameter"
            if not isinstance(text, str) or not 0 < len(text) <= 4096:
                return "(#100) Param text['body'] must be 1-4096 characters"
            return None
        recipient, message = data.get("recipient") or {}, data.get("message") or {}
        if not (recipient.get("id") or recipient.get("comment_id")):
            return "(#100) The parameter recipient is required"
        text = message.get("text")
        if not isinstance(text, str) or not 0 < len(text.encode()) <= 1000:
            return "(#100) Message text must be at most 1000 bytes"
        return None

    def control(self, what: str, data: dict):
        if what == "reset":
            with LOCK:
                SENT.clear()
                FAIL.update(count=0, status=500)
            return self.answer(200, {})
        if what == "fail":
            with LOCK:
                FAIL.update(count=int(data.get("count", 1)), status=int(data.get("status", 500)))
            return self.answer(200, FAIL)
        if what == "delivery":
            return self.answer(200, delivery(data))
        if what == "status":
            return self.answer(200, status_delivery(data))
        if what == "media":
            media_id = str(next_id() + 900000000000000)
            with LOCK:
                MEDIA[media_id] = {"mime_type": data.get("mime_type", "image/jpeg"),
                                   "data": base64.b64decode(data.get("base64", ""))}
            return self.answer(200, {"id": media_id})
        if what == "crc":
            code = base64.b64encode(hmac.new(data["secret"].encode(), data["token"].encode(),
                                             hashlib.sha256).digest()).decode()
            return self.answer(200, {"response_token": "sha256=" + code})
        return self.answer(404, {})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exit-with-stdin", action="store_true",
                        help="stop when standard input closes (the test process that started it ended)")
    args = parser.parse_args()
    # A parent may start us with signals blocked (Swift's Foundation does): take them back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, set(signal.Signals))
    if args.exit_with_stdin:
        def watch() -> None:
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
