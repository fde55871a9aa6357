"""A tenant administrator imports accounts from a CSV file: checked first, then all or nothing."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

TENANT = "bps"
TENANT_ADMIN = "admin@bps.gotong.test"
HEADER = ["nama", "email", "nip", "unit_kerja", "jabatan", "peran"]


def _upload(page, path):
    """Uploads a file on the import page; returns the HTTP status of the check."""
    page.goto(f"/t/{TENANT}/kelola/impor")
    expect(page.get_by_role("heading", name="Impor akun", level=1)).to_be_visible()
    page.get_by_label("Berkas CSV").set_input_files(path)
    with page.expect_response(lambda r: urlsplit(r.url).path == f"/t/{TENANT}/kelola/impor"
                              and r.request.method == "POST") as posted:
        page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_load_state()
    return posted.value.status


def test_import_with_errors_lists_every_problem_and_writes_nothing(page, gotong):
    gotong.sign_in(page, TENANT_ADMIN)
    before = gotong.member_count(page, TENANT)

    good = gotong.unique_email("impor-baik")
    bad_role = gotong.unique_email("impor-peran")
    short_nip = gotong.unique_email("impor-nip")
    path = gotong.csv_file("salah.csv", [
        HEADER,
        ["Aan Uji Baik", good, gotong.nip(), "Subbag Umum", "Analis", "peserta"],            # row 2: fine
        ["Budi Uji Email", "budi-bukan-email", gotong.nip(), "Subbag Umum", "Analis", "peserta"],  # row 3
        ["Citra Uji NIP", short_nip, "123", "Subbag Umum", "Analis", "peserta"],             # row 4
        ["Dedi Uji Kembar", good, gotong.nip(), "Subbag Umum", "Analis", "pengajar"],         # row 5
        ["Eka Uji Peran", bad_role, gotong.nip(), "Subbag Umum", "Analis", "kepala"],         # row 6
    ])
    status = _upload(page, path)

    problems = page.get_by_role("region", name=re.compile(r"masalah ditemukan"))
    expect(problems.get_by_role("heading", level=2)).to_have_text("4 masalah ditemukan")
    expect(problems).to_contain_text("Tidak ada yang disimpan. Perbaiki berkas lalu unggah lagi.")
    expect(problems.get_by_role("columnheader")).to_have_text(["Baris", "Kolom", "Masalah"])
    rows = problems.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows).to_have_count(4)
    found = sorted(tuple(r.get_by_role("cell").all_inner_texts()) for r in rows.all())
    assert found == [
        ("3", "email", "Email “budi-bukan-email” tidak valid."),
        ("4", "nip", "NIP harus 18 angka."),
        ("5", "email", "Email ini sudah muncul di baris 2."),
        ("6", "peran", "Peran “kepala” tidak dikenal; gunakan admin, pengelola, pengajar atau peserta."),
    ], found
    # No preview and nothing to commit.
    expect(page.get_by_role("region", name="Pratinjau")).to_have_count(0)
    expect(page.get_by_role("button", name="Simpan semua")).to_have_count(0)
    assert status == 422, f"a file with problems answered {status}, expected 422"

    # Nothing was written, not even the good row.
    assert gotong.member_count(page, TENANT) == before
    for email in (good, short_nip, bad_role):
        assert gotong.find_member_row(page, TENANT, email) is None, f"{email} was imported from a rejected file"


def test_clean_import_previews_then_commits(page, gotong):
    gotong.sign_in(page, TENANT_ADMIN)
    before = gotong.member_count(page, TENANT)

    people = [
        # name, email, nip, unit kerja, jabatan, role in the file, role as the members page shows it
        (f"Agus Uji {gotong.unique('a')}", gotong.unique_email("impor"), gotong.nip(), "Bidang Statistik Sosial",
         "Statistisi Ahli Pertama", "peserta", "Peserta"),
        (f"Bunga Uji {gotong.unique('b')}", gotong.unique_email("impor"), gotong.nip(), "Bidang Neraca",
         "Widyaiswara Ahli Muda", "pengajar", "Pengajar"),
        (f"Candra Uji {gotong.unique('c')}", gotong.unique_email("impor"), gotong.nip(), "Bagian Umum",
         "Analis SDM", "Pengelola", "Pengelola pelatihan"),
    ]
    path = gotong.csv_file("pegawai-baru.csv", [HEADER] + [list(p[:6]) for p in people])
    status = _upload(page, path)
    assert status == 200, f"a clean file answered {status}"

    preview = page.get_by_role("region", name="Pratinjau")
    expect(preview).to_contain_text("Berkas pegawai-baru.csv lolos pemeriksaan. Belum ada yang disimpan.")
    expect(preview.get_by_role("listitem")).to_have_text([
        "3 baris",
        "3 akun baru (akan menerima tautan aktivasi)",
        "0 orang sudah punya akun (hanya diberi keanggotaan)",
        "3 keanggotaan baru",
    ])
    expect(page.get_by_role("region", name=re.compile("masalah ditemukan"))).to_have_count(0)

    # The preview wrote nothing yet (checked in a second tab of the same session).
    other_tab = page.context.new_page()
    assert gotong.member_count(other_tab, TENANT) == before, "the preview already wrote members"
    other_tab.close()

    preview.get_by_role("button", name="Simpan semua").click()
    expect(page).to_have_url(f"{gotong.base_url}/t/{TENANT}/kelola/anggota")
    expect(page.get_by_role("status")).to_have_text("Impor selesai: 3 akun baru, 3 keanggotaan baru.")
    expect(page.get_by_text(re.compile(r"^\d+ orang$"))).to_have_text(f"{before + 3} orang")

    for name, email, nip, unit, _jabatan, _role, role_label in people:
        row = gotong.find_member_row(page, TENANT, email)
        assert row is not None, f"{email} is not on the members page after the import"
        expect(row.get_by_role("cell")).to_have_text([name, email, "•" * 14 + nip[-4:], unit, role_label])
