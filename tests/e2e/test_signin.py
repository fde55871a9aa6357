"""Signing in and out, and one account moving between institutions."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

LEARNER = "asn@gotong.test"  # peserta in bppk and bpsdm-jabar only
LEARNER_TENANTS = {"bppk": "BPPK Kementerian Keuangan", "bpsdm-jabar": "BPSDM Provinsi Jawa Barat"}
OTHER_TENANTS = {"lan": "Lembaga Administrasi Negara", "bps": "Pusdiklat Badan Pusat Statistik"}


def _switcher(page):
    """The "Instansi saya" tenant switcher in the header, opened."""
    switcher = page.locator("details").filter(has=page.get_by_text("Instansi saya", exact=True))
    expect(switcher).to_have_count(1)
    if switcher.get_attribute("open") is None:
        switcher.get_by_text("Instansi saya", exact=True).click()
    return switcher


def test_one_account_is_signed_in_at_both_institutions(page, gotong):
    visited: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and visited.append(frame.url))

    gotong.sign_in(page, LEARNER)
    signed_in_at = len(visited)

    for slug, name in LEARNER_TENANTS.items():
        response = page.goto(f"/t/{slug}")
        assert response is not None and response.status == 200, f"/t/{slug} answered {response and response.status}"
        expect(page).to_have_url(f"{gotong.base_url}/t/{slug}")
        expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
        # Signed in: profile link and sign-out button, no sign-in link.
        nav = page.get_by_role("navigation", name="Navigasi utama")
        expect(nav.get_by_role("link", name="Profil", exact=True)).to_be_visible()
        expect(nav.get_by_role("button", name="Keluar", exact=True)).to_be_visible()
        expect(nav.get_by_role("link", name="Masuk", exact=True)).to_have_count(0)
        # The storefront knows the person's role here.
        expect(page.get_by_text("Peran Anda di sini: Peserta")).to_be_visible()
        # The switcher lists both of the person's institutions and no others.
        switcher = _switcher(page)
        for other_slug, other_name in LEARNER_TENANTS.items():
            link = switcher.get_by_role("link", name=other_name, exact=True)
            expect(link).to_be_visible()
            expect(link).to_have_attribute("href", f"/t/{other_slug}")
        for other_name in OTHER_TENANTS.values():
            expect(switcher.get_by_role("link", name=other_name, exact=True)).to_have_count(0)

    # Move between the two through the switcher itself.
    _switcher(page).get_by_role("link", name=LEARNER_TENANTS["bppk"], exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}/t/bppk")
    expect(page.get_by_role("button", name="Keluar", exact=True)).to_be_visible()

    after_sign_in = [urlsplit(u).path for u in visited[signed_in_at:]]
    assert "/masuk" not in after_sign_in, f"sent back to the sign-in page: {visited[signed_in_at:]}"


def test_wrong_password_is_refused_and_sign_out_works(page, gotong):
    email = "peserta1@lan.gotong.test"
    page.goto("/masuk")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Kata sandi", exact=True).fill("bukan-sandi-yang-benar")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/masuk" and r.request.method == "POST") as posted:
        page.get_by_role("button", name="Masuk", exact=True).click()
    assert posted.value.status == 401, f"wrong password answered {posted.value.status}, expected 401"

    expect(page.get_by_role("alert")).to_have_text("Email atau kata sandi salah.")
    expect(page).to_have_url(re.compile(r"/masuk(\?.*)?$"))
    expect(page.get_by_role("heading", name="Masuk", level=1)).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_value(email)  # kept for the next try
    expect(page.get_by_role("button", name="Keluar", exact=True)).to_have_count(0)

    # The right password then works, and signing out ends the session.
    gotong.sign_in(page, email)
    page.goto("/profil")
    expect(page).to_have_url(f"{gotong.base_url}/profil")
    page.get_by_role("button", name="Keluar", exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}/")
    nav = page.get_by_role("navigation", name="Navigasi utama")
    expect(nav.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Keluar", exact=True)).to_have_count(0)
    expect(nav.get_by_role("link", name="Profil", exact=True)).to_have_count(0)
    # The page has loaded (checked above), so the confirmation is either there or not.
    confirmed = page.get_by_role("status").filter(has_text="Anda telah keluar.").count()

    # The old session no longer opens personal pages.
    page.goto("/profil")
    expect(page).to_have_url(re.compile(r"/masuk\?next=(%2F|/)profil$"))

    assert confirmed, 'after signing out, the home page shows no "Anda telah keluar." confirmation'
