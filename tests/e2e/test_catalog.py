"""The course marketplace: searching /katalog across institutions, enrolling in another
institution's course with the one sign-in, a coordinator deciding enrolment requests, assigning
a course to a work unit, and a new course's way from a coordinator's draft into the shared
catalogue.

Tests share one server and database, so each works on its own people or makes its own course:

    search                      anonymous (read only)
    enrol across institutions   peserta1@bps      in "Pelayanan Publik Prima" (lan)
    approve a request           peserta2@bps      in "Pengelolaan Kinerja ASN" (lan)
    reject a request            peserta1@bppk     in "Pengelolaan Kinerja ASN" (lan)
    assign to a work unit       unit "Unit Pelatihan BPSDM-JABAR", "Literasi Digital ASN"
    assignment list with errors writes nothing (checked on the participants page)
    authoring round trip        a new course of bppk; curation rejection: a new course of bps

Learners leave the course again at the end where the product lets them, so the tests can also
be rerun against the same database.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from urllib.parse import quote_plus, urlsplit

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
# Learners mostly search and enrol on their phones.
on_phone = pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, has_touch=True)

PLATFORM_ADMIN = "admin@lan.go.id"
LAN = "Lembaga Administrasi Negara"
BPPK = "BPPK Kementerian Keuangan"
JABAR = "BPSDM Provinsi Jawa Barat"

APPROVAL_COURSE = "Pengelolaan Kinerja ASN"  # lan, enrolment with the coordinator's approval
APPROVAL_COURSE_URL = "/t/lan/pelatihan/pengelolaan-kinerja-asn"
LAN_COORDINATOR = "pengelola@lan.gotong.test"

ASSIGNED_COURSE = "Literasi Digital ASN"  # bpsdm-jabar, only through assignment
JABAR_ADMIN = "admin@bpsdm-jabar.gotong.test"

# Dates as the Indonesian pages show them ("23 Nov 2026", Jakarta time).
MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]



def _search_box(page):
    """The catalogue's search box (a combobox once the script gives it suggestions)."""
    return page.get_by_role("search").get_by_label("Cari pelatihan")

def day_id(d: date) -> str:
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def _heading(page, text: str):
    expect(page.get_by_role("heading", name=text, level=1)).to_be_visible()


def _flash(page):
    """The confirmation or error message shown after a form post."""
    return page.get_by_role("main").get_by_role("status")


def _following(page, heading_name, level: int = 2):
    """What comes right after a heading (the pages have no landmark per section)."""
    return page.get_by_role("heading", name=heading_name, level=level).locator("xpath=following-sibling::*[1]")


# --- the catalogue ------------------------------------------------------------------------------

def _results(page):
    return page.get_by_role("region", name="Hasil pencarian")


def _result_titles(page) -> list[str]:
    return _results(page).get_by_role("list").first.get_by_role("link").all_inner_texts()


def _result_card(page, title: str):
    return _results(page).get_by_role("listitem").filter(has=page.get_by_role("link", name=title, exact=True))


def _result_count(page) -> int:
    status = page.get_by_role("status").filter(has_text="pelatihan ditemukan")
    expect(status).to_have_count(1)
    return int(re.match(r"^(\d+) pelatihan ditemukan", status.inner_text()).group(1))


