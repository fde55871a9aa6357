"""Training evaluation in a browser, on a phone: a coordinator makes a course's certificate
wait for its level-1 evaluation, a participant who finished finds it from their certificates,
fills in the organisation form and the trainer's form (a form sent empty says what is missing),
and the certificate follows; the coordinator reads the results with their charts. Then level 3:
a coordinator sends a participant's follow-up, and the supervisor answers through the link that
arrives by email (a real SMTP server the test script runs), without an account.

The demo's "Penyusunan Anggaran Berbasis Kinerja" (BPPK, one trainer) is used; the participant is
an account no other test completes courses with.
"""

import email
import email.policy
import mailbox
import os
import re
import time

from playwright.sync_api import expect

from conftest import PHONE

SLUG = "bppk"
COURSE = "Penyusunan Anggaran Berbasis Kinerja"
COORDINATOR = "pengelola@bppk.gotong.test"
LEARNER = "peserta1@lan.gotong.test"


def _status(page):
    return page.get_by_role("main").get_by_role("status")


def _answer_every_scale(page, point: str) -> None:
    for radio in page.get_by_role("radio", name=point).all():
        radio.check()


def test_the_certificate_waits_for_the_evaluation_and_the_results_count_it(gotong, page_weight):
    # The coordinator sets the course's evaluation, required before the certificate.
    desk = gotong.signed_in_page(COORDINATOR)
    desk.set_viewport_size(PHONE)
    desk.goto(f"/t/{SLUG}/kelola/evaluasi")
    expect(desk.get_by_role("heading", name="Evaluasi pelatihan", level=1)).to_be_visible()
    desk.get_by_role("link", name=COURSE).click()
    expect(desk.get_by_role("heading", name=f"Evaluasi: {COURSE}", level=1)).to_be_visible()
    desk.get_by_label("Formulir penyelenggaraan").select_option(label="Evaluasi Penyelenggaraan Pelatihan")
    desk.get_by_label("Formulir pengajar").select_option(label="Evaluasi Pengajar")
    desk.get_by_label("Sertifikat terbit setelah evaluasi level 1 diisi").check()
    desk.get_by_role("button", name="Simpan").click()
    expect(_status(desk).first).to_contain_text(f"Evaluasi pelatihan {COURSE} disimpan.")

    # It records the participant's completion of the training attended in person.
    desk.goto(f"/t/{SLUG}/kelola/sertifikat")
    desk.get_by_label("Pelatihan", exact=True).select_option(label=COURSE)
    desk.get_by_label("Email peserta", exact=True).fill(LEARNER)
    desk.get_by_role("button", name="Catat kelulusan").click()
    expect(_status(desk).first).to_contain_text("dicatat")

    # The participant, on a phone, finds the certificate waiting for the evaluation.
    page = gotong.signed_in_page(LEARNER)
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    meter.goto("/saya/sertifikat")
    waiting = page.get_by_role("region", name="Menunggu evaluasi Anda")
    expect(waiting).to_contain_text(COURSE)
    waiting.get_by_role("link", name="Isi evaluasi untuk menerima sertifikat").click()
    expect(page.get_by_role("heading", name=f"Evaluasi: {COURSE}", level=1)).to_be_visible()
    expect(page.get_by_text("Formulir 1 dari 2")).to_be_visible()
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)

    # Sent empty, the form says what is missing, beside each question.
    page.get_by_role("button", name="Kirim evaluasi").click()
    expect(page.get_by_role("alert")).to_contain_text("Ada isian yang belum benar")
    expect(page.get_by_text("Pertanyaan ini wajib dijawab.").first).to_be_visible()
    _answer_every_scale(page, "4 — Sangat setuju")
    page.get_by_role("group", name="8. Saran untuk perbaikan penyelenggaraan (tidak wajib)").get_by_role(
        "textbox").fill("Jeda antarsesi lebih panjang.")
    page.get_by_role("button", name="Kirim evaluasi").click()
    expect(_status(page).first).to_contain_text("Terima kasih, evaluasi Anda tersimpan.")
    expect(page.get_by_text("Formulir 2 dari 2")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Evaluasi Pengajar: ")
    _answer_every_scale(page, "3 — Setuju")
    page.get_by_role("button", name="Kirim evaluasi").click()
    expect(page.get_by_text("Semua formulir evaluasi pelatihan ini sudah Anda isi.")).to_be_visible()

    # With the last form in, the certificate is issued.
    page.get_by_role("link", name="Lihat sertifikat saya").click()
    for _ in range(20):
        if page.get_by_role("main").get_by_role("listitem").filter(has_text=COURSE).count():
            break
        page.wait_for_timeout(250)
        page.reload()
    certificate = page.get_by_role("main").get_by_role("listitem").filter(has_text=COURSE)
    expect(certificate).to_contain_text("Nomor BPPK/")
    expect(page.get_by_role("region", name="Menunggu evaluasi Anda")).to_have_count(0)
    # It downloads, and its public check says it is valid.
    pdf = page.request.get(certificate.get_by_role("link", name="Unduh sertifikat (PDF)").get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    certificate.get_by_role("link", name="Halaman verifikasi").click()
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("Sertifikat sah")

    # The coordinator reads the results: the response counted, a chart per question.
    desk.goto(f"/t/{SLUG}/kelola/evaluasi")
    desk.get_by_role("listitem").filter(has_text=COURSE).get_by_role("link", name="Hasil").click()
    expect(desk.get_by_role("heading", name=f"Hasil evaluasi: {COURSE}", level=1)).to_be_visible()
    expect(desk.get_by_role("main")).to_contain_text("1 dari 1 peserta yang selesai (100%)")
    expect(desk.get_by_role("img", name="1: 0, 2: 0, 3: 0, 4: 1").first).to_be_visible()
    desk.get_by_text("1 komentar").click()
    expect(desk.get_by_text("Jeda antarsesi lebih panjang.")).to_be_visible()
    violations = gotong.serious_axe_violations(desk)
    assert not violations, gotong.describe_axe(violations)


FOLLOW_SLUG = "bps"
FOLLOW_COURSE = "Statistik Dasar untuk ASN"
FOLLOW_COORDINATOR = "pengelola@bps.gotong.test"
FOLLOW_LEARNER = "peserta2@lan.gotong.test"
FOLLOW_LEARNER_NAME = "Peserta Dua LAN"


def _mailed_link(to: str, timeout_s: float = 20.0) -> str:
    """The follow-up link in the newest mail to `to`, from the maildir the test script's SMTP
    server writes (GOTONG_E2E_MAILDIR)."""
    maildir = os.environ.get("GOTONG_E2E_MAILDIR")
    assert maildir, "GOTONG_E2E_MAILDIR is not set: scripts/test runs an SMTP server for the browser tests"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for key, message in mailbox.Maildir(maildir, factory=None, create=False).items():
            parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
            if to not in str(parsed["To"]):
                continue
            body = parsed.get_body(preferencelist=("plain",)).get_content()
            found = re.search(r"https?://\S+/evaluasi-atasan/\S+", body)
            if found:
                return found.group(0)
        time.sleep(0.25)
    raise AssertionError(f"no follow-up mail to {to}")


def test_the_supervisor_answers_the_follow_up_through_the_mailed_link(gotong, page_weight):
    supervisor_email = gotong.unique_email("atasan")
    # The coordinator sets a follow-up eight weeks after the course, for participant and supervisor.
    desk = gotong.signed_in_page(FOLLOW_COORDINATOR)
    desk.set_viewport_size(PHONE)
    desk.goto(f"/t/{FOLLOW_SLUG}/kelola/evaluasi")
    desk.get_by_role("link", name=FOLLOW_COURSE).click()
    desk.get_by_label("Tindak lanjut setelah (pekan)").fill("8")
    desk.get_by_label("Formulir pascapelatihan (peserta)").select_option(label="Evaluasi Pascapelatihan (Peserta)")
    desk.get_by_label("Formulir pascapelatihan (atasan)").select_option(label="Evaluasi Pascapelatihan (Atasan)")
    desk.get_by_role("button", name="Simpan").click()
    expect(_status(desk).first).to_contain_text(f"Evaluasi pelatihan {FOLLOW_COURSE} disimpan.")

    # The participant finished (recorded by hand); the coordinator names the supervisor and,
    # the training being long over, sends the follow-up now.
    desk.goto(f"/t/{FOLLOW_SLUG}/kelola/sertifikat")
    desk.get_by_label("Pelatihan", exact=True).select_option(label=FOLLOW_COURSE)
    desk.get_by_label("Email peserta", exact=True).fill(FOLLOW_LEARNER)
    desk.get_by_role("button", name="Catat kelulusan").click()
    expect(_status(desk).first).to_contain_text("dicatat")
    desk.goto(f"/t/{FOLLOW_SLUG}/kelola/evaluasi")
    desk.get_by_role("link", name=FOLLOW_COURSE).click()
    desk.get_by_role("link", name="Tindak lanjut pascapelatihan").click()
    row = desk.get_by_role("listitem").filter(has_text=FOLLOW_LEARNER_NAME)
    for _ in range(20):
        if row.get_by_text("Jatuh tempo").count():
            break
        desk.wait_for_timeout(250)
        desk.reload()
    row.get_by_text("Tetapkan atasan").click()
    row.get_by_label("Nama atasan").fill("Dr. Rina Wulandari")
    row.get_by_label("Email atasan").fill(supervisor_email)
    row.get_by_role("button", name="Simpan atasan").click()
    expect(_status(desk).first).to_contain_text("Atasan disimpan.")
    desk.get_by_role("listitem").filter(has_text=FOLLOW_LEARNER_NAME).get_by_role(
        "button", name="Kirim tindak lanjut sekarang").click()
    expect(_status(desk).first).to_contain_text("Tindak lanjut dikirim.")

    # The supervisor, with no account, opens the mailed link on a phone and answers.
    link = _mailed_link(supervisor_email)
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    meter.goto(link)
    expect(page.get_by_role("heading", name="Evaluasi pascapelatihan", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Penilaian atas {FOLLOW_LEARNER_NAME}")
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    _answer_every_scale(page, "4 — Setuju")
    page.get_by_role("button", name="Kirim evaluasi").click()
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("penilaian Anda sudah tersimpan")

    # The coordinator sees it answered.
    desk.reload()
    expect(desk.get_by_role("listitem").filter(has_text=FOLLOW_LEARNER_NAME)).to_contain_text("Atasan sudah mengisi")
