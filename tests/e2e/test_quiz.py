"""A quiz on a phone: a learner takes the timed post-test of "Statistik Dasar untuk ASN" (BPS),
loses the connection halfway (the browser goes offline), keeps answering, comes back, and
finishes with every answer kept and marked.

The demo's post-test asks six questions from BPS's question bank, in this order: Grafik
(true/false), Indikator (matching), Jenis data (several answers), Median (one answer),
Rata-rata (a number), Sumber resmi (a short answer).
"""

from playwright.sync_api import expect

from conftest import PHONE

COURSE_PATH = "/t/bps/pelatihan/statistik-dasar-untuk-asn"
LEARNER = "peserta1@bps.gotong.test"


def _saved(page):
    return page.locator(".save-state")


def test_a_timed_quiz_keeps_every_answer_through_a_dropped_connection(gotong, page_weight):
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    gotong.sign_in(page, LEARNER)
    meter.goto(COURSE_PATH)
    page.get_by_role("button", name="Daftar sekarang").click()
    page.get_by_role("link", name="Buka materi pelatihan").click()
    page.get_by_role("link", name="Tes akhir", exact=True).click()
    expect(page.get_by_text("Batas waktu 10 menit, dihitung sejak mulai")).to_be_visible()
    page.get_by_role("button", name="Mulai mengerjakan").click()
    expect(page.get_by_role("timer")).to_contain_text("Sisa waktu")
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, "attempt page:\n" + gotong.describe_axe(violations)

    # Online: the answer goes to the server as it is given.
    with page.expect_response(lambda r: r.url.endswith("/api/v1/quiz-answers") and r.status == 200):
        page.locator("#q0").get_by_label("Benar").check()

    # The connection drops: answers wait in the browser, and the page says so.
    page.context.set_offline(True)
    q1 = page.locator("#q1")
    q1.get_by_label("Inflasi").select_option(label="persen")
    q1.get_by_label("Jumlah penduduk").select_option(label="jiwa")
    q1.get_by_label("Luas wilayah").select_option(label="km²")
    page.locator("#q2").get_by_label("Jumlah pegawai").check()
    page.locator("#q2").get_by_label("Anggaran belanja (Rp)").check()
    page.locator("#q3").get_by_label("5", exact=True).check()
    page.locator("#q4").get_by_role("textbox").fill("5")
    page.locator("#q5").get_by_role("textbox").fill("bps")
    expect(_saved(page)).to_contain_text("Koneksi terputus")

    # Back online: everything waiting is sent.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(_saved(page)).to_have_text("Semua jawaban tersimpan.")

    # The server has every answer: a reload shows them from there.
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator("#q0").get_by_label("Benar")).to_be_checked()
    expect(page.locator("#q1").get_by_label("Luas wilayah")).to_have_value("2")
    expect(page.locator("#q2").get_by_label("Anggaran belanja (Rp)")).to_be_checked()
    expect(page.locator("#q4").get_by_role("textbox")).to_have_value("5")
    expect(page.locator("#q5").get_by_role("textbox")).to_have_value("bps")

    page.get_by_role("link", name="Selesai mengerjakan").click()
    expect(page.get_by_text("Semua 6 soal sudah dijawab.")).to_be_visible()
    page.get_by_role("button", name="Kirim dan selesai").click()
    expect(page.get_by_role("heading", name="Hasil kesempatan ke-1", level=1)).to_be_visible()
    expect(page.get_by_text("nilai 100")).to_be_visible()
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, "review page:\n" + gotong.describe_axe(violations)
