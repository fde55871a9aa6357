"""One institution's administrator cannot open another institution's administration."""

import pytest
from playwright.sync_api import expect

BPS_ADMIN = "admin@bps.gotong.test"


@pytest.mark.parametrize("path", ["/t/bppk/kelola", "/t/bppk/kelola/anggota", "/t/bppk/kelola/impor",
                                  "/t/bppk/kelola/audit"])
def test_other_tenants_admin_pages_are_forbidden(page, gotong, path):
    gotong.sign_in(page, BPS_ADMIN)
    response = page.goto(path)
    assert response is not None and response.status == 403, f"{path} answered {response and response.status}, expected 403"
    expect(page).to_have_url(f"{gotong.base_url}{path}")  # an error page, not a redirect
    expect(page.get_by_role("heading", name="Akses ditolak", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Anda tidak memiliki hak untuk membuka halaman ini.")
    expect(main).to_contain_text("Kode kesalahan 403")
    # Nothing of BPPK's administration leaks into the page.
    expect(page.get_by_role("heading", name="Kelola instansi")).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)
    expect(main).not_to_contain_text("@bppk.gotong.test")
    # Still signed in as themself, and their own administration still opens.
    expect(page.get_by_role("button", name="Keluar", exact=True)).to_be_visible()
    response = page.goto("/t/bps/kelola")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Kelola instansi", level=1)).to_be_visible()


def test_learner_cannot_open_tenant_admin(page, gotong):
    gotong.sign_in(page, "peserta1@bps.gotong.test")
    response = page.goto("/t/bps/kelola")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Akses ditolak", level=1)).to_be_visible()
    # And the storefront offers no "Kelola instansi" button to them.
    page.goto("/t/bps")
    expect(page.get_by_role("link", name="Kelola instansi")).to_have_count(0)


def test_anonymous_visitor_is_sent_to_sign_in(page, gotong):
    page.goto("/t/bppk/kelola")
    expect(page).to_have_url(f"{gotong.base_url}/masuk?next=/t/bppk/kelola")
    expect(page.get_by_role("heading", name="Masuk", level=1)).to_be_visible()
