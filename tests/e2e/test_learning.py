"""Learning inside a course: a learner works through a step-by-step course on a phone, and a
coordinator finds who lags in the monitoring table and reminds them.

The demo's "Pengelolaan Keuangan Negara" (BPPK) opens step by step: a reading, a YouTube video
(a light placeholder), a forum, then an open resource in a second topic.
"""

import re

from playwright.sync_api import expect

from conftest import PHONE

COURSE = "Pengelolaan Keuangan Negara"
COURSE_PATH = "/t/bppk/pelatihan/pengelolaan-keuangan-negara"
LEARNER = "peserta2@bppk.gotong.test"
COORDINATOR = "pengelola@bppk.gotong.test"


def _status(page):
    return page.get_by_role("main").get_by_role("status")


def _quality(gotong, page, meter, label):
    """The page is within the weight budget and has no serious accessibility problems."""
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, f"{label}:\n" + gotong.describe_axe(violations)


def test_learner_works_through_a_step_by_step_course_on_a_phone(gotong, page_weight):
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    gotong.sign_in(page, LEARNER)

    # Enrol from the course page, then open the materials.
    meter.goto(COURSE_PATH)
    page.get_by_role("button", name="Daftar sekarang").click()
    expect(_status(page).first).to_contain_text(COURSE)
    page.get_by_role("link", name="Buka materi pelatihan").click()
    expect(page.get_by_role("heading", name="Daftar materi", level=1)).to_be_visible()
    _quality(gotong, page, meter, "outline")

    # Step by step: the video waits for the reading, and says so.
    steps = page.get_by_role("main").locator("ol.steps li")
    expect(steps.nth(1)).to_contain_text("Selesaikan dulu “Mengenal siklus APBN”")
    expect(steps.nth(1).get_by_role("link")).to_have_count(0)

    # The reading: opening it completes it (no script needed for that).
    page.get_by_role("link", name="Mengenal siklus APBN", exact=True).click()
    expect(page.get_by_role("heading", name="Mengenal siklus APBN", level=1)).to_be_visible()
    expect(page.get_by_text("Materi ini sudah selesai.")).to_be_visible()
    _quality(gotong, page, meter, "reading")

    # The video: a light placeholder; the platform's player loads only when tapped.
    page.get_by_role("link", name="Berikutnya ›").click()
    expect(page.get_by_role("heading", name="Video: APBN dalam lima menit", level=1)).to_be_visible()
    placeholder = page.get_by_role("link", name=re.compile("Putar .* dari YouTube"))
    expect(placeholder).to_be_visible()
    expect(page.locator("iframe")).to_have_count(0)
    _quality(gotong, page, meter, "video")

    # The forum: posting completes it.
    page.get_by_role("link", name="Berikutnya ›").click()
    expect(page.get_by_role("heading", name="Diskusi: anggaran di unit kerja Anda", level=1)).to_be_visible()
    page.get_by_label("Judul").fill("Belanja modal di kantor kami")
    page.get_by_label("Pertanyaan atau pendapat Anda").fill("Pengadaan laptop masuk tahap pelaksanaan setelah DIPA terbit.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_role("heading", name="Belanja modal di kantor kami", level=1)).to_be_visible()

    # The last step opens now; opening it finishes the course.
    page.goto("/t/bppk/belajar/pengelolaan-keuangan-negara")
    expect(page.get_by_text("75% materi wajib selesai")).to_be_visible()
    page.get_by_role("link", name="Bacaan: UU Keuangan Negara", exact=True).click()
    expect(page.get_by_text("Materi ini sudah selesai.")).to_be_visible()
    # Finishing is an event: the step leads to what was earned and what to learn next.
    page.get_by_role("link", name="Pelatihan selesai: lihat hasil belajar Anda").click()
    expect(page.get_by_role("heading", name="Selamat, Anda menyelesaikan pelatihan ini", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"\d+ JP dari pelatihan ini"))
    expect(page.get_by_role("heading", name="Belajar berikutnya", level=2)).to_be_visible()
    gotong.phone_screenshot(page, "learning-finished")
    page.goto("/t/bppk/belajar/pengelolaan-keuangan-negara")
    expect(page.get_by_text("Pelatihan selesai", exact=True)).to_be_visible()
    page.goto("/saya")
    finished = page.get_by_role("heading", name="Selesai", level=2).locator("xpath=following-sibling::ul[1]")
    expect(finished).to_contain_text(COURSE)
    gotong.phone_screenshot(page, "learning-saya")


def test_coordinator_filters_the_monitoring_table_and_sends_a_reminder(gotong, page_weight):
    page = gotong.signed_in_page(COORDINATOR)
    meter = page_weight(page)
    meter.goto("/t/bppk/kelola/pelatihan")
    page.get_by_role("link", name=COURSE, exact=True).click()
    page.get_by_role("link", name="Pantau peserta").click()
    expect(page.get_by_role("heading", name="Pantau kemajuan peserta", level=1)).to_be_visible()
    table = page.get_by_role("table")
    # The demo learner enrolled in the course and has not started it.
    expect(table).to_contain_text("Siti Rahmawati")
    expect(page.locator("svg.chart")).to_have_count(2)
    _quality(gotong, page, meter, "monitoring")

    page.get_by_role("navigation", name="Saring peserta").get_by_role("link", name="belum selesai").click()
    expect(page).to_have_url(re.compile(r"filter=belum_selesai"))
    expect(table).to_contain_text("Siti Rahmawati")
    page.get_by_label("Pesan").fill("Yth. {nama}, mohon lanjutkan {pelatihan} minggu ini.")
    page.get_by_role("button", name="Kirim pengingat").click()
    expect(_status(page).first).to_contain_text(re.compile(r"Pengingat dikirim ke \d+ peserta"))
    log = page.get_by_role("heading", name="Riwayat pengingat").locator("xpath=following-sibling::ul[1]")
    expect(log).to_contain_text("belum selesai")
    expect(log).to_contain_text("mohon lanjutkan {pelatihan}")

    # The learner reads the reminder with their own name and the course filled in.
    learner = gotong.signed_in_page("asn@gotong.test")
    learner.goto("/notifikasi")
    expect(learner.get_by_role("main")).to_contain_text("Yth. Siti Rahmawati, mohon lanjutkan Pengelolaan Keuangan Negara minggu ini.")