def _search(page, words: str) -> None:
    search = page.get_by_role("search")
    search.get_by_label("Cari pelatihan").fill(words)
    search.get_by_role("button", name="Cari", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/katalog\?(.*&)?q={re.escape(quote_plus(words))}(&|$)"))
    expect(page.get_by_role("status").filter(has_text="pelatihan ditemukan")).to_be_visible()


def _filters(page):
    """The filter block, opened as a person on a phone opens it: it starts folded, under one control."""
    aside = page.get_by_role("complementary", name="Saring")
    if aside.locator("details").get_attribute("open") is None:
        aside.locator("summary").click()
    return aside


def _facet(page, name: str):
    return _filters(page).get_by_role("link", name=name, exact=True)


def _chip(page, name: str):
    """The removable chip of a chosen filter, above the results."""
    return page.get_by_role("list", name="Saringan aktif").get_by_role("link", name=f"Hapus saringan {name}")


@on_phone
def test_search_finds_other_word_forms_and_facets_narrow_it(page, gotong):
    page.goto("/katalog")
    _heading(page, "Katalog pelatihan")

    # "kelola" is the root of "Pengelolaan": both courses titled with it are found.
    _search(page, "kelola")
    expect(_search_box(page)).to_have_value("kelola")
    expect(_result_card(page, "Pengelolaan Kinerja ASN")).to_have_count(1)
    expect(_result_card(page, "Pengelolaan Keuangan Negara")).to_have_count(1)
    expect(_result_card(page, "Statistik Dasar untuk ASN")).to_have_count(0)  # no form of "kelola" in it
    titles = _result_titles(page)
    total = _result_count(page)
    assert total == len(titles), f"count says {total}, page lists {titles}"
    # Each result names its institution.
    expect(_result_card(page, "Pengelolaan Kinerja ASN")).to_contain_text(LAN)
    expect(_result_card(page, "Pengelolaan Keuangan Negara")).to_contain_text(BPPK)

    # On a phone the results come first: the filters are folded behind one control.
    expect(page.get_by_role("complementary", name="Saring").locator("details")).not_to_have_attribute("open", "")
    expect(page.get_by_role("list", name="Saringan aktif")).to_have_count(0)

    # Narrow to one institution.
    expect(_facet(page, LAN)).not_to_have_attribute("aria-current", "true")
    _facet(page, LAN).click()
    expect(page).to_have_url(re.compile(r"[?&]tenant=lan(&|$)"))
    expect(_chip(page, LAN)).to_be_visible()
    expect(page.get_by_role("complementary", name="Saring").locator("summary")).to_have_text("Saring (1 aktif)")
    expect(_facet(page, LAN)).to_have_attribute("aria-current", "true")
    expect(_facet(page, BPPK)).not_to_have_attribute("aria-current", "true")
    # No option that would find nothing is offered.
    expect(_filters(page).locator(".count", has_text=re.compile(r"^0$"))).to_have_count(0)
    expect(_search_box(page)).to_have_value("kelola")  # the words stay
    expect(_result_card(page, "Pengelolaan Keuangan Negara")).to_have_count(0)
    expect(_result_card(page, "Pengelolaan Kinerja ASN")).to_have_count(1)
    narrowed = _result_titles(page)
    assert 0 < len(narrowed) < len(titles), f"{LAN} did not narrow {titles}: {narrowed}"
    assert set(narrowed) <= set(titles), f"filtering added results: {titles} -> {narrowed}"
    assert _result_count(page) == len(narrowed)
    for card in _results(page).get_by_role("list").first.get_by_role("listitem").all():
        expect(card).to_contain_text(LAN)

    # And by competency type on top: only the managerial course is left.
    _facet(page, "Manajerial").click()
    expect(page).to_have_url(re.compile(r"[?&]competency_type=manajerial(&|$)"))
    expect(_facet(page, "Manajerial")).to_have_attribute("aria-current", "true")
    expect(_facet(page, LAN)).to_have_attribute("aria-current", "true")
    expect(_results(page).get_by_role("list").first.get_by_role("link")).to_have_text([APPROVAL_COURSE])
    assert _result_count(page) == 1

    # Removing one chip keeps the other filter and the words.
    _chip(page, LAN).click()
    expect(page).not_to_have_url(re.compile(r"[?&]tenant=lan(&|$)"))
    expect(_chip(page, "Manajerial")).to_be_visible()
    expect(_chip(page, LAN)).to_have_count(0)
    expect(_search_box(page)).to_have_value("kelola")

    # Clearing brings every course back.
    page.get_by_role("link", name="Hapus pencarian dan saringan").click()
    expect(page).to_have_url(f"{gotong.base_url}/katalog")
    expect(_search_box(page)).to_have_value("")
    assert _result_count(page) > total


@on_phone
def test_search_matches_word_forms_and_says_when_nothing_matches(page, gotong):
    page.goto("/katalog")
    # "layanan" is the root of "Pelayanan"; the title match ranks first.
    _search(page, "layanan")
    titles = _result_titles(page)
    assert titles and titles[0] == "Pelayanan Publik Prima", f"'layanan' found {titles}"
    expect(_result_card(page, "Pelayanan Publik Prima")).to_contain_text(LAN)

    _search(page, "xylofonmatika")
    assert _result_count(page) == 0
    expect(_results(page)).to_contain_text("Tidak ada pelatihan yang cocok. Coba kata lain atau hapus saringan.")
    assert _result_titles(page) == []


# --- enrolling ---------------------------------------------------------------------------------

def _enrolment_panel(page):
    return page.get_by_role("region", name="Pendaftaran")


def _withdraw(panel):
    """Withdraws as a person does: the first tap asks, the second confirms."""
    panel.get_by_text("Mengundurkan diri", exact=True).click()
    expect(panel).to_contain_text("tidak lagi tercatat sebagai peserta. Lanjutkan?")
    panel.get_by_role("button", name="Ya, mengundurkan diri", exact=True).click()


def _my_courses_list(page, heading: str):
    """The cards under a heading of /saya ("Wajib", "Sedang diikuti", "Selesai")."""
    return _following(page, heading)


@on_phone
def test_enrol_in_another_institutions_course_without_signing_in_again(page, gotong):
    learner = "peserta1@bps.gotong.test"  # member of bps only
    course, course_path = "Pelayanan Publik Prima", "/t/lan/pelatihan/pelayanan-publik-prima"
    visited: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and visited.append(frame.url))

    gotong.sign_in(page, learner)
    signed_in_at = len(visited)
    page.goto("/saya")
    _heading(page, "Pelatihan saya")
    expect(page.get_by_role("main").get_by_role("link", name=course, exact=True)).to_have_count(0)

    # Find the course of LAN in the catalogue and open it.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Katalog", exact=True).click()
    _heading(page, "Katalog pelatihan")
    _search(page, "pelayanan publik")
    card = _result_card(page, course)
    expect(card).to_contain_text(LAN)
    card.get_by_role("link", name=course, exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}{course_path}")
    _heading(page, course)

    # Enrol: one press, no second sign-in.
    panel = _enrolment_panel(page)
    expect(panel.get_by_role("link", name="Masuk untuk mendaftar")).to_have_count(0)
    panel.get_by_role("button", name="Daftar sekarang", exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}{course_path}")
    expect(_flash(page)).to_have_text(f'Anda terdaftar di “{course}”. Selamat belajar!')
    expect(panel).to_contain_text("Terdaftar")
    expect(panel.get_by_role("button", name="Daftar sekarang", exact=True)).to_have_count(0)

    # It is under "Sedang diikuti" on /saya, with its institution.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Pelatihan saya", exact=True).click()
    expect(page).to_have_url(f"{gotong.base_url}/saya")
    in_progress = _my_courses_list(page, "Sedang diikuti")
    card = in_progress.get_by_role("listitem").filter(has=page.get_by_role("link", name=course, exact=True))
    expect(card).to_have_count(1)
    expect(card).to_contain_text(LAN)
    expect(card).to_contain_text("Terdaftar")
    expect(card.get_by_role("link", name=course, exact=True)).to_have_attribute("href", course_path)

    paths = [urlsplit(u).path for u in visited[signed_in_at:]]
    assert "/masuk" not in paths, f"sent to the sign-in page again: {visited[signed_in_at:]}"

    # Leaving again works too (and keeps the test repeatable).
    page.goto(course_path)
    _withdraw(_enrolment_panel(page))
    expect(_flash(page)).to_have_text(f'Anda sudah mengundurkan diri dari “{course}”.')
    expect(_enrolment_panel(page).get_by_role("button", name="Daftar sekarang", exact=True)).to_be_visible()
    page.goto("/saya")
    expect(page.get_by_role("main").get_by_role("link", name=course, exact=True)).to_have_count(0)


