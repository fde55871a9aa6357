"""Accessibility (axe-core) and page weight of every page the flows visit, plus phone-sized
screenshots of the key pages in /tmp/e2e-shots/ for people to look at.

Each page is reached the way a person reaches it (signing in, posting the form that shows it)
in its own browser, so every test stands alone. The same pages serve both checks:

    test_accessibility[page]   no axe violation of impact "serious" or "critical"
    test_page_weight[page]     every navigation on the way transfers at most 50 KiB of
                               same-origin HTML + CSS + JS (images excluded)
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PLATFORM_ADMIN = "admin@lan.go.id"
BPS_ADMIN = "admin@bps.gotong.test"
LEARNER = "asn@gotong.test"
IMPORT_HEADER = ["nama", "email", "nip", "unit_kerja", "jabatan", "peran"]


def _heading(page, text: str):
    expect(page.get_by_role("heading", name=text, level=1)).to_be_visible()


# --- how to reach each page ------------------------------------------------------------------

def home(g):
    page = g.new_page()
    page.goto("/")
    _heading(page, "Belajar di semua instansi dengan satu akun")
    return page


def home_signed_in(g):
    page = g.signed_in_page(LEARNER)
    page.goto("/")
    _heading(page, "Belajar di semua instansi dengan satu akun")
    page.get_by_text("Instansi saya", exact=True).click()  # switcher open
    return page


def home_english(g):
    page = g.new_page()
    page.goto("/bahasa/en?next=/")
    _heading(page, "Learn at every institution with one account")
    return page


def sign_in(g):
    page = g.new_page()
    page.goto("/masuk")
    _heading(page, "Masuk")
    return page


def sign_in_wrong_password(g):
    page = g.new_page()
    page.goto("/masuk")
    page.get_by_label("Email", exact=True).fill(g.unique_email("tidak-ada"))
    page.get_by_label("Kata sandi", exact=True).fill("salah-sekali")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Email atau kata sandi salah.")
    return page


def register(g):
    page = g.new_page()
    page.goto("/daftar")
    _heading(page, "Daftar akun")
    return page


def register_with_errors(g):
    page = g.new_page()
    page.goto("/daftar")
    page.get_by_label("NIP").fill("123")
    page.get_by_role("button", name="Daftar", exact=True).click()
    expect(page.get_by_text("Nama wajib diisi.")).to_be_visible()
    return page


def storefront(g):
    page = g.new_page()
    page.goto("/t/bppk")
    _heading(page, "BPPK Kementerian Keuangan")
    return page


def storefront_member(g):
    page = g.signed_in_page(LEARNER)
    page.goto("/t/bpsdm-jabar")
    _heading(page, "BPSDM Provinsi Jawa Barat")
    expect(page.get_by_text("Peran Anda di sini: Peserta")).to_be_visible()
    return page


def storefront_bps(g):
    page = g.new_page()
    page.goto("/t/bps")
    _heading(page, "Pusdiklat Badan Pusat Statistik")
    return page


def tenant_page(g):
    page = g.new_page()
    page.goto("/t/bppk/halaman/tentang")
    _heading(page, "Tentang Kami")
    return page


def tenant_admin_editor(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bps/kelola")
    _heading(page, "Kelola instansi")
    return page


def import_form(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bps/kelola/impor")
    _heading(page, "Impor akun")
    return page


def _upload(g, page, rows):
    page.goto("/t/bps/kelola/impor")
    page.get_by_label("Berkas CSV").set_input_files(g.csv_file("impor.csv", [IMPORT_HEADER] + rows))
    page.get_by_role("button", name="Periksa berkas").click()


def import_with_problems(g):
    page = g.signed_in_page(BPS_ADMIN)
    email = g.unique_email("axe")
    _upload(g, page, [
        ["Aan Uji", email, g.nip(), "Umum", "Analis", "peserta"],
        ["Budi Uji", "bukan-email", g.nip(), "Umum", "Analis", "peserta"],
        ["Citra Uji", g.unique_email("axe"), "123", "Umum", "Analis", "peserta"],
        ["Dedi Uji", email, g.nip(), "Umum", "Analis", "peserta"],
        ["Eka Uji", g.unique_email("axe"), g.nip(), "Umum", "Analis", "kepala"],
    ])
    expect(page.get_by_role("heading", name="4 masalah ditemukan")).to_be_visible()
    return page


def import_preview(g):
    page = g.signed_in_page(BPS_ADMIN)
    _upload(g, page, [["Aan Uji", g.unique_email("axe"), g.nip(), "Umum", "Analis", "peserta"]])
    expect(page.get_by_role("heading", name="Pratinjau")).to_be_visible()
    return page


def members(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bps/kelola/anggota")
    _heading(page, "Anggota")
    expect(page.get_by_role("cell", name="admin@bps.gotong.test", exact=True)).to_be_visible()
    return page


def tenant_audit(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bps/kelola/audit")
    _heading(page, "Catatan aktivitas (log audit)")
    return page


def forbidden(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bppk/kelola")
    _heading(page, "Akses ditolak")
    return page


def not_found(g):
    page = g.new_page()
    page.goto("/t/tidak-ada-instansi-ini")
    _heading(page, "Halaman tidak ditemukan")
    return page


def admin_tenants(g):
    page = g.signed_in_page(PLATFORM_ADMIN)
    page.goto("/admin/instansi")
    _heading(page, "Instansi")
    return page


def admin_tenant_created(g):
    page = g.signed_in_page(PLATFORM_ADMIN)
    slug = g.unique("axe")
    g.create_tenant(page, f"Balai Uji {slug}", slug)
    expect(page.get_by_role("status")).to_contain_text("siap dipakai")
    return page


def admin_master(g):
    page = g.signed_in_page(PLATFORM_ADMIN)
    page.goto("/admin/master")
    _heading(page, "Templat induk")
    return page


def suspended(g):
    admin = g.signed_in_page(PLATFORM_ADMIN)
    slug = g.unique("axe-tangguh")
    g.create_tenant(admin, f"Balai Tangguh {slug}", slug)
    g.tenant_row(admin, slug).get_by_role("button", name="Tangguhkan").click()
    expect(admin.get_by_role("status")).to_contain_text("ditangguhkan")
    page = g.new_page()
    page.goto(f"/t/{slug}")
    _heading(page, "Instansi sedang ditangguhkan")
    return page


def profile(g):
    page = g.signed_in_page(LEARNER)
    page.goto("/profil")
    _heading(page, "Profil saya")
    return page


# --- the course marketplace -------------------------------------------------------------------

LAN_COORDINATOR = "pengelola@lan.gotong.test"
APPROVAL_COURSE = "Pengelolaan Kinerja ASN"


def catalog(g):
    page = g.new_page()
    page.goto("/katalog?q=kelola&tenant=lan")
    _heading(page, "Katalog pelatihan")
    expect(page.get_by_role("link", name=APPROVAL_COURSE, exact=True)).to_be_visible()
    return page


def course_page(g):
    page = g.signed_in_page(LEARNER)
    page.goto("/t/lan/pelatihan/pengelolaan-kinerja-asn")
    _heading(page, APPROVAL_COURSE)
    expect(page.get_by_role("button", name="Ajukan pendaftaran")).to_be_visible()
    return page


def my_courses(g):
    page = g.signed_in_page(LEARNER)
    page.goto("/saya")
    _heading(page, "Pelatihan saya")
    expect(page.get_by_role("link", name="Literasi Digital ASN", exact=True)).to_be_visible()  # required (seeded)
    return page


def notifications(g):
    page = g.signed_in_page(LEARNER)
    page.goto("/notifikasi")
    _heading(page, "Notifikasi")
    return page


def course_admin_new(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bps/kelola/pelatihan/baru")
    _heading(page, "Pelatihan baru")
    return page


def _course_admin(page, tenant: str, title: str):
    page.goto(f"/t/{tenant}/kelola/pelatihan")
    _heading(page, "Pelatihan")
    page.get_by_role("link", name=title, exact=True).click()
    _heading(page, title)


def course_admin_list(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bps/kelola/pelatihan")
    _heading(page, "Pelatihan")
    return page


def course_admin_edit(g):
    page = g.signed_in_page(BPS_ADMIN)
    _course_admin(page, "bps", "Statistik Dasar untuk ASN")
    return page


def course_admin_errors(g):
    page = g.signed_in_page(BPS_ADMIN)
    page.goto("/t/bps/kelola/pelatihan/baru")
    _heading(page, "Pelatihan baru")
    page.get_by_label("Judul", exact=True).fill("ab")  # too short
    page.get_by_label("Metode", exact=True).select_option(label="Mikro (microlearning)")  # needs minutes
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Ada isian yang belum benar. Periksa pesan di bawah tiap kolom.")
    return page


def participants(g):
    # One request waiting, so the approve and reject forms are on the page.
    learner = g.signed_in_page("peserta2@lan.gotong.test")
    learner.goto("/t/lan/pelatihan/pengelolaan-kinerja-asn")
    request = learner.get_by_role("button", name="Ajukan pendaftaran")
    if request.count():
        request.click()
    expect(learner.get_by_role("region", name="Pendaftaran")).to_contain_text("Menunggu persetujuan")
    page = g.signed_in_page(LAN_COORDINATOR)
    _course_admin(page, "lan", APPROVAL_COURSE)
    page.get_by_role("main").get_by_role("link", name="Peserta", exact=True).click()
    _heading(page, f"Peserta {APPROVAL_COURSE}")
    expect(page.get_by_role("button", name="Setujui").first).to_be_visible()
    return page


def assign_problems(g):
    page = g.signed_in_page("admin@bpsdm-jabar.gotong.test")
    _course_admin(page, "bpsdm-jabar", "Literasi Digital ASN")
    page.get_by_role("main").get_by_role("link", name="Penugasan", exact=True).click()
    _heading(page, "Tugaskan Literasi Digital ASN")
    page.get_by_label("Tenggat").fill("2099-12-31")
    page.get_by_label("Email atau NIP, satu per baris").fill(g.unique_email("tidak-ada"))
    page.get_by_role("button", name="Tugaskan", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Baris 1:")
    return page


def curation(g):
    # A course of bps waiting for curation, so the queue has its approve and reject forms.
    admin = g.signed_in_page(BPS_ADMIN)
    title = f"Uji Kurasi {g.unique('axe')}"
    admin.goto("/t/bps/kelola/pelatihan/baru")
    _heading(admin, "Pelatihan baru")
    admin.get_by_label("Judul", exact=True).fill(title)
    admin.get_by_label("Ringkasan", exact=True).fill("Pelatihan uji untuk antrean kurasi.")
    admin.get_by_role("button", name="Simpan", exact=True).click()
    _heading(admin, title)
    admin.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(admin.get_by_role("status")).to_contain_text("menunggu kurasi")
    page = g.signed_in_page(PLATFORM_ADMIN)
    page.goto("/admin/kurasi")
    _heading(page, "Kurasi katalog")
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    return page


PAGES = {
    "home": home,
    "home-signed-in": home_signed_in,
    "home-english": home_english,
    "masuk": sign_in,
    "masuk-wrong-password": sign_in_wrong_password,
    "daftar": register,
    "daftar-errors": register_with_errors,
    "storefront": storefront,
    "storefront-member": storefront_member,
    "storefront-bps": storefront_bps,
    "tenant-page": tenant_page,
    "tenant-admin-editor": tenant_admin_editor,
    "import-form": import_form,
    "import-problems": import_with_problems,
    "import-preview": import_preview,
    "members": members,
    "tenant-audit": tenant_audit,
    "forbidden-403": forbidden,
    "not-found-404": not_found,
    "admin-instansi": admin_tenants,
    "admin-tenant-created": admin_tenant_created,
    "admin-master": admin_master,
    "suspended": suspended,
    "profil": profile,
    "katalog": catalog,
    "course-page": course_page,
    "saya": my_courses,
    "notifikasi": notifications,
    "course-admin-list": course_admin_list,
    "course-admin-new": course_admin_new,
    "course-admin-edit": course_admin_edit,
    "course-admin-errors": course_admin_errors,
    "participants": participants,
    "assign-problems": assign_problems,
    "admin-kurasi": curation,
}

# Pages worth a look on a phone (saved as /tmp/e2e-shots/<name>.png).
SCREENSHOTS = {"home", "home-signed-in", "masuk-wrong-password", "daftar-errors", "storefront-member",
               "tenant-admin-editor", "import-problems", "import-preview", "members", "admin-instansi",
               "suspended", "profil", "katalog", "course-page", "saya", "course-admin-edit", "participants",
               "admin-kurasi"}


@pytest.mark.parametrize("name", list(PAGES))
def test_accessibility(gotong, name):
    page = PAGES[name](gotong)
    violations = gotong.serious_axe_violations(page)
    if name in SCREENSHOTS:
        gotong.phone_screenshot(page, name)
    assert not violations, (
        f"{len(violations)} serious/critical accessibility violation(s) on {page.url}:\n"
        + gotong.describe_axe(violations)
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_page_weight(gotong, page_weight, name):
    meters = []
    gotong.page_hooks.append(lambda p: meters.append(page_weight(p)))
    PAGES[name](gotong)
    assert meters, "no page was opened"
    for meter in meters:
        meter.assert_within()
    loads = [load for meter in meters for load in meter.loads]
    assert any(load.resources for load in loads), "nothing was measured"
