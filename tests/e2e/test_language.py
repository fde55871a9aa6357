"""The language switch: Indonesian by default, English on request, and back."""

import re

from playwright.sync_api import expect


def _expect_indonesian(page):
    expect(page.locator("html")).to_have_attribute("lang", "id")
    nav = page.get_by_role("navigation", name="Navigasi utama")
    expect(nav.get_by_role("link", name="English", exact=True)).to_have_attribute("lang", "en")
    expect(page.get_by_role("contentinfo")).to_have_text("Gotong — satu akun untuk belajar di semua instansi pemerintah.")


def _expect_english(page):
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Bahasa Indonesia", exact=True)).to_have_attribute("lang", "id")
    expect(page.get_by_role("contentinfo")).to_have_text("Gotong — one account to learn at every government institution.")


def test_switch_to_english_and_back(page, gotong):
    page.goto("/")
    _expect_indonesian(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Belajar di semua instansi dengan satu akun")

    page.get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}/")
    _expect_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn at every institution with one account")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()

    # The choice sticks while browsing...
    page.get_by_role("link", name="BPPK Kementerian Keuangan").click()
    expect(page).to_have_url(f"{gotong.base_url}/t/bppk")
    _expect_english(page)
    expect(page.get_by_role("heading", name="Information", level=2)).to_be_visible()

    # ...and switching back returns to the same page, in Indonesian.
    page.get_by_role("link", name="Bahasa Indonesia", exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}/t/bppk")
    _expect_indonesian(page)
    expect(page.get_by_role("heading", name="Informasi", level=2)).to_be_visible()
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()


def test_switch_on_the_sign_in_page_stays_there(page, gotong):
    # Someone sent to sign in (e.g. from a tenant's admin page) switches language first.
    page.goto("/masuk?next=/t/bppk/kelola")
    _expect_indonesian(page)
    page.get_by_role("link", name="English", exact=True).click()
    _expect_english(page)
    expect(page).to_have_url(re.compile(r"/masuk\?next=(/|%2F)t(/|%2F)bppk(/|%2F)kelola$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Password", exact=True)).to_be_visible()


def test_signed_in_language_choice_is_remembered(page, gotong):
    # An account no other test uses, since the choice is saved on the account.
    email = "peserta2@bpsdm-jabar.gotong.test"
    gotong.sign_in(page, email)
    try:
        page.goto("/profil")
        page.get_by_role("link", name="English", exact=True).click()
        _expect_english(page)
        expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()

        # A new browser (no language cookie, Accept-Language Indonesian) gets English after sign-in.
        elsewhere = gotong.new_page()
        gotong.sign_in(elsewhere, email)
        _expect_english(elsewhere)
        elsewhere.get_by_role("link", name="Bahasa Indonesia", exact=True).click()
        _expect_indonesian(elsewhere)
        expect(elsewhere.get_by_role("button", name="Keluar", exact=True)).to_be_visible()
    finally:
        # Leave the account in Indonesian whatever happened.
        page.goto("/bahasa/id")
