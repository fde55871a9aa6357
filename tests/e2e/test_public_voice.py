"""Citizens' voice on a phone: a signed-in civil servant answers the demo's poll once and reads
its chart; a visitor reads the closed consultation with its outcome; an officer moderates a
comment, which then shows — light, accessible, and without script.
"""

from playwright.sync_api import expect

from conftest import PHONE

SLUG = "bpsdm-jabar"
POLL = "Jam berapa sebaiknya Samsat keliling melayani di hari Minggu?"
DRAFT = "Rancangan Peraturan Bupati tentang Pasar Rakyat"


def test_a_signed_in_person_answers_the_poll_once_and_reads_the_chart(gotong, page_weight):
    page = gotong.signed_in_page(f"peserta1@{SLUG}.gotong.test")
    page.set_viewport_size(PHONE)
    page.goto(f"/layanan/{SLUG}/suara")
    page.get_by_role("link", name=POLL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POLL)
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    page.get_by_label("08.00–12.00").check()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("status").first).to_contain_text("Jawaban Anda tercatat")
    chart = page.get_by_role("img", name=POLL)
    expect(chart).to_be_visible()
    page.get_by_text("Lihat angka").click()
    expect(page.get_by_role("row", name="08.00–12.00")).to_contain_text("100 %")
    expect(page.get_by_role("button", name="Kirim jawaban")).to_have_count(0)
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(page, "poll-results")


def test_a_visitor_reads_a_closed_consultation_and_its_outcome(gotong, page_weight):
    page = gotong.new_page(java_script_enabled=False)
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    load = meter.goto(f"/layanan/{SLUG}/suara")
    assert load.total <= meter.budget, load.describe()
    page.get_by_role("link", name=DRAFT).click()
    expect(page.get_by_role("heading", name="Tindak lanjut pemerintah")).to_be_visible()
    expect(page.get_by_text("diturunkan menjadi Rp 2.000")).to_be_visible()
    expect(page.get_by_role("heading", name="Pasal 2 Retribusi")).to_be_visible()
    # Closed: nobody is asked to prove an address, and no comment box is offered.
    expect(page.get_by_role("button", name="Kirim kode")).to_have_count(0)
    expect(page.get_by_role("button", name="Kirim tanggapan")).to_have_count(0)
    meter.assert_within()
    gotong.phone_screenshot(page, "consultation-closed")


def test_an_officer_opens_a_consultation_and_lets_a_comment_through(gotong):
    admin = gotong.signed_in_page(f"admin@{SLUG}.gotong.test")
    admin.set_viewport_size(PHONE)
    admin.goto(f"/t/{SLUG}/kelola/layanan/antrean")
    admin.get_by_role("link", name="Jajak pendapat, survei, dan konsultasi").click()
    title = f"Rancangan jadwal posyandu {gotong.unique('suara')}"
    admin.get_by_label("Jenis", exact=True).select_option("konsultasi")
    admin.get_by_label("Judul atau pertanyaan").fill(title)
    admin.get_by_label("Bagian rancangan (konsultasi)").fill(
        "# Jadwal\nPosyandu buka setiap Selasa pekan kedua.\n\n# Tempat\nBalai RW masing-masing.")
    admin.get_by_label("Ditutup (WIB)").fill("2030-01-01T12:00")
    admin.get_by_role("button", name="Buka", exact=True).click()
    expect(admin.get_by_role("status").first).to_contain_text("Disimpan.")
    violations = gotong.serious_axe_violations(admin)
    assert not violations, gotong.describe_axe(violations)
    address = admin.get_by_role("link", name="Lihat di situs").get_attribute("href")

    citizen = gotong.signed_in_page(f"peserta2@{SLUG}.gotong.test")
    citizen.set_viewport_size(PHONE)
    citizen.goto(address)
    section = citizen.locator("section.card", has=citizen.get_by_role("heading", name="Jadwal"))
    section.get_by_label("Tanggapan Anda atas bagian ini").fill("Mohon tambah jadwal Sabtu untuk ibu bekerja.")
    section.get_by_role("button", name="Kirim tanggapan").click()
    expect(citizen.get_by_role("status").first).to_contain_text("tampil setelah diperiksa")
    expect(citizen.get_by_text("ibu bekerja")).to_have_count(0)
    gotong.phone_screenshot(citizen, "consultation-open")

    admin.reload()
    admin.get_by_role("button", name="Tampilkan").first.click()
    expect(admin.get_by_role("status").first).to_contain_text("Tanggapan ditampilkan.")
    citizen.reload()
    expect(citizen.get_by_text("Mohon tambah jadwal Sabtu untuk ibu bekerja.")).to_be_visible()
