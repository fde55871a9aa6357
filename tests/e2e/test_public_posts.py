"""The desk site's posts on a phone: an officer writes an announcement with an image and reads
how each channel will carry it; a citizen reads it in the list, on its page and in the feed —
light, accessible, and without script.
"""

import base64

from playwright.sync_api import expect

from conftest import PHONE

SLUG = "bpsdm-jabar"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_an_officer_writes_an_announcement_and_a_citizen_reads_it(gotong, page_weight):
    admin = gotong.signed_in_page(f"admin@{SLUG}.gotong.test")
    admin.set_viewport_size(PHONE)
    admin.goto(f"/t/{SLUG}/kelola/layanan/antrean")
    admin.get_by_role("link", name="Kabar dan kiriman ke kanal").click()
    title = f"Pelayanan Samsat keliling {gotong.unique('kabar')}"
    admin.get_by_label("Jenis", exact=True).select_option("pengumuman")
    admin.get_by_label("Judul").fill(title)
    admin.get_by_label("Isi kabar").fill(
        "Samsat keliling melayani pembayaran pajak kendaraan di alun-alun setiap Minggu pukul 07.00–11.00."
        "\n\nBawa KTP-el dan STNK asli.")
    admin.get_by_label("Gambar (PNG atau JPEG, paling besar 5 MB)").set_input_files(
        files=[{"name": "samsat.png", "mimeType": "image/png", "buffer": PNG}])
    admin.get_by_label("Keterangan gambar").fill("Mobil Samsat keliling di alun-alun")
    admin.get_by_label("X (unggahan, 280 karakter)").check()
    admin.get_by_label("Kanal Telegram").check()
    admin.get_by_role("button", name="Simpan kabar").click()
    expect(admin.get_by_role("status").first).to_contain_text("Kabar disimpan.")
    expect(admin.get_by_role("heading", level=1)).to_have_text(title)
    # Each channel's text as it will go, with its length against the platform's limit.
    x = admin.locator("section.card", has=admin.get_by_role("heading", name="X (unggahan, 280 karakter)"))
    expect(x).to_contain_text("dari 280 karakter")
    expect(x.locator("pre")).to_contain_text("Selengkapnya: ")
    violations = gotong.serious_axe_violations(admin)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(admin, "post-editor")

    citizen = gotong.new_page()
    citizen.set_viewport_size(PHONE)
    meter = page_weight(citizen)
    load = meter.goto(f"/layanan/{SLUG}/kabar")
    assert load.total <= meter.budget, load.describe()
    expect(citizen.get_by_role("link", name=title)).to_be_visible()
    # The demo's post for next week is not shown before its time.
    expect(citizen.get_by_text("Libur pelayanan tatap muka")).to_have_count(0)
    violations = gotong.serious_axe_violations(citizen)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(citizen, "posts")

    citizen.get_by_role("link", name=title).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(title)
    expect(citizen.get_by_role("img", name="Mobil Samsat keliling di alun-alun")).to_be_visible()
    meter.assert_within()
    violations = gotong.serious_axe_violations(citizen)
    assert not violations, gotong.describe_axe(violations)

    feed = citizen.request.get(f"{gotong.base_url}/layanan/{SLUG}/kabar.atom")
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    assert title in feed.text()


def test_without_script_the_posts_filter_by_kind(gotong):
    page = gotong.new_page(java_script_enabled=False)
    page.set_viewport_size(PHONE)
    page.goto(f"/layanan/{SLUG}/kabar")
    page.get_by_role("link", name="Kampanye", exact=True).click()
    expect(page.get_by_role("link", name="Gerakan 3M Plus: cegah demam berdarah")).to_be_visible()
    expect(page.get_by_role("link", name="Cara mengecek keaslian pesan bantuan sosial")).to_have_count(0)
