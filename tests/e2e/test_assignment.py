"""An assignment on a phone: a participant of "Statistik Dasar untuk ASN" (BPS) writes a draft,
attaches a PDF, hands it in; the course's trainer grades it with the rubric and feedback and
releases the grade; the participant sees the grade and the feedback. Each page within the page
budget and without serious accessibility problems.
"""

from playwright.sync_api import expect

from conftest import PHONE

COURSE_PATH = "/t/bps/pelatihan/statistik-dasar-untuk-asn"
PARTICIPANT = "peserta2@bps.gotong.test"
TRAINER = "pengajar@bps.gotong.test"
TITLE = "Tugas: tabel dan grafik data unit kerja"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_participant_hands_in_and_sees_the_released_grade(gotong, page_weight):
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    gotong.sign_in(page, PARTICIPANT)
    meter.goto(COURSE_PATH)
    page.get_by_role("button", name="Daftar sekarang").click()
    page.get_by_role("link", name="Buka materi pelatihan").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Belum dikumpulkan.")).to_be_visible()
    assignment_url = page.url
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, "assignment page:\n" + gotong.describe_axe(violations)

    page.get_by_label("Jawaban Anda").fill("Jumlah layanan naik 12% dari Juli ke Agustus.")
    page.get_by_label("Tambah berkas").set_input_files(
        files=[{"name": "tabel-layanan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf disimpan.")).to_be_visible()
    expect(page.get_by_role("link", name="tabel-layanan.pdf")).to_be_visible()
    page.get_by_role("button", name="Kumpulkan").click()
    expect(page.get_by_text("Tugas dikumpulkan.")).to_be_visible()
    expect(page.get_by_role("button", name="Kumpulkan")).to_have_count(0)

    # The trainer grades it with the rubric and releases the grade at once.
    trainer = gotong.new_page()
    trainer.set_viewport_size(PHONE)
    trainer_meter = page_weight(trainer)
    gotong.sign_in(trainer, TRAINER)
    trainer_meter.goto(assignment_url)
    trainer.get_by_role("link", name="Penilaian tugas").click()
    trainer.get_by_role("link", name="Nilai", exact=True).click()
    expect(trainer.get_by_text("Jumlah layanan naik 12%")).to_be_visible()
    trainer_meter.assert_within()
    violations = gotong.serious_axe_violations(trainer)
    assert not violations, "grading page:\n" + gotong.describe_axe(violations)
    trainer.get_by_role("group", name="Ketepatan data").get_by_label("Baik (10)").check()
    trainer.get_by_role("group", name="Pilihan grafik").get_by_label("Tepat (5)").check()
    trainer.get_by_role("group", name="Kesimpulan").get_by_label("Ada (3)").check()
    trainer.get_by_label("Umpan balik", exact=True).fill("Tabel rapi; kesimpulan bisa lebih tajam.")
    trainer.get_by_label("Umumkan nilai ini ke peserta sekarang").check()
    trainer.get_by_role("button", name="Simpan, lalu berikutnya").click()
    expect(trainer.get_by_text("Nilai disimpan.")).to_be_visible()

    # 18 of 20 points.
    page.reload()
    expect(page.get_by_text("Nilai Anda: 90 · Lulus")).to_be_visible()
    expect(page.get_by_text("Tabel rapi; kesimpulan bisa lebih tajam.")).to_be_visible()
