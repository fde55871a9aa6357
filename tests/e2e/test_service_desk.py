"""The public service desk on a phone: a citizen without an account reports to BPSDM Jawa
Barat's desk (its demo has the desk turned on), is given a number and a tracking code, and
later finds the case again with them from another browser and adds to it.
"""

import re

from playwright.sync_api import expect

from conftest import PHONE

SLUG = "bpsdm-jabar"


def phone_photo(page, owner: str) -> bytes:
    """A 64×48 JPEG from the browser's encoder, with an EXIF segment naming its `owner`."""
    jpeg = bytes(page.evaluate("""async () => {
        const canvas = document.createElement("canvas");
        canvas.width = 64; canvas.height = 48;
        const g = canvas.getContext("2d");
        g.fillStyle = "#2a7"; g.fillRect(0, 0, 64, 48);
        const blob = await new Promise(done => canvas.toBlob(done, "image/jpeg", 0.8));
        return Array.from(new Uint8Array(await blob.arrayBuffer()));
    }"""))
    exif = b"Exif\x00\x00MM\x00*Artist " + owner.encode()
    return jpeg[:2] + b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif + jpeg[2:]


def test_a_citizen_reports_on_a_phone_and_follows_the_case_with_its_number_and_code(gotong, page_weight):
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    load = meter.goto(f"/layanan/{SLUG}")
    assert load.total <= meter.budget, load.describe()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Layanan publik")
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(page, "desk-form")

    # Sent empty first: every problem at once, beside its field.
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_text("Pilih kategori laporan.")).to_be_visible()
    expect(page.get_by_text("Isi nomor HP atau email agar petugas dapat menghubungi Anda.").first).to_be_visible()

    text = f"Saluran air di depan pasar tersumbat sampah dan meluap saat hujan ({gotong.unique('uji')})."
    page.get_by_label("Kategori").select_option(label="Infrastruktur")
    page.get_by_label("Isi laporan").fill(text)
    page.get_by_label("Lokasi").fill("Pasar Kosambi, Bandung")
    page.get_by_label("Anonim").check()
    page.get_by_label("Nomor HP/WhatsApp").fill("0812 3456 7890")
    # A photo from the phone: a real JPEG (the browser's own encoder), into which the phone
    # wrote its owner's name (an EXIF segment). The reporter is anonymous: the name must go.
    sent_photo = phone_photo(page, owner="Budi Santoso")
    page.get_by_label("Foto atau PDF (tidak wajib)").set_input_files(
        files=[{"name": "saluran.jpg", "mimeType": "image/jpeg", "buffer": sent_photo}])
    page.get_by_role("button", name="Kirim laporan").click()

    status = page.get_by_role("main").get_by_role("status").first
    expect(status).to_contain_text("Laporan Anda diterima dengan nomor ADU-")
    number = re.search(r"ADU-\d{4}-\d{6}", status.inner_text()).group(0)
    # The tracking code is on the page, in groups of four to be written down.
    code = page.locator("strong.code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
    expect(page.get_by_role("heading", name=number, level=1)).to_be_visible()
    expect(page.get_by_text(text)).to_be_visible()
    expect(page.get_by_text("Batas waktu tahap ini")).to_be_visible()
    photo = page.get_by_role("link", name="saluran.jpg")
    expect(photo).to_be_visible()
    with page.expect_download() as download:
        photo.click()
    assert download.value.suggested_filename == "saluran.jpg"
    kept = open(download.value.path(), "rb").read()
    assert b"Budi Santoso" not in kept and len(kept) < len(sent_photo)
    # Still a picture the browser draws, at its size.
    size = page.evaluate("""async (bytes) => {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], {type: "image/jpeg"}));
        return [bitmap.width, bitmap.height];
    }""", list(kept))
    assert size == [64, 48], size
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(page, "desk-received")

    # Another browser, later: the number and the code find it; a wrong code finds nothing.
    other = gotong.new_page()
    other.set_viewport_size(PHONE)
    other.goto(f"/layanan/{SLUG}")
    other.get_by_label("Nomor laporan").fill(number)
    other.get_by_label("Kode pemantauan").fill("salah")
    other.get_by_role("button", name="Lihat laporan").click()
    expect(other.get_by_text("Laporan dengan nomor dan kode itu tidak ditemukan.")).to_be_visible()
    other.get_by_label("Nomor laporan").fill(number.lower())
    other.get_by_label("Kode pemantauan").fill(code.lower().replace("-", " "))
    other.get_by_role("button", name="Lihat laporan").click()
    expect(other.get_by_role("heading", name=number, level=1)).to_be_visible()
    other.get_by_label("Tambahkan keterangan").fill("Sore ini air sudah masuk ke kios.")
    other.get_by_label("Foto atau PDF (tidak wajib)").set_input_files(
        files=[{"name": "surat-rt.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + bytes(2000)}])
    other.get_by_role("button", name="Kirim", exact=True).click()
    expect(other.get_by_text("Keterangan Anda terkirim.")).to_be_visible()
    expect(other.get_by_text("Sore ini air sudah masuk ke kios.")).to_be_visible()
    expect(other.get_by_role("link", name="surat-rt.pdf")).to_be_visible()
    gotong.phone_screenshot(other, "desk-files")


def test_an_officer_answers_on_a_phone_and_the_citizen_reads_and_rates_the_answer(gotong, page_weight):
    # A citizen reports a road case: the desk's rule sends infrastructure to the roads unit.
    citizen = gotong.new_page()
    citizen.set_viewport_size(PHONE)
    citizen.goto(f"/layanan/{SLUG}")
    text = f"Jalan di depan SDN 2 Cibiru berlubang dalam dan membahayakan pengendara ({gotong.unique('uji')})."
    citizen.get_by_label("Kategori").select_option(label="Infrastruktur")
    citizen.get_by_label("Isi laporan").fill(text)
    citizen.get_by_label("Email", exact=True).fill("warga@contoh.id")
    citizen.get_by_role("button", name="Kirim laporan").click()
    status = citizen.get_by_role("main").get_by_role("status").first
    number = re.search(r"ADU-\d{4}-\d{6}", status.inner_text()).group(0)
    address = citizen.url

    # The roads unit's officer finds it in the queue on a phone, with the time left.
    officer = gotong.signed_in_page(f"peserta2@{SLUG}.gotong.test")
    officer.set_viewport_size(PHONE)
    meter = page_weight(officer)
    load = meter.goto(f"/t/{SLUG}/kelola/layanan/antrean")
    assert load.total <= meter.budget, load.describe()
    expect(officer.get_by_role("heading", name="Antrean aduan", level=1)).to_be_visible()
    violations = gotong.serious_axe_violations(officer)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(officer, "desk-queue")
    officer.get_by_role("link", name=number).click()
    expect(officer.get_by_role("heading", name=number, level=1)).to_be_visible()
    expect(officer.get_by_text("Sisa waktu:")).to_be_visible()
    violations = gotong.serious_axe_violations(officer)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(officer, "desk-case")

    # It is verified, answered, and noted internally.
    officer.get_by_role("button", name="Verifikasi").click()
    expect(officer.get_by_text("Aduan diverifikasi.")).to_be_visible()
    officer.get_by_label("Pesan").fill("Terima kasih. Tim kami meninjau lokasi besok pagi.")
    officer.get_by_role("button", name="Kirim balasan ke warga").click()
    expect(officer.get_by_text("Balasan terkirim ke warga.")).to_be_visible()
    officer.get_by_label("Pesan").fill("Koordinasi dengan UPTD wilayah IV.")
    officer.get_by_role("button", name="Simpan sebagai catatan internal").click()
    expect(officer.get_by_text("Catatan internal disimpan.")).to_be_visible()

    # The citizen reads the answer and the new status, never the note.
    citizen.goto(address)
    expect(citizen.get_by_text("Terima kasih. Tim kami meninjau lokasi besok pagi.")).to_be_visible()
    expect(citizen.get_by_text("Diverifikasi").first).to_be_visible()
    expect(citizen.get_by_text("UPTD wilayah IV")).to_have_count(0)

    # The officer follows it up and marks it done; the citizen rates the answer.
    officer.get_by_role("button", name="Tindak lanjut").click()
    expect(officer.get_by_text("Aduan ditandai sedang ditindaklanjuti.")).to_be_visible()
    officer.get_by_role("button", name="Selesai", exact=True).click()
    expect(officer.get_by_text("Aduan ditandai selesai.")).to_be_visible()
    citizen.goto(address)
    violations = gotong.serious_axe_violations(citizen)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(citizen, "desk-rate")
    citizen.get_by_label("4 — Puas").check()
    citizen.get_by_role("button", name="Kirim penilaian").click()
    expect(citizen.get_by_text("Terima kasih atas penilaian Anda.")).to_be_visible()
    expect(citizen.get_by_text("Penilaian Anda atas jawaban ini: 4 dari 5.")).to_be_visible()
