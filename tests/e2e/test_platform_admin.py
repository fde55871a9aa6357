"""The platform administrator creates institutions from the master template and suspends them."""

import re

from playwright.sync_api import expect

PLATFORM_ADMIN = "admin@lan.go.id"
LEARNER = "asn@gotong.test"


def _following_list(page, heading: str):
    """The list right after an <h2> on the page (the storefront has no landmarks per section)."""
    return page.get_by_role("heading", name=heading, exact=True, level=2).locator("xpath=following-sibling::ul[1]")


def _master_template(page) -> tuple[list[tuple[str, str]], list[str]]:
    """The master template's standard pages (title, first paragraph) and category names, read
    from its editor at /admin/master."""
    page.goto("/admin/master")
    expect(page.get_by_role("heading", name="Templat induk", level=1)).to_be_visible()
    pages_panel = page.get_by_role("region", name="Halaman standar")
    titles = [f.input_value() for f in pages_panel.get_by_label("Judul halaman").all()]
    bodies = [f.input_value() for f in pages_panel.get_by_label("Isi halaman").all()]
    first_paragraphs = [b.strip().split("\n\n")[0].strip() for b in bodies]
    categories_panel = page.get_by_role("region", name="Kategori pelatihan")
    delete_buttons = categories_panel.get_by_role("button", name=re.compile(r"^Hapus "))
    categories = [b.get_attribute("aria-label").removeprefix("Hapus ") for b in delete_buttons.all()]
    return list(zip(titles, first_paragraphs)), categories


def test_new_tenant_gets_the_master_template(page, gotong):
    gotong.sign_in(page, PLATFORM_ADMIN)
    master_pages, master_categories = _master_template(page)
    assert [t for t, _ in master_pages][:2] == ["Tentang Kami", "Bantuan"], master_pages
    assert master_categories, "the master template has no categories"

    slug = gotong.unique("uji")
    name = f"Balai Diklat Uji {slug}"
    page.goto("/admin/instansi")
    form = page.get_by_role("region", name="Buat instansi baru")
    form.get_by_label("Nama instansi").fill(name)
    form.get_by_label("Alamat singkat").fill(slug)
    form.get_by_label("Jenis instansi").select_option(label="Pemerintah daerah")
    first_admin = gotong.unique_email("admin-pertama")
    form.get_by_label("Email administrator pertama (tidak wajib)").fill(first_admin)
    form.get_by_role("button", name="Buat instansi").click()

    # Lands on the next steps, with the success message and the invitation sent.
    expect(page).to_have_url(f"{gotong.base_url}/admin/instansi/{slug}")
    status = page.get_by_role("main").get_by_role("status")
    expect(status.first).to_contain_text(f"Instansi {name} siap dipakai")
    expect(status.nth(1)).to_have_text(f"Undangan administrator dikirim ke {first_admin}.")
    steps = page.get_by_role("list").filter(has=page.get_by_role("link", name="Atur profil, logo dan warna etalase"))
    expect(steps.get_by_role("link", name="Impor akun")).to_have_attribute("href", f"/t/{slug}/kelola/impor")

    # The first administrator is a member with the administrator's role.
    page.goto(f"/t/{slug}/kelola/anggota")
    expect(page.get_by_role("row").filter(has_text=first_admin)).to_contain_text("Admin instansi")

    # The storefront is the new institution's.
    page.goto(f"/admin/instansi/{slug}")
    page.get_by_role("link", name="Lihat etalase seperti yang dilihat peserta").click()
    expect(page).to_have_url(f"{gotong.base_url}/t/{slug}")
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text("Pemerintah daerah", exact=True)).to_be_visible()

    # The standard pages and categories are the master template's.
    info = _following_list(page, "Informasi")
    expect(info.get_by_role("link")).to_have_text([t for t, _ in master_pages])
    expect(info.get_by_role("link", name="Tentang Kami", exact=True)).to_have_attribute("href", f"/t/{slug}/halaman/tentang")
    expect(info.get_by_role("link", name="Bantuan", exact=True)).to_be_visible()
    expect(_following_list(page, "Kategori").get_by_role("listitem")).to_have_text(master_categories)

    # A standard page opens with the master template's text.
    info.get_by_role("link", name="Tentang Kami", exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}/t/{slug}/halaman/tentang")
    expect(page.get_by_role("heading", name="Tentang Kami", level=1)).to_be_visible()
    expect(page.get_by_role("main").get_by_role("paragraph").first).to_have_text(master_pages[0][1])

    # And it is listed among the institutions.
    row = gotong.tenant_row(page, slug)
    expect(row.get_by_role("cell").nth(0)).to_contain_text(name)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Aktif")


