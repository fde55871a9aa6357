"""The desk's public information site on a phone: a citizen asks the answerer in everyday
Indonesian, reads the service's page (light, accessible, printable), and still reads it with no
signal; a question the answerer is not sure of goes to an officer, who answers it with an FAQ
entry from the list of unanswered questions.
"""

import re

from playwright.sync_api import expect

from conftest import PHONE

SLUG = "bpsdm-jabar"


def test_a_citizen_asks_in_everyday_words_and_reads_the_service_offline(gotong, page_weight):
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    load = meter.goto(f"/layanan/{SLUG}")
    assert load.total <= meter.budget, load.describe()

    page.get_by_label("Tanya tentang layanan").fill("syarat bikin ktp yg hilang apa aja?")
    page.get_by_role("button", name="Tanya", exact=True).click()
    answer = page.get_by_role("article").first
    expect(answer.get_by_role("heading", level=3)).to_have_text("KTP-el")
    expect(answer).to_contain_text("Persyaratan:")
    expect(answer).to_contain_text("surat keterangan kehilangan", ignore_case=True)
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(page, "answerer")

    answer.get_by_role("link", name="KTP-el").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("KTP-el")
    meter.assert_within()
    assert len(page.content().encode()) < 20_000
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(page, "service-page")

    # Printed, the page is the service alone: no menus, no links to elsewhere.
    page.emulate_media(media="print")
    expect(page.locator(".top")).to_be_hidden()
    expect(page.get_by_role("heading", name="Persyaratan")).to_be_visible()
    page.emulate_media(media="screen")

    # Opened once with a signal, the page is still there without one.
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("KTP-el")
    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("KTP-el")
        expect(page.get_by_role("heading", name="Persyaratan")).to_be_visible()
    finally:
        page.context.set_offline(False)


def test_without_script_the_answerer_still_answers(gotong):
    page = gotong.new_page(java_script_enabled=False)
    page.set_viewport_size(PHONE)
    page.goto(f"/layanan/{SLUG}/informasi")
    expect(page.get_by_role("heading", name="Kependudukan")).to_be_visible()
    page.get_by_label("Pertanyaan Anda").fill("jam buka samsat hari sabtu")
    page.get_by_role("button", name="Tanya", exact=True).click()
    answer = page.get_by_role("article").first
    expect(answer.get_by_role("heading", level=3)).to_contain_text("Samsat")
    expect(answer).to_contain_text("Sabtu")


def test_an_unsure_answer_reaches_an_officer_who_answers_it(gotong):
    citizen = gotong.new_page()
    citizen.set_viewport_size(PHONE)
    question = f"kapan pasar murah {gotong.unique('uji')} diadakan lagi"
    citizen.goto(f"/layanan/{SLUG}/tanya")
    citizen.get_by_label("Pertanyaan Anda").fill(question)
    citizen.get_by_role("button", name="Tanya", exact=True).click()
    expect(citizen.get_by_text("Kami belum yakin")).to_be_visible()
    citizen.get_by_role("link", name="Tanyakan langsung kepada petugas").click()
    expect(citizen.get_by_label("Isi laporan")).to_have_value(question)
    expect(citizen.get_by_label("Jenis laporan")).to_have_value("informasi")

    admin = gotong.signed_in_page(f"admin@{SLUG}.gotong.test")
    admin.set_viewport_size(PHONE)
    admin.goto(f"/t/{SLUG}/kelola/layanan/antrean")
    admin.get_by_role("link", name="Pertanyaan belum terjawab").click()
    entry = admin.locator("details", has_text=question)
    entry.locator("summary").click()
    entry.get_by_label("Layanan").select_option(label="Kartu Kuning (AK/1)")
    entry.get_by_label("Pertanyaan").fill("Kapan pasar murah diadakan?")
    entry.get_by_label("Jawaban").fill("Jadwal pasar murah diumumkan di situs ini setiap awal bulan.")
    entry.get_by_role("button", name="Simpan sebagai tanya-jawab").click()
    expect(admin.get_by_role("status").first).to_contain_text("Tanya-jawab ditambahkan.")
    expect(admin.locator("details", has_text=question)).to_have_count(0)

    citizen.goto(f"/layanan/{SLUG}/informasi")
    citizen.get_by_role("link", name="Kartu Kuning (AK/1)").click()
    expect(citizen.get_by_role("heading", name="Kapan pasar murah diadakan?")).to_be_visible()
    assert re.search(r"/informasi/kartu-kuning-ak-1$", citizen.url)

    # The entry taken off again: the answerer learns from it, and a later run asks anew.
    admin.goto(f"/t/{SLUG}/kelola/layanan/informasi")
    admin.get_by_role("link", name="Kartu Kuning (AK/1)").click()
    admin.get_by_role("button", name="Hapus tanya-jawab Kapan pasar murah diadakan?").click()
    expect(admin.get_by_role("status").first).to_contain_text("Tanya-jawab dihapus.")


