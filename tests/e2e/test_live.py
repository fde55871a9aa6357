"""Live Learning in a browser, on a phone: a coordinator publishes a programme and an episode
that is on air, opens the host's code screen; a civil servant opens the episode's page, claims
attendance with the code and finds the episode's JP on their ledger. The coordinator imports a
CSV of platform figures and reads the effectiveness view. The calendar feed is read by a real
iCalendar parser (the `icalendar` package) and the Excel export by openpyxl.

BPSDM Jawa Barat's accounts are used: no other test claims or completes anything with them.
"""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
from playwright.sync_api import expect

from conftest import PHONE

SLUG = "bpsdm-jabar"
COORDINATOR = f"pengelola@{SLUG}.gotong.test"
LEARNER = f"peserta1@{SLUG}.gotong.test"
WIB = ZoneInfo("Asia/Jakarta")


def _status(page):
    return page.get_by_role("main").get_by_role("status")


def test_an_episode_on_air_is_claimed_on_a_phone_and_its_figures_are_read(gotong, page_weight, tmp_path):
    programme = gotong.unique("live").lower()
    topic = f"Etika ASN di media sosial {programme}"
    start = datetime.now(WIB) - timedelta(minutes=10)
    earlier = start - timedelta(days=14)

    # The coordinator makes the programme and an episode that started ten minutes ago.
    desk = gotong.signed_in_page(COORDINATOR)
    desk.set_viewport_size(PHONE)
    # (Coordinators have no desk home page yet: they reach the desk's tools by address.)
    desk.goto(f"/t/{SLUG}/kelola/live")
    expect(desk.get_by_role("heading", name="Live Learning", level=1)).to_be_visible()
    desk.get_by_label("Nama program").fill(f"Live Learning {programme}")
    desk.get_by_label("Alamat program").fill(programme)
    desk.get_by_role("button", name="Buat program").click()
    expect(desk.get_by_role("heading", name=f"Live Learning {programme}", level=1)).to_be_visible()
    desk.get_by_label("Nomor episode", exact=True).fill("2")
    desk.get_by_label("Topik", exact=True).fill(topic)
    desk.get_by_label("Narasumber").fill("Dr. Rina Kusuma, M.Si. | Widyaiswara Ahli Utama | LAN")
    desk.get_by_label("Mulai (WIB)").fill(start.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_label("JP untuk kehadiran").fill("2")
    desk.get_by_role("button", name="Buat episode").click()
    expect(desk.get_by_role("heading", name=f"Episode 2: {topic}", level=1)).to_be_visible()
    desk.get_by_role("link", name="Tampilkan kode kehadiran").click()
    code = desk.locator(".host-code .code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{3} [0-9A-Z]{3}", code), code

    # The civil servant, on a phone, opens the episode's page and claims attendance.
    page = gotong.signed_in_page(LEARNER)
    page.set_viewport_size(PHONE)
    meter = page_weight(page)
    load = meter.goto(f"/t/{SLUG}/live/{programme}/2")
    assert load.total <= meter.budget, load.describe()
    expect(page.get_by_role("heading", name=f"Episode 2: {topic}", level=1)).to_be_visible()
    expect(page.get_by_text("Dr. Rina Kusuma, M.Si.")).to_be_visible()
    assert code.replace(" ", "") not in page.content(), "the public page shows the attendance code"
    page.get_by_role("link", name="Klaim kehadiran").click()
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    page.get_by_label("Kode kehadiran").fill("ZZZ ZZZ" if code != "ZZZ ZZZ" else "YYY YYY")
    page.get_by_role("button", name="Klaim kehadiran").click()
    expect(page.get_by_text("Kode kehadiran salah. Sisa percobaan: 4.")).to_be_visible()
    page.get_by_label("Kode kehadiran").fill(code.lower())
    page.get_by_role("button", name="Klaim kehadiran").click()
    expect(_status(page).first).to_contain_text("Kehadiran Anda tercatat. 2 JP")
    gotong.phone_screenshot(page, "live-claimed")

    # Its JP reach the ledger (the completion hooks run in the server's job worker).
    for _ in range(20):
        page.goto("/saya/jp")
        if page.get_by_text(topic).count():
            break
        page.wait_for_timeout(500)
    expect(page.get_by_text(topic).first).to_be_visible()

    # The coordinator sees the claim, imports the platforms' figures and reads the effectiveness.
    desk.goto(f"/t/{SLUG}/kelola/live/{programme}/2")
    expect(desk.get_by_role("heading", name="Klaim kehadiran (1)")).to_be_visible()
    figures = gotong.csv_file(
        "angka.csv",
        [
            ["episode", "speakers", "topic", "date", "platform", "accounts_reached", "peak_viewers", "comments",
             "accounts_engaged", "followers_gained"],
            # the episode before, two weeks earlier, made from its row
            ["1", "Sari Dewi dan Andi Wijaya", "Menulis nota dinas", earlier.strftime("%Y-%m-%d"), "instagram",
             "1000", "100", "10", "100", "5"],
            ["2", "Dr. Rina Kusuma, M.Si.", topic, start.strftime("%-d/%-m/%Y"), "instagram", "2000", "300", "45",
             "300", "24"],
            ["2", "Dr. Rina Kusuma, M.Si.", topic, start.strftime("%-d/%-m/%Y"), "youtube", "500", "80", "8", "50",
             "6"],
        ],
    )
    desk.goto(f"/t/{SLUG}/kelola/live/{programme}")
    desk.get_by_label("Berkas CSV atau JSON").set_input_files(figures)
    desk.get_by_role("button", name="Impor", exact=True).click()
    expect(_status(desk).first).to_contain_text("Impor selesai")
    desk.get_by_role("link", name="Efektivitas").click()
    expect(desk.get_by_role("heading", name="Efektivitas", level=1)).to_be_visible()
    # episode 2: 2.500 reached on both platforms, 350 engaged: 14,0%; episode 1: 10,0%
    expect(desk.get_by_text("2.500").first).to_be_visible()
    expect(desk.get_by_text("14,0%").first).to_be_visible()
    assert desk.locator("svg.chart").count() == 3
    expect(desk.get_by_role("heading", name="Episode terbaik dan terlemah")).to_be_visible()
    violations = gotong.serious_axe_violations(desk)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(desk, "live-effectiveness")

    # The Excel export, read by openpyxl: the report's header, one row per platform.
    xlsx = desk.request.get(f"/t/{SLUG}/kelola/live/{programme}/efektivitas.xlsx")
    assert xlsx.ok
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.body())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("episode", "topic", "date", "platform", "accounts_reached")
    assert [(r[0], r[3], r[4], r[12]) for r in rows[1:]] == [
        (1, "instagram", 1000, 0), (2, "instagram", 2000, 1), (2, "youtube", 500, 1)]
    assert abs(rows[2][9] - 0.15) < 1e-9

    # The calendar feed, read by an iCalendar parser: the episode, in UTC, with its page.
    feed = page.request.get(f"/t/{SLUG}/live/{programme}/kalender.ics")
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body())
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 2
    event = next(e for e in events if str(e["SUMMARY"]).endswith(topic))
    assert str(event["SUMMARY"]) == f"Live Learning {programme} #2: {topic}"
    assert event.decoded("DTSTART") == start.replace(second=0, microsecond=0).astimezone(ZoneInfo("UTC"))
    assert str(event["URL"]).endswith(f"/t/{SLUG}/live/{programme}/2")
    assert "Dr. Rina Kusuma, M.Si., Widyaiswara Ahli Utama, LAN" in str(event["DESCRIPTION"])