def test_duplicate_slug_is_refused(page, gotong):
    gotong.sign_in(page, PLATFORM_ADMIN)
    page.goto("/admin/instansi")
    form = page.get_by_role("region", name="Buat instansi baru")
    form.get_by_label("Nama instansi").fill("Tiruan BPS")
    form.get_by_label("Alamat singkat").fill("bps")
    form.get_by_role("button", name="Buat instansi").click()
    expect(page).to_have_url(f"{gotong.base_url}/admin/instansi")
    expect(page.get_by_text("Alamat “bps” sudah dipakai instansi lain.")).to_be_visible()
    expect(page.get_by_role("region", name="Buat instansi baru").get_by_label("Nama instansi")).to_have_value("Tiruan BPS")


def _expect_suspension_page(visitor, slug: str, name: str) -> None:
    response = visitor.goto(f"/t/{slug}")
    assert response is not None and response.status == 403, f"suspended /t/{slug} answered {response and response.status}"
    expect(visitor.get_by_role("heading", name="Instansi sedang ditangguhkan", level=1)).to_be_visible()
    expect(visitor.get_by_role("main")).to_contain_text(
        f"Ruang belajar {name} sedang ditutup sementara oleh pengelola platform.")
    # None of the storefront is shown.
    expect(visitor.get_by_role("heading", name="Informasi", exact=True)).to_have_count(0)
    expect(visitor.get_by_role("link", name="Tentang Kami")).to_have_count(0)
    # Its other pages are closed too.
    response = visitor.goto(f"/t/{slug}/halaman/tentang")
    assert response is not None and response.status == 403
    expect(visitor.get_by_role("heading", name="Instansi sedang ditangguhkan", level=1)).to_be_visible()


def test_suspended_tenant_is_closed_until_reactivated(page, gotong):
    gotong.sign_in(page, PLATFORM_ADMIN)
    slug = gotong.unique("tangguh")
    name = f"Balai Ditangguhkan {slug}"
    gotong.create_tenant(page, name, slug)

    # Suspend it.
    gotong.tenant_row(page, slug).get_by_role("button", name="Tangguhkan").click()
    expect(page).to_have_url(f"{gotong.base_url}/admin/instansi")
    expect(page.get_by_role("status")).to_have_text(f"{name} ditangguhkan. Datanya tetap tersimpan.")
    row = gotong.tenant_row(page, slug)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Ditangguhkan")
    expect(row.get_by_role("button", name="Aktifkan kembali")).to_be_visible()

    # Anonymous visitors and signed-in learners see the suspension page.
    anonymous = gotong.new_page()
    _expect_suspension_page(anonymous, slug, name)
    anonymous.goto("/")
    expect(anonymous.get_by_role("link", name=name)).to_have_count(0)  # gone from the home page
    learner = gotong.signed_in_page(LEARNER)
    _expect_suspension_page(learner, slug, name)

    # Reactivate: the storefront is back for everyone.
    gotong.tenant_row(page, slug).get_by_role("button", name="Aktifkan kembali").click()
    expect(page.get_by_role("status")).to_have_text(f"{name} aktif kembali.")
    expect(gotong.tenant_row(page, slug).get_by_role("cell").nth(2)).to_have_text("Aktif")
    for visitor in (anonymous, learner):
        response = visitor.goto(f"/t/{slug}")
        assert response is not None and response.status == 200
        expect(visitor.get_by_role("heading", name=name, level=1)).to_be_visible()
        expect(visitor.get_by_role("link", name="Tentang Kami")).to_be_visible()
