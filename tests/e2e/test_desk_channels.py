"""The service desk's social channels, end to end on a phone: BPSDM Jawa Barat's administrator
connects its WhatsApp number; the platforms' stand-in (peers/social_platforms.py, started by
scripts/test and signing with Python's own hmac) passes Meta's handshake and delivers a
citizen's message, which becomes a case; the officer's reply reaches the stand-in's send API,
and a reply the platform refuses is shown on the case and sent again.
"""

import json
import os
import re
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from playwright.sync_api import expect

from conftest import PHONE
from peers.social_platforms import delivery

SLUG = "bpsdm-jabar"
ACCOUNT = "106540352242922"
SECRET = "rahasia-aplikasi-e2e-2026"
STAND_IN = os.environ.get("GOTONG_E2E_SOCIAL", "")


def control(path: str, body: dict | None = None):
    request = urllib.request.Request(
        STAND_IN + "/_control/" + path, data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def sent_to(number: str, wait: float = 20) -> list[dict]:
    """The stand-in's sends to `number` once one more arrives (the server's worker sends them)."""
    deadline = time.time() + wait
    while True:
        sends = [s for s in control("sent") if s["body"].get("to") == number]
        if sends or time.time() > deadline:
            return sends
        time.sleep(0.5)


def post(base_url: str, signed: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base_url}/hooks/whatsapp/{SLUG}", data=signed["body"].encode(), method="POST",
        headers={"Content-Type": "application/json", signed["header"]: signed["signature"]})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {}


def test_a_whatsapp_message_becomes_a_case_and_the_officers_reply_goes_back(gotong, page_weight, base_url):
    assert STAND_IN, "GOTONG_E2E_SOCIAL (the platforms' stand-in) is set by scripts/test"
    # The administrator connects WhatsApp on a phone: the keys are never shown again.
    admin = gotong.signed_in_page(f"admin@{SLUG}.gotong.test")
    admin.set_viewport_size(PHONE)
    meter = page_weight(admin)
    load = meter.goto(f"/t/{SLUG}/kelola/layanan/kanal")
    assert load.total <= meter.budget, load.describe()
    expect(admin.get_by_role("heading", name="Kanal media sosial", level=1)).to_be_visible()
    section = admin.locator("#kanal-whatsapp")
    section.get_by_label("ID nomor telepon (phone number ID)").fill(ACCOUNT)
    section.get_by_label("Kunci rahasia aplikasi Meta (app secret)").fill(SECRET)
    section.get_by_label("Token akses untuk mengirim pesan").fill("token-kirim-e2e")
    # "Sambungkan", or "Ganti kunci" when an earlier run against this database connected it.
    section.get_by_role("button", name=re.compile("^(Sambungkan|Ganti kunci)$")).click()
    expect(admin.get_by_text("Kanal tersambung.")).to_be_visible()
    expect(admin.locator("#kanal-whatsapp")).to_contain_text("Tersambung sejak")
    assert SECRET not in admin.content() and "token-kirim-e2e" not in admin.content()
    violations = gotong.serious_axe_violations(admin)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(admin, "desk-channels")
    token = admin.locator("#kanal-whatsapp dd code").nth(1).inner_text()

    # Meta's set-up handshake: the challenge comes back only with the page's verify token.
    hook = f"{base_url}/hooks/whatsapp/{SLUG}"
    with urllib.request.urlopen(
            f"{hook}?hub.mode=subscribe&hub.verify_token={quote(token)}&hub.challenge=1158201444") as answer:
        assert answer.read() == b"1158201444"

    # A citizen writes on WhatsApp: the stand-in's signed delivery opens a case, once.
    control("reset", {})
    number = "62812" + str(int(time.time()))[-7:]
    text = f"Lampu penerangan jalan di Jl. Cikapayang mati semua ({gotong.unique('wa')})."
    signed = delivery({"channel": "whatsapp", "secret": SECRET, "account": ACCOUNT, "from": number,
                       "name": "Warga Uji", "id": f"wamid.{gotong.unique('e2e')}", "text": text})
    assert post(base_url, signed) == (200, {"received": 1, "repeated": 0, "ignored": 0, "reports": 0})
    assert post(base_url, signed) == (200, {"received": 0, "repeated": 1, "ignored": 0, "reports": 0})
    forged = dict(signed, body=signed["body"].replace("Cikapayang", "Dago"))
    assert post(base_url, forged)[0] == 401

    # The administrator (a coordinator) finds it in the queue, on the WhatsApp channel, once the
    # server's intake has taken the inbox (it is kicked by the delivery), and answers.
    deadline = time.time() + 20
    while True:
        admin.goto(f"/t/{SLUG}/kelola/layanan/antrean?kanal=whatsapp")
        if admin.get_by_role("listitem").filter(has_text=text[-20:]).count() > 0 or time.time() > deadline:
            break
        time.sleep(0.5)
    expect(admin.get_by_role("listitem").filter(has_text=text[-20:])).to_have_count(1)
    admin.get_by_role("listitem").filter(has_text=text[-20:]).get_by_role("link").first.click()
    expect(admin.get_by_text(text)).to_be_visible()
    admin.get_by_label("Pesan").fill("Terima kasih, laporan Anda kami teruskan ke Dinas Perhubungan.")
    admin.get_by_role("button", name="Kirim balasan ke warga").click()
    expect(admin.get_by_text("Balasan disimpan dan sedang dikirim lewat WhatsApp.")).to_be_visible()
    sends = sent_to(number)
    assert len(sends) == 1 and sends[0]["body"]["text"]["body"].startswith("Terima kasih, laporan Anda"), sends
    assert sends[0]["authorization"] == "Bearer token-kirim-e2e"
    admin.reload()
    expect(admin.get_by_text("Terkirim", exact=True)).to_be_visible()

    # The platform refuses the next one: shown on the case, sent again by the officer.
    control("fail", {"count": 1, "status": 400})
    admin.get_by_label("Pesan").fill("Petugas akan memeriksa lokasi besok.")
    admin.get_by_role("button", name="Kirim balasan ke warga").click()
    deadline = time.time() + 20
    while "Gagal terkirim" not in admin.content() and time.time() < deadline:
        time.sleep(0.5)
        admin.reload()
    expect(admin.get_by_text("Gagal terkirim")).to_be_visible()
    violations = gotong.serious_axe_violations(admin)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(admin, "desk-channel-failed")
    admin.get_by_role("button", name="Kirim ulang").click()
    expect(admin.get_by_text("Pesan dikirim ulang.")).to_be_visible()
    deadline = time.time() + 20
    while len([s for s in sent_to(number, 0) if not s["failed"]]) < 2 and time.time() < deadline:
        time.sleep(0.5)
    good = [s for s in sent_to(number, 0) if not s["failed"]]
    assert [s["body"]["text"]["body"] for s in good][-1] == "Petugas akan memeriksa lokasi besok."
