"""The service desk's figures on a phone: BPSDM Jawa Barat's administrator reads the dashboard
(figures with their SVG charts and tables, per unit too) and downloads it as CSV and XLSX (read
by Python's csv module and by openpyxl); a citizen reads the public transparency tracker,
which lists public cases and never a confidential one or a reporter.
"""

import csv
import io
import re

import openpyxl
from playwright.sync_api import expect

from conftest import PHONE

SLUG = "bpsdm-jabar"


def test_the_dashboard_and_its_downloads_say_the_same(gotong, page_weight):
    admin = gotong.signed_in_page(f"admin@{SLUG}.gotong.test")
    admin.set_viewport_size(PHONE)
    meter = page_weight(admin)
    load = meter.goto(f"/t/{SLUG}/kelola/layanan/dasbor")
    assert load.total <= meter.budget, load.describe()
    expect(admin.get_by_role("heading", name="Dasbor layanan", level=1)).to_be_visible()
    received = admin.locator("dt", has_text="Aduan masuk").locator("xpath=following-sibling::dd[1]").inner_text()
    assert re.fullmatch(r"[\d.]+", received) and int(received.replace(".", "")) >= 3, received
    assert admin.locator("svg.chart").count() == 3
    violations = gotong.serious_axe_violations(admin)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(admin, "desk-dashboard")

    # One unit: fewer or as many cases as the whole desk.
    admin.get_by_label("Unit kerja", exact=True).select_option(label="Dinas Bina Marga dan Penataan Ruang")
    admin.get_by_role("button", name="Tampilkan").click()
    expect(admin.get_by_text("Dinas Bina Marga dan Penataan Ruang").first).to_be_visible()
    unit = admin.locator("dt", has_text="Aduan masuk").locator("xpath=following-sibling::dd[1]").inner_text()
    assert int(unit.replace(".", "")) <= int(received.replace(".", ""))

    # The downloads of the whole desk: the same count, read by real readers.
    answer = admin.request.get(f"/t/{SLUG}/kelola/layanan/dasbor.csv")
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text().lstrip("\ufeff"))))
    assert rows[0] == ["Bagian", "Ukuran", "Nilai"]
    assert ["Ringkasan", "Aduan masuk", received.replace(".", "")] in rows
    answer = admin.request.get(f"/t/{SLUG}/kelola/layanan/dasbor.xlsx")
    assert answer.ok
    sheet = openpyxl.load_workbook(io.BytesIO(answer.body())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Bagian", "Ukuran", "Nilai")
    assert ("Ringkasan", "Aduan masuk", int(received.replace(".", ""))) in values


def test_a_citizen_reads_the_transparency_tracker_on_a_phone(gotong, page_weight):
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"/layanan/{SLUG}")
    page.get_by_role("link", name="Lihat transparansi layanan: angka dan aduan publik").click()
    meter = page_weight(page)
    load = meter.goto(page.url)
    assert load.total <= meter.budget, load.describe()
    expect(page.get_by_role("heading", name="Transparansi layanan pengaduan", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Aduan publik")).to_be_visible()
    # The demo's public report is listed; its confidential one is not; no contact is shown.
    expect(page.get_by_text("Lampu penerangan jalan di depan halte padam sejak sepekan").first).to_be_visible()
    assert "KTP-el saya belum jadi" not in page.content()
    assert not re.search(r"08\d\d\*\*\*\*", page.content()) and "081234567801" not in page.content()
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(page, "desk-tracker")
