"""Badges in a browser and before real verifiers: an administrator gives a course a badge
with an uploaded PNG on a phone, a completion earns it, and the learner downloads it. Then
third-party implementations check what Gotong publishes:

- the Open Badges 2.0 verifier of IMS Global / 1EdTech (PyPI `openbadges`, run from
  .venv-badges) accepts the hosted and the signed assertion for the holder's address, refuses
  them for another address, and after the certificate is revoked reports the signed one as
  revoked, with its reason;
- joserfc verifies the Open Badges 3.0 credential with the tenant's published JWK set only,
  refuses it after one byte of it is changed, and reads the revocation from the signed status
  list (gzip by Python's own gzip).

The demo's "Analisis Data dengan Spreadsheet" (BPS) is used; the learner is an account no other
test completes courses with.
"""

import base64
import gzip
import json
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import requests
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet
from playwright.sync_api import expect

from conftest import PHONE

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = ROOT / ".venv-badges" / "bin" / "python"
VERIFY_SCRIPT = ROOT / "tests" / "e2e" / "peers" / "openbadges_verify.py"

SLUG = "bps"
COURSE = "Analisis Data dengan Spreadsheet"
BADGE = "Analis Data Spreadsheet"
COORDINATOR = "pengelola@bps.gotong.test"
ADMIN = "admin@bps.gotong.test"
LEARNER = "peserta2@lan.gotong.test"


def _png(path: Path, size: int = 48) -> Path:
    """A real PNG (a teal square) made with zlib, as a coordinator's image editor would."""
    row = b"\x00" + bytes((0x0F, 0x76, 0x6E)) * size
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b""))
    return path


