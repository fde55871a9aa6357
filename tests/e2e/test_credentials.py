"""Certificates in a browser: a coordinator records a completion of training attended in
person, the learner finds the certificate on a phone, downloads its PDF and opens the public
check; the tenant's administrator revokes it and the check then says so to anyone.

The demo's "Literasi Pajak untuk ASN" (BPPK) is used; the learner is an account no other test
completes courses with.
"""

import re
import shutil
import subprocess

from playwright.sync_api import expect

from conftest import PHONE

COURSE = "Literasi Pajak untuk ASN"
COORDINATOR = "pengelola@bppk.gotong.test"
ADMIN = "admin@bppk.gotong.test"
LEARNER = "peserta2@bpsdm-jabar.gotong.test"
LEARNER_NAME = "Peserta Dua BPSDM-JABAR"


def _status(page):
    return page.get_by_role("main").get_by_role("status")


def test_a_certificate_is_issued_downloaded_checked_and_revoked(gotong, page_weight):
    # The coordinator records the completion from the desk's certificates page.
    desk = gotong.signed_in_page(COORDINATOR)
    desk.goto("/t/bppk/kelola/sertifikat")
    expect(desk.get_by_role("heading", name="Sertifikat", level=1)).to_be_visible()
    desk.get_by_label("Pelatihan", exact=True).select_option(label=COURSE)
    desk.get_by_label("Email peserta", exact=True).fill(LEARNER)
    desk.get_by_role("button", name="Catat kelulusan").click()
    expect(_status(desk).first).to_contain_text(f"Kelulusan {LEARNER_NAME} pada {COURSE} dicatat")

    # The learner, on a phone, finds it from "Pelatihan saya" (the job worker issues it at once).
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    gotong.sign_in(page, LEARNER)
    meter.goto("/saya")
    page.get_by_role("link", name="Sertifikat saya").click()
    expect(page.get_by_role("heading", name="Sertifikat saya", level=1)).to_be_visible()
    for _ in range(20):
        if page.get_by_text(COURSE).count():
            break
        page.wait_for_timeout(250)
        page.reload()
    item = page.get_by_role("main").get_by_role("listitem").filter(has_text=COURSE)
    expect(item).to_contain_text("BPPK Kementerian Keuangan")
    expect(item).to_contain_text("1 JP")
    number = re.search(r"Nomor (BPPK/\d{4}/\d{5})", item.inner_text()).group(1)
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)

    # The PDF is a real PDF whose text holds the name, the course and the number.
    pdf_link = item.get_by_role("link", name="Unduh sertifikat (PDF)")
    reply = page.request.get(pdf_link.get_attribute("href"))
    assert reply.status == 200 and reply.headers["content-type"] == "application/pdf"
    body = reply.body()
    assert body.startswith(b"%PDF-1.4")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True).stdout
        for expected in (LEARNER_NAME, COURSE, number):
            assert expected.encode() in text, expected

    # The public check, opened from the list, says the certificate is valid and what it says.
    item.get_by_role("link", name="Halaman verifikasi").click()
    expect(page.get_by_role("heading", name="Verifikasi sertifikat", level=1)).to_be_visible()
    expect(_status(page)).to_contain_text("Sertifikat sah")
    expect(page.get_by_role("main")).to_contain_text(number)
    check_url = page.url
    meter.assert_within()

    # The administrator revokes it, giving the reason.
    admin = gotong.signed_in_page(ADMIN)
    admin.goto("/t/bppk/kelola/sertifikat")
    row = admin.get_by_role("row").filter(has_text=number)
    row.get_by_text("Cabut", exact=True).click()
    row.get_by_label("Alasan pencabutan").fill("Peserta tidak hadir pada sesi penutupan")
    row.get_by_role("button", name=f"Cabut sertifikat {number}").click()
    expect(_status(admin).first).to_have_text(f"Sertifikat {number} dicabut.")

    # Anyone opening the check now reads that it was revoked, and why; the PDF is withheld.
    anyone = gotong.new_page()
    anyone.set_viewport_size(PHONE)
    anyone.goto(check_url)
    expect(_status(anyone)).to_contain_text("Sertifikat dicabut")
    expect(_status(anyone)).to_contain_text("Peserta tidak hadir pada sesi penutupan")
    expect(anyone.get_by_role("link", name="Unduh sertifikat (PDF)")).to_have_count(0)


def test_a_code_typed_by_hand_finds_its_page_or_says_it_cannot_be_read(gotong):
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    page.goto("/verifikasi")
    page.get_by_label("Kode sertifikat").fill("bukan kode")
    page.get_by_role("button", name="Periksa").click()
    expect(page.get_by_text("Kode ini tidak dapat dibaca.")).to_be_visible()
    page.get_by_label("Kode sertifikat").fill("zzzz zzzz zzzz")
    page.get_by_role("button", name="Periksa").click()
    expect(page).to_have_url(re.compile(r"/verifikasi/ZZZZ-ZZZZ-ZZZZ$"))
    expect(_status(page)).to_contain_text("Kode tidak dikenal")