def test_an_officer_publishes_a_budget_and_a_citizen_finds_it_by_year(gotong, page_weight):
    admin = gotong.signed_in_page(f"admin@{SLUG}.gotong.test")
    admin.set_viewport_size(PHONE)
    admin.goto(f"/t/{SLUG}/kelola/layanan/dokumen")
    title = f"APBD Perubahan {gotong.unique('uji')}"
    admin.get_by_label("Judul").fill(title)
    admin.get_by_label("Jenis dokumen").select_option("apbd")
    admin.get_by_label("Tahun", exact=True).fill("2026")
    admin.get_by_label("Ringkasan").fill("Perubahan anggaran pendapatan dan belanja daerah tahun 2026.")
    # A photo renamed .pdf is refused by its bytes, with the form kept.
    admin.get_by_label("Berkas PDF").set_input_files(
        files=[{"name": "apbd.pdf", "mimeType": "application/pdf", "buffer": b"\xff\xd8\xff\xe0" + b"\x00" * 64}])
    admin.get_by_role("button", name="Terbitkan").click()
    expect(admin.get_by_text("Berkas harus PDF.")).to_be_visible()
    expect(admin.get_by_label("Judul")).to_have_value(title)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    admin.get_by_label("Berkas PDF").set_input_files(
        files=[{"name": "apbd-perubahan.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    admin.get_by_role("button", name="Terbitkan").click()
    expect(admin.get_by_role("status").first).to_contain_text(f"Dokumen {title} diterbitkan.")

    citizen = gotong.new_page()
    citizen.set_viewport_size(PHONE)
    meter = page_weight(citizen)
    meter.goto(f"/layanan/{SLUG}")
    citizen.get_by_role("link", name="Dokumen publik").click()
    citizen.get_by_role("link", name=re.compile(r"^2026 \(\d+\)$")).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Dokumen publik tahun 2026")
    citizen.get_by_label("Cari dokumen").fill("perubahan anggaran")
    citizen.get_by_role("button", name="Cari", exact=True).click()
    link = citizen.get_by_role("link", name=title)
    expect(link).to_be_visible()
    meter.assert_within()
    violations = gotong.serious_axe_violations(citizen)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(citizen, "documents")
    response = citizen.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body() == pdf


def test_a_live_qa_takes_questions_and_votes_then_keeps_the_answers(gotong):
    admin = gotong.signed_in_page(f"admin@{SLUG}.gotong.test")
    admin.set_viewport_size(PHONE)
    admin.goto(f"/t/{SLUG}/kelola/layanan/tanya-jawab")
    topic = f"Perizinan usaha mikro {gotong.unique('uji')}"
    admin.get_by_label("Topik").fill(topic)
    admin.get_by_label("Narasumber").fill("Kepala DPMPTSP")
    admin.get_by_label("Waktu siaran (WIB)").fill("2026-12-20T19:00")
    admin.get_by_label("Alamat siaran langsung").fill("https://www.instagram.com/dpmptsp.contoh/live")
    admin.get_by_role("button", name="Buat sesi").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(topic)

    citizen = gotong.new_page()
    citizen.set_viewport_size(PHONE)
    citizen.goto(f"/layanan/{SLUG}")
    citizen.get_by_role("link", name="Tanya jawab langsung").click()
    citizen.get_by_role("link", name=topic).click()
    citizen.get_by_label("Pertanyaan Anda").fill("Apakah NIB untuk usaha rumahan gratis?")
    citizen.get_by_role("button", name="Kirim pertanyaan").click()
    expect(citizen.get_by_role("status").first).to_contain_text("Pertanyaan Anda terkirim.")
    citizen.get_by_role("button", name=re.compile("^Dukung pertanyaan")).click()
    expect(citizen.get_by_text("1 dukungan")).to_be_visible()
    violations = gotong.serious_axe_violations(citizen)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(citizen, "live-qa")

    admin.get_by_role("button", name="Mulai siaran").click()
    admin.get_by_label("Jawaban").first.fill("Ya, NIB untuk usaha mikro gratis lewat OSS.")
    admin.get_by_role("button", name="Simpan jawaban").first.click()
    admin.get_by_role("button", name="Akhiri sesi").click()
    citizen.reload()
    expect(citizen.get_by_text("Ya, NIB untuk usaha mikro gratis lewat OSS.")).to_be_visible()
    expect(citizen.get_by_role("button", name="Kirim pertanyaan")).to_have_count(0)