def _verify_ob2(badge: str, email: str) -> dict:
    run = subprocess.run(
        [str(VERIFIER), str(VERIFY_SCRIPT), badge, email], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _messages(report: dict) -> str:
    return " | ".join(m.get("result", "") for m in report["messages"])


def _status_bit(credential_status: dict, keys: KeySet) -> bool:
    token = requests.get(credential_status["statusListCredential"], timeout=30).text
    subject = jwt.decode(token, keys, algorithms=["ES256"]).claims["credentialSubject"]
    encoded = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072  # the spec's smallest list, so its length tells nothing
    index = int(credential_status["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _status(page):
    return page.get_by_role("main").get_by_role("status")


def test_a_badge_is_earned_and_checked_by_real_verifiers(gotong, page_weight, tmp_path):
    # The administrator, on a phone, gives the course a badge from the desk.
    desk = gotong.signed_in_page(ADMIN)
    desk.set_viewport_size(PHONE)
    meter = page_weight(desk)
    meter.goto(f"/t/{SLUG}/kelola")
    desk.get_by_role("link", name="Lencana digital").click()
    expect(desk.get_by_role("heading", name="Lencana digital (Open Badges)", level=1)).to_be_visible()
    desk.get_by_role("row").filter(has_text=COURSE).get_by_role("link", name="Buat lencana").click()
    expect(desk.get_by_role("heading", name=f"Lencana: {COURSE}", level=1)).to_be_visible()
    expect(desk.get_by_label("Nama lencana")).to_have_value(COURSE)
    not_png = tmp_path / "lencana.png"
    not_png.write_text("bukan gambar")
    desk.get_by_label("Gambar lencana (PNG)").set_input_files(not_png)
    desk.get_by_role("button", name="Simpan").click()
    expect(desk.get_by_role("main")).to_contain_text("Gambar harus berupa berkas PNG.")
    desk.get_by_label("Nama lencana").fill(BADGE)
    desk.get_by_label("Gambar lencana (PNG)").set_input_files(_png(tmp_path / "teal.png"))
    desk.get_by_role("button", name="Simpan").click()
    expect(_status(desk).first).to_contain_text(f"Lencana kursus {COURSE} disimpan.")
    expect(desk.get_by_role("row").filter(has_text=COURSE)).to_contain_text(BADGE)
    meter.assert_within()
    violations = gotong.serious_axe_violations(desk)
    assert not violations, gotong.describe_axe(violations)

    # A completion the coordinator records by hand earns the certificate and with it the badge.
    desk = gotong.signed_in_page(COORDINATOR)
    desk.goto(f"/t/{SLUG}/kelola/sertifikat")
    desk.get_by_label("Pelatihan", exact=True).select_option(label=COURSE)
    desk.get_by_label("Email peserta", exact=True).fill(LEARNER)
    desk.get_by_role("button", name="Catat kelulusan").click()
    expect(_status(desk).first).to_contain_text("dicatat")

    page = gotong.signed_in_page(LEARNER)
    page.set_viewport_size(PHONE)
    page.goto("/saya/sertifikat")
    for _ in range(20):
        if page.get_by_text(COURSE).count():
            break
        page.wait_for_timeout(250)
        page.reload()
    item = page.get_by_role("main").get_by_role("listitem").filter(has_text=COURSE)
    expect(item).to_contain_text("Lencana:")
    credential = page.request.get(item.get_by_role("link", name="Unduh lencana (Open Badges 3.0)").get_attribute("href"))
    assert credential.status == 200 and credential.headers["content-type"].startswith("application/vc+jwt")
    token = credential.text()
    assertion_url = gotong.base_url + item.get_by_role("link", name="Open Badges 2.0").get_attribute("href")

    # Open Badges 3.0: joserfc verifies it with the published keys alone.
    keys = KeySet.import_key_set(requests.get(f"{gotong.base_url}/openbadges/{SLUG}/jwks.json", timeout=30).json())
    claims = jwt.decode(token, keys, algorithms=["ES256"]).claims
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"] == f"{gotong.base_url}/openbadges/{SLUG}"
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["name"] == BADGE and achievement["creditsAvailable"] == 10
    assert {"type": "IdentityObject", "identityType": "emailAddress", "hashed": False, "identityHash": LEARNER} in (
        claims["credentialSubject"]["identifier"])
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    changed = payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1:]
    with pytest.raises(BadSignatureError):
        jwt.decode(".".join((header, changed, signature)), keys, algorithms=["ES256"])
    assert not _status_bit(claims["credentialStatus"], keys)

    # Open Badges 2.0: the hosted assertion and the signed one pass the 1EdTech verifier.
    hosted = _verify_ob2(assertion_url, LEARNER)
    assert hosted["valid"] and hosted["errorCount"] == 0, _messages(hosted)
    assert hosted["openBadgesVersion"] == "2.0"
    elsewhere = _verify_ob2(assertion_url, "orang.lain@gotong.test")
    assert not elsewhere["valid"] and "did not match" in _messages(elsewhere)
    signed_jws = requests.get(assertion_url + "/signed", timeout=30).text
    signed = _verify_ob2(signed_jws, LEARNER)
    assert signed["valid"] and signed["errorCount"] == 0, _messages(signed)

    # The administrator revokes the certificate: the badge goes with it, in both standards.
    admin = gotong.signed_in_page(ADMIN)
    admin.goto(f"/t/{SLUG}/kelola/sertifikat")
    row = admin.get_by_role("row").filter(has_text=COURSE).filter(has_text="Peserta Dua LAN")
    row.get_by_text("Cabut", exact=True).click()
    row.get_by_label("Alasan pencabutan").fill("Kelulusan dicatat pada pelatihan yang salah")
    row.get_by_role("button", name="Cabut sertifikat").click()
    expect(_status(admin).first).to_contain_text("dicabut")

    revoked = _verify_ob2(signed_jws, LEARNER)
    assert not revoked["valid"]
    assert "has been revoked" in _messages(revoked) and "pelatihan yang salah" in _messages(revoked)
    gone = requests.get(assertion_url, timeout=30)
    assert gone.status_code == 410 and gone.json()["revoked"] is True
    assert _status_bit(claims["credentialStatus"], keys)
    page.reload()
    expect(item).not_to_contain_text("Lencana:")