def test_a_civil_servant_finds_a_coming_episode_from_the_storefront_and_asks_for_a_reminder(gotong):
    programme = gotong.unique("ingat").lower()
    topic = f"Menulis nota dinas yang ringkas {programme}"
    start = datetime.now(WIB) + timedelta(days=3)

    desk = gotong.signed_in_page(COORDINATOR)
    desk.goto(f"/t/{SLUG}/kelola/live")
    desk.get_by_label("Nama program").fill(f"Ngobrol Pintar {programme}")
    desk.get_by_label("Alamat program").fill(programme)
    desk.get_by_role("button", name="Buat program").click()
    desk.get_by_label("Nomor episode", exact=True).fill("1")
    desk.get_by_label("Topik", exact=True).fill(topic)
    desk.get_by_label("Mulai (WIB)").fill(start.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_role("button", name="Buat episode").click()
    expect(desk.get_by_role("heading", name=f"Episode 1: {topic}", level=1)).to_be_visible()

    # A visitor is asked to sign in first, and comes back to the episode afterwards.
    page = gotong.new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"/t/{SLUG}")
    page.get_by_role("link", name=f"Ngobrol Pintar {programme}").click()
    page.get_by_role("link", name=re.compile(re.escape(topic))).click()
    page.get_by_role("link", name="Masuk untuk diingatkan").click()
    page.get_by_label("Email", exact=True).fill(LEARNER)
    page.get_by_label("Kata sandi", exact=True).fill(gotong.password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name=f"Episode 1: {topic}", level=1)).to_be_visible()

    page.get_by_role("button", name="Ingatkan saya").click()
    expect(_status(page).first).to_contain_text("Anda terdaftar. Kami akan mengingatkan Anda")
    expect(page.get_by_role("button", name="Batalkan pendaftaran")).to_be_visible()
    violations = gotong.serious_axe_violations(page)
    assert not violations, gotong.describe_axe(violations)
    gotong.phone_screenshot(page, "live-registered")

    desk.goto(f"/t/{SLUG}/kelola/live/{programme}/1")
    expect(desk.get_by_text("Terdaftar untuk pengingat: 1 orang")).to_be_visible()

    page.get_by_role("button", name="Batalkan pendaftaran").click()
    expect(_status(page).first).to_contain_text("Pendaftaran dibatalkan")
    expect(page.get_by_role("button", name="Ingatkan saya")).to_be_visible()