# --- deciding enrolment requests -----------------------------------------------------------------

def _request_enrolment(gotong, email: str):
    """The learner asks to join the approval course; returns their page."""
    learner = gotong.signed_in_page(email)
    learner.goto(APPROVAL_COURSE_URL)
    _heading(learner, APPROVAL_COURSE)
    panel = _enrolment_panel(learner)
    panel.get_by_role("button", name="Ajukan pendaftaran", exact=True).click()
    expect(_flash(learner)).to_have_text(
        f'Permintaan Anda untuk “{APPROVAL_COURSE}” terkirim; pengelola akan memutuskan.')
    expect(panel).to_contain_text("Menunggu persetujuan")
    expect(panel.get_by_role("button", name="Ajukan pendaftaran", exact=True)).to_have_count(0)
    return learner


def _open_participants(page, tenant: str, course: str) -> None:
    """From the tenant's course list to the course's participants page."""
    page.goto(f"/t/{tenant}/kelola/pelatihan")
    _heading(page, "Pelatihan")
    page.get_by_role("row").filter(has=page.get_by_role("link", name=course, exact=True)) \
        .get_by_role("link", name=course, exact=True).click()
    _heading(page, course)
    page.get_by_role("main").get_by_role("link", name="Peserta", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/t/{tenant}/kelola/pelatihan/[0-9A-Fa-f-]+/peserta$"))
    _heading(page, f"Peserta {course}")


def _participant_row(page, section: str, email: str):
    """The row of `email` in a table of the participants page ("Menunggu persetujuan",
    "Terdaftar", "Daftar tunggu", "Riwayat")."""
    heading = re.compile(rf"^{re.escape(section)} \d+$")
    return _following(page, heading).get_by_role("row").filter(has_text=email)


def test_coordinator_approves_a_request_and_the_learner_is_told(gotong):
    email = "peserta2@bps.gotong.test"
    approved_text = f'Pendaftaran Anda di “{APPROVAL_COURSE}” disetujui.'
    learner = _request_enrolment(gotong, email)
    learner.goto("/notifikasi")
    _heading(learner, "Notifikasi")
    told_before = learner.get_by_role("main").get_by_role("link", name=approved_text, exact=True).count()

    coordinator = gotong.signed_in_page(LAN_COORDINATOR)
    _open_participants(coordinator, "lan", APPROVAL_COURSE)
    row = _participant_row(coordinator, "Menunggu persetujuan", email)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Menunggu persetujuan")
    row.get_by_role("button", name="Setujui", exact=True).click()
    expect(coordinator).to_have_url(re.compile(r"/peserta$"))
    expect(_flash(coordinator)).to_have_text("Disetujui; peserta sudah terdaftar dan diberi tahu.")
    expect(_participant_row(coordinator, "Menunggu persetujuan", email)).to_have_count(0)
    enrolled = _participant_row(coordinator, "Terdaftar", email)
    expect(enrolled).to_have_count(1)
    expect(enrolled).to_contain_text("Terdaftar")

    # The learner is told (the menu counts what is unread), and the course page says they are enrolled.
    menu = learner.get_by_role("navigation", name="Navigasi utama")
    learner.reload()
    unread = menu.get_by_role("link", name=re.compile(r"^Notifikasi \d+ belum dibaca$"))
    expect(unread).to_have_count(1)
    unread.click()
    _heading(learner, "Notifikasi")
    notes = learner.get_by_role("main").get_by_role("link", name=approved_text, exact=True)
    expect(notes).to_have_count(told_before + 1)
    notes.first.click()  # newest first
    expect(learner).to_have_url(f"{gotong.base_url}{APPROVAL_COURSE_URL}")
    panel = _enrolment_panel(learner)
    expect(panel).to_contain_text("Terdaftar")
    expect(panel).not_to_contain_text("Menunggu persetujuan")
    expect(panel.get_by_role("button", name="Ajukan pendaftaran", exact=True)).to_have_count(0)

    # Leave again, so a rerun starts from scratch.
    _withdraw(panel)
    expect(_flash(learner)).to_have_text(f'Anda sudah mengundurkan diri dari “{APPROVAL_COURSE}”.')


def test_coordinator_rejects_a_request_only_with_a_reason(gotong):
    email = "peserta1@bppk.gotong.test"
    learner = _request_enrolment(gotong, email)
    reason = f"Angkatan ini khusus pejabat pengawas ({gotong.unique('alasan')})."

    coordinator = gotong.signed_in_page(LAN_COORDINATOR)
    _open_participants(coordinator, "lan", APPROVAL_COURSE)
    row = _participant_row(coordinator, "Menunggu persetujuan", email)
    expect(row).to_have_count(1)
    reason_box = row.get_by_role("textbox", name="Alasan")
    participants_url = coordinator.url

    # Without a reason the browser does not send the form...
    row.get_by_role("button", name="Tolak", exact=True).click()
    assert reason_box.evaluate("e => e.validity.valueMissing"), "an empty reason is accepted by the form"
    assert coordinator.url == participants_url
    # ...and the server refuses it too (a browser that ignores `required`).
    reason_box.evaluate("e => e.removeAttribute('required')")
    row.get_by_role("button", name="Tolak", exact=True).click()
    expect(_flash(coordinator)).to_have_text("Tuliskan alasannya; peserta akan membacanya.")
    row = _participant_row(coordinator, "Menunggu persetujuan", email)
    expect(row).to_have_count(1)  # still waiting for a decision

    # With a reason the request is rejected and the reason kept.
    row.get_by_role("textbox", name="Alasan").fill(reason)
    row.get_by_role("button", name="Tolak", exact=True).click()
    expect(_flash(coordinator)).to_have_text("Permintaan ditolak; peserta diberi tahu alasannya.")
    expect(_participant_row(coordinator, "Menunggu persetujuan", email)).to_have_count(0)
    expect(_participant_row(coordinator, "Terdaftar", email)).to_have_count(0)
    history = _participant_row(coordinator, "Riwayat", email).filter(has_text=reason)
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Ditolak")

    # The learner reads why, and may ask again.
    learner.goto("/notifikasi")
    note = learner.get_by_role("main").get_by_role(
        "link", name=f'Pendaftaran Anda di “{APPROVAL_COURSE}” ditolak: {reason}', exact=True)
    expect(note).to_have_count(1)
    note.click()
    expect(learner).to_have_url(f"{gotong.base_url}{APPROVAL_COURSE_URL}")
    panel = _enrolment_panel(learner)
    expect(panel).not_to_contain_text("Menunggu persetujuan")
    expect(panel.get_by_role("button", name="Ajukan pendaftaran", exact=True)).to_be_visible()


# --- assignment --------------------------------------------------------------------------------

def _open_assignment(page, tenant: str, course: str) -> None:
    page.goto(f"/t/{tenant}/kelola/pelatihan")
    _heading(page, "Pelatihan")
    page.get_by_role("row").filter(has=page.get_by_role("link", name=course, exact=True)) \
        .get_by_role("link", name=course, exact=True).click()
    _heading(page, course)
    page.get_by_role("main").get_by_role("link", name="Penugasan", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/t/{tenant}/kelola/pelatihan/[0-9A-Fa-f-]+/penugasan$"))
    _heading(page, f"Tugaskan {course}")


def test_assign_a_course_to_a_work_unit(gotong):
    unit = "Unit Pelatihan BPSDM-JABAR"  # every demo staff account of bpsdm-jabar
    member = "peserta1@bpsdm-jabar.gotong.test"
    due = date.today() + timedelta(days=30 + secrets.randbelow(300))

    admin = gotong.signed_in_page(JABAR_ADMIN)
    _open_assignment(admin, "bpsdm-jabar", ASSIGNED_COURSE)
    admin.get_by_label("Tenggat").fill(due.isoformat())
    units = admin.get_by_label("Seluruh pegawai unit kerja")
    expect(units.locator("option", has_text=unit)).to_have_count(1)
    units.select_option(label=unit)
    admin.get_by_role("button", name="Tugaskan", exact=True).click()

    summary = _flash(admin)
    expect(summary).to_have_text(re.compile(r"^\d+ orang ditugaskan: \d+ baru terdaftar, \d+ sudah terdaftar, \d+ sudah selesai\.$"))
    people, new, already, completed = map(int, re.findall(r"\d+", summary.inner_text()))
    assert people >= 5, f"the unit has at least 5 demo members: {summary.inner_text()}"
    assert new + already + completed == people, summary.inner_text()
    expect(admin.get_by_role("alert")).to_have_count(0)

    # The participants page lists the member as assigned with the due date.
    admin.get_by_role("main").get_by_role("link", name=ASSIGNED_COURSE, exact=True).click()
    admin.get_by_role("main").get_by_role("link", name="Peserta", exact=True).click()
    row = _participant_row(admin, "Terdaftar", member)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Terdaftar · ditugaskan · {day_id(due)}")

    # The member sees it as required on /saya, with the due date, and was told.
    learner = gotong.signed_in_page(member)
    learner.goto("/saya")
    required = _my_courses_list(learner, "Wajib")
    card = required.get_by_role("listitem").filter(has=learner.get_by_role("link", name=ASSIGNED_COURSE, exact=True))
    expect(card).to_have_count(1)
    expect(card).to_contain_text(JABAR)
    expect(card).to_contain_text(f"tenggat {day_id(due)}")
    expect(_my_courses_list(learner, "Sedang diikuti").get_by_role("link", name=ASSIGNED_COURSE, exact=True)).to_have_count(0)
    learner.goto("/notifikasi")
    told = re.compile(rf'^Anda ditugaskan mengikuti “{ASSIGNED_COURSE}” dengan tenggat '
                      rf'({due.isoformat()}|{day_id(due)})\.$')
    expect(learner.get_by_role("main").get_by_role("link", name=told).first).to_be_visible()
    # Required training cannot be left by the learner.
    learner.goto("/saya")
    required.get_by_role("link", name=ASSIGNED_COURSE, exact=True).click()
    panel = _enrolment_panel(learner)
    expect(panel).to_contain_text(f"Terdaftar · tenggat {day_id(due)}")
    expect(panel.get_by_text("Mengundurkan diri", exact=True)).to_have_count(0)
    expect(panel.get_by_role("button", name="Ya, mengundurkan diri")).to_have_count(0)


def test_assignment_list_with_an_unknown_person_writes_nothing(gotong):
    unknown = gotong.unique_email("tidak-terdaftar")
    due = date.today() + timedelta(days=400 + secrets.randbelow(300))  # no other test uses these dates

    admin = gotong.signed_in_page(JABAR_ADMIN)
    _open_participants(admin, "bpsdm-jabar", ASSIGNED_COURSE)
    enrolled_before = _following(admin, re.compile(r"^Terdaftar \d+$")).get_by_role("row").all_text_contents()

    _open_assignment(admin, "bpsdm-jabar", ASSIGNED_COURSE)
    admin.get_by_label("Tenggat").fill(due.isoformat())
    people = "asn@gotong.test\n" + unknown  # line 1 is a member; line 2 has no account
    admin.get_by_label("Email atau NIP, satu per baris").fill(people)
    with admin.expect_response(lambda r: urlsplit(r.url).path.endswith("/penugasan") and r.request.method == "POST") as posted:
        admin.get_by_role("button", name="Tugaskan", exact=True).click()
    admin.wait_for_load_state()

    problems = admin.get_by_role("alert")
    expect(problems).to_contain_text("Tidak ada yang disimpan. Perbaiki baris berikut lalu kirim lagi:")
    expect(problems.get_by_role("listitem")).to_have_text([f'Baris 2: Tidak ada akun untuk “{unknown}”.'])
    expect(_flash(admin).filter(has_text="orang ditugaskan")).to_have_count(0)
    expect(admin.get_by_label("Email atau NIP, satu per baris")).to_have_value(people)  # kept for fixing
    assert posted.value.status == 422, f"a list with problems answered {posted.value.status}, expected 422"

    # Nothing changed: asn@gotong.test keeps the due date it had, nobody was added.
    _open_participants(admin, "bpsdm-jabar", ASSIGNED_COURSE)
    expect(_following(admin, re.compile(r"^Terdaftar \d+$")).get_by_role("row")).to_have_text(enrolled_before)
    expect(admin.get_by_role("main")).not_to_contain_text(day_id(due))


# --- authoring and curation --------------------------------------------------------------------

def _create_course(page, tenant: str, title: str, tag: str, *, trainer: str | None = None,
                   coordinator: str | None = None) -> str:
    """Fills the new-course form from the tenant's course list; returns the course's admin URL."""
    page.goto(f"/t/{tenant}/kelola/pelatihan")
    _heading(page, "Pelatihan")
    page.get_by_role("main").get_by_role("link", name="Pelatihan baru", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/t/{tenant}/kelola/pelatihan/baru$"))
    _heading(page, "Pelatihan baru")
    # What a course needs to be published comes first; the length of a micro course only for "Mikro".
    page.get_by_label("Judul", exact=True).fill(title)
    page.get_by_label("Ringkasan", exact=True).fill("Menata arsip dinamis instansi dari penciptaan sampai penyusutan.")
    page.get_by_label("Jenis kompetensi", exact=True).select_option(label="Teknis")
    page.get_by_label("Jam pelajaran (JP)", exact=True).fill("6")
    page.get_by_label("Metode", exact=True).select_option(label="Mikro (microlearning)")
    expect(page.get_by_label("Durasi mikro (menit)", exact=True)).to_be_visible()
    page.get_by_label("Metode", exact=True).select_option(label="Belajar mandiri daring (MOOC)")
    expect(page.get_by_label("Durasi mikro (menit)", exact=True)).to_be_hidden()
    # The rest waits behind one control.
    expect(page.get_by_label("Deskripsi", exact=True)).to_be_hidden()
    page.get_by_text("Pengaturan lanjutan", exact=True).click()
    page.get_by_label("Deskripsi", exact=True).fill("## Tujuan\n\nPeserta mampu **menata arsip aktif**.\n")
    page.get_by_label("Kata kunci (tag)", exact=True).fill(f"arsip, {tag}")
    if trainer:
        page.get_by_label("Pengajar", exact=True).fill(trainer)
    if coordinator:
        page.get_by_label("Pengelola", exact=True).fill(coordinator)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(_flash(page)).to_have_text(f'Pelatihan “{title}” dibuat sebagai draf.')
    expect(page).to_have_url(re.compile(rf"/t/{tenant}/kelola/pelatihan/[0-9A-Fa-f-]{{36}}$"))
    _heading(page, title)
    expect(page.get_by_role("main")).to_contain_text("Status: Draf")
    return page.url


def _catalog_titles_for(gotong, words: str) -> list[str]:
    visitor = gotong.new_page()
    visitor.goto("/katalog")
    _search(visitor, words)
    titles = _result_titles(visitor)
    visitor.context.close()
    return titles


def _curation_card(page, title: str):
    return page.get_by_role("main").get_by_role("listitem").filter(has=page.get_by_role("link", name=title, exact=True))


def test_course_goes_from_draft_to_the_catalogue(gotong):
    tag = gotong.unique("arsip")
    title = f"Kearsipan Dinamis {tag}"

    # The coordinator writes the course and hands it to the administrator.
    coordinator = gotong.signed_in_page("pengelola@bppk.gotong.test")
    admin_url = _create_course(coordinator, "bppk", title, tag, trainer="pengajar@bppk.gotong.test",
                               coordinator="pengelola@bppk.gotong.test")
    expect(coordinator.get_by_role("button", name="Terbitkan")).to_have_count(0)  # the administrator's step
    coordinator.get_by_role("button", name="Ajukan untuk terbit").click()
    expect(_flash(coordinator)).to_have_text(f'“{title}” diajukan ke admin instansi.')
    expect(coordinator.get_by_role("main")).to_contain_text("Status: Diajukan")

    # The administrator is told, opens it from the notification and publishes.
    admin = gotong.signed_in_page("admin@bppk.gotong.test")
    admin.goto("/notifikasi")
    admin.get_by_role("main").get_by_role("link", name=f'“{title}” diajukan untuk terbit.', exact=True).click()
    expect(admin).to_have_url(admin_url)
    admin.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(_flash(admin)).to_have_text(f'“{title}” terbit di etalase dan menunggu kurasi untuk katalog.')
    main = admin.get_by_role("main")
    expect(main).to_contain_text("Status: Terbit")
    expect(main).to_contain_text("Katalog: Menunggu kurasi")
    public_path = admin.get_by_role("link", name="Lihat halaman").get_attribute("href")

    # Published on the storefront, but not in the shared catalogue before curation.
    visitor = gotong.new_page()
    response = visitor.goto(public_path)
    assert response is not None and response.status == 200, f"{public_path} answered {response and response.status}"
    _heading(visitor, title)
    assert _catalog_titles_for(gotong, tag) == [], "the course is in the catalogue before curation"

    # The platform curator approves it.
    curator = gotong.signed_in_page(PLATFORM_ADMIN)
    curator.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Kurasi", exact=True).click()
    expect(curator).to_have_url(f"{gotong.base_url}/admin/kurasi")
    _heading(curator, "Kurasi katalog")
    card = _curation_card(curator, title)
    expect(card).to_have_count(1)
    expect(card).to_contain_text(BPPK)
    card.get_by_role("button", name="Setujui", exact=True).click()
    expect(_flash(curator)).to_have_text(f'“{title}” masuk katalog.')
    queue = curator.get_by_role("main").locator("ul.cards")
    expect(queue.get_by_role("link", name=title, exact=True)).to_have_count(0)
    decided = _following(curator, "Keputusan terakhir").get_by_role("listitem").filter(has_text=title)
    expect(decided).to_contain_text("Masuk katalog")

    # Now anyone finds it in the catalogue, with its institution.
    visitor.goto("/katalog")
    _search(visitor, tag)
    expect(_results(visitor).get_by_role("list").first.get_by_role("link")).to_have_text([title])
    expect(_result_card(visitor, title)).to_contain_text(BPPK)
    _result_card(visitor, title).get_by_role("link", name=title, exact=True).click()
    expect(visitor).to_have_url(f"{gotong.base_url}{public_path}")
    _heading(visitor, title)

    # The course's coordinator hears of the decision.
    coordinator.goto("/notifikasi")
    expect(coordinator.get_by_role("main").get_by_role(
        "link", name=f'“{title}” disetujui masuk katalog.', exact=True)).to_have_count(1)


def test_curator_rejects_a_course_only_with_a_reason(gotong):
    tag = gotong.unique("tolak")
    title = f"Kearsipan Statis {tag}"
    reason = f"Ringkasan belum menyebut sasaran peserta ({tag})."

    admin = gotong.signed_in_page("admin@bps.gotong.test")
    admin_url = _create_course(admin, "bps", title, tag)
    admin.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(_flash(admin)).to_have_text(f'“{title}” terbit di etalase dan menunggu kurasi untuk katalog.')

    curator = gotong.signed_in_page(PLATFORM_ADMIN)
    curator.goto("/admin/kurasi")
    card = _curation_card(curator, title)
    reason_box = card.get_by_role("textbox", name="Alasan penolakan")
    card.get_by_role("button", name="Tolak", exact=True).click()
    assert reason_box.evaluate("e => e.validity.valueMissing"), "an empty reason is accepted by the form"
    # The server refuses an empty reason too.
    reason_box.evaluate("e => e.removeAttribute('required')")
    card.get_by_role("button", name="Tolak", exact=True).click()
    expect(_flash(curator)).to_have_text("Tuliskan alasan penolakan untuk instansi.")
    card = _curation_card(curator, title)
    expect(card).to_have_count(1)  # still waiting

    card.get_by_role("textbox", name="Alasan penolakan").fill(reason)
    card.get_by_role("button", name="Tolak", exact=True).click()
    expect(_flash(curator)).to_have_text(f'“{title}” ditolak; instansi diberi tahu alasannya.')
    expect(curator.get_by_role("main").locator("ul.cards").get_by_role("link", name=title, exact=True)).to_have_count(0)
    assert _catalog_titles_for(gotong, tag) == [], "a rejected course is in the catalogue"

    # The institution reads why, on the course and in its notifications.
    admin.goto(admin_url)
    expect(admin.get_by_role("main")).to_contain_text("Katalog: Ditolak kurator")
    expect(admin.get_by_role("main")).to_contain_text(f"Kurator menolak untuk katalog: {reason}")
    admin.goto("/notifikasi")
    expect(admin.get_by_role("main").get_by_role(
        "link", name=f'“{title}” ditolak untuk katalog: {reason}', exact=True)).to_have_count(1)


def test_the_search_box_suggests_as_one_types(page):
    # With the script on, typing fills the box's list of suggestions (the browser shows it);
    # without it the box is the plain form the other tests use.
    page.goto("/katalog")
    _search_box(page).press_sequentially("keu", delay=60)
    suggestions = page.locator("datalist#q-suggest option")
    expect(suggestions.first).to_have_attribute("value", "keuangan")
    expect(page.locator("datalist#q-suggest option[value='Pengelolaan Keuangan Negara']")).to_have_count(1)
