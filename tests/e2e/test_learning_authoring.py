"""Authoring a course's materials: a coordinator of BPPK builds the topics and activities of a
new course in the materials editor ("Susun materi"), puts them in order with the ↑/↓ buttons
(also in a browser with JavaScript turned off), hides one and deletes one after a
confirmation page; bad input is refused with a clear Indonesian message and saves nothing;
and the learner sees exactly what was meant: the right order, nothing hidden or deleted, and a
reading whose <script> is shown as text, never run.

Each test makes its own course (a unique title per run), so the demo courses other tests use
are not touched, and the learner who enrols here leaves the course again at the end.

    builds and arranges   pengelola@bppk writes, admin@bppk publishes, peserta1@bppk learns
    bad input             pengelola@bppk, a draft course nobody else sees
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

COORDINATOR = "pengelola@bppk.gotong.test"
ADMIN = "admin@bppk.gotong.test"
LEARNER = "peserta1@bppk.gotong.test"

# The course's materials. The topics are added in the wrong order on purpose, and the first
# topic's video before its reading, so the ↑ buttons have something to put right.
INTRO = "Pengantar naskah dinas"
PRACTICE = "Praktik menyusun surat"
READING = "Mengenal jenis naskah dinas"
VIDEO = "Video: menyusun nota dinas"
LINK = "Pedoman tata naskah dinas"
HIDDEN = "Contoh surat undangan"  # hidden from learners
DELETED = "Pedoman lama 2012 (sudah dicabut)"  # deleted after a cancelled first try
LINK_URL = "https://jdih.menpan.go.id/pedoman-tata-naskah-dinas"
YOUTUBE_URL = "https://youtu.be/aqz-KE-bpKQ"
PREVIEW = "Lihat sebagai peserta"

# Raw HTML in a trainer's Markdown: it must reach the learner as text, not as markup. The
# site's CSP would stop an inline script anyway, so the test checks the markup itself too.
SCRIPT_LINE = "<script>window.diretas = true; alert(1)</script>"
IMG_LINE = '<img src="x" onerror="window.diretas = true">'
READING_BODY = (
    "## Tujuan\n\n"
    "Peserta mengenal **jenis naskah dinas**: surat dinas, nota dinas, dan surat undangan.\n\n"
    f"{SCRIPT_LINE}\n\n"
    f"{IMG_LINE}\n"
)


# --- small helpers --------------------------------------------------------------------------

def _heading(page, text: str):
    expect(page.get_by_role("heading", name=text, level=1)).to_be_visible()


def _flash(page):
    """The confirmation or error message shown after a form post."""
    return page.get_by_role("main").get_by_role("status")


def _quality(gotong, page, meter, label: str) -> None:
    """Every page so far was within the weight budget, and this one has no serious
    accessibility problems."""
    meter.assert_within()
    violations = gotong.serious_axe_violations(page)
    assert not violations, f"{label}:\n" + gotong.describe_axe(violations)


def _create_course(page, title: str) -> str:
    """From the institution's storefront to a new draft course, the way a coordinator clicks
    it; returns the course's management URL."""
    page.goto("/t/bppk")
    page.get_by_role("banner").get_by_role("link", name="Pelatihan", exact=True).click()
    _heading(page, "Pelatihan")
    # A coordinator manages courses, not the institution: no link to a page that would refuse them.
    expect(page.get_by_role("main").get_by_role("link", name="Kelola instansi", exact=True)).to_have_count(0)
    page.get_by_role("main").get_by_role("link", name="Pelatihan baru", exact=True).click()
    _heading(page, "Pelatihan baru")
    page.get_by_label("Judul", exact=True).fill(title)
    page.get_by_label("Ringkasan", exact=True).fill("Menyusun naskah dinas yang tertib dan seragam.")
    page.get_by_label("Jam pelajaran (JP)", exact=True).fill("4")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(_flash(page)).to_have_text(f"Pelatihan “{title}” dibuat sebagai draf.")
    expect(page).to_have_url(re.compile(r"/t/bppk/kelola/pelatihan/[0-9A-Fa-f-]{36}$"))
    return page.url


def _open_editor(page, course_url: str) -> None:
    page.goto(course_url)
    page.get_by_role("main").get_by_role("link", name="Susun materi", exact=True).click()
    expect(page).to_have_url(f"{course_url}/materi")
    _heading(page, "Susun materi pelatihan")


def _topic(page, title: str):
    """A topic of the editor: a region named by its heading (which may end in "tersembunyi")."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(title)}( tersembunyi)?$"))


def _topic_titles(page):
    """The editor's topic headings, in order."""
    return page.get_by_role("main").get_by_role("heading", level=2)


def _activity_titles(topic):
    """The titles of a topic's activities in the editor, in order (each item's first link)."""
    return topic.locator("ol.steps > li > a:first-of-type")


def _activity(page, title: str):
    """An activity's item in the editor."""
    return page.get_by_role("main").get_by_role("listitem").filter(
        has=page.get_by_role("link", name=title, exact=True))


def _add_topic(page, title: str) -> None:
    page.get_by_label("Topik baru", exact=True).fill(title)
    page.get_by_role("button", name="Tambah topik", exact=True).click()
    expect(_flash(page)).to_have_text("Topik ditambahkan.")
    expect(_topic(page, title)).to_be_visible()


def _start_activity(page, topic: str, kind: str) -> None:
    """Opens the form for a new activity of `kind` ("Bacaan", "Video", "Tautan") in `topic`."""
    section = _topic(page, topic)
    section.get_by_label("Tambah materi:", exact=True).select_option(label=kind)
    section.get_by_role("button", name="Tambah", exact=True).click()
    _heading(page, f"Materi baru: {kind}")


def _set_completion(page, rule: str, value: str = "", unit: str = "menit") -> None:
    """Picks a completion rule (a radio button) and types its number beside it, in its unit."""
    page.get_by_role("radio", name=rule, exact=True).check()
    if value:
        page.get_by_label(f"{rule} ({unit})", exact=True).fill(value)


def _save_new_activity(page, title: str) -> None:
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(_flash(page)).to_have_text(f"Materi “{title}” ditambahkan.")
    _heading(page, "Susun materi pelatihan")
    expect(_activity(page, title)).to_have_count(1)


def _add_link(page, topic: str, title: str, url: str) -> None:
    _start_activity(page, topic, "Tautan")
    page.get_by_label("Judul materi", exact=True).fill(title)
    page.get_by_label("Alamat tautan *", exact=True).fill(url)
    _save_new_activity(page, title)  # the default condition, "dibuka", stays


def _activity_id(page, title: str) -> str:
    """An activity's id, as the editor's item for it carries it (id="materi-<uuid>")."""
    return _activity(page, title).get_attribute("id").removeprefix("materi-")


def _post_response(page, path_end: str, timeout: float = 30_000):
    """Waits for the answer to the form post whose path ends with `path_end`."""
    return page.expect_response(
        lambda r: r.request.method == "POST" and urlsplit(r.url).path.endswith(path_end), timeout=timeout)


def _expect_learner_outline(page) -> None:
    """The learner's outline (or the coordinator's preview of it): both topics in the new order,
    the reading above the video, and neither the hidden nor the deleted activity."""
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=2)).to_have_text([INTRO, PRACTICE])
    expect(main.locator(".step-title")).to_have_text([READING, VIDEO, LINK])
    expect(main).not_to_contain_text(HIDDEN)
    expect(main).not_to_contain_text(DELETED)


# --- the whole authoring flow -------------------------------------------------------------------

def test_coordinator_builds_arranges_and_publishes_materials_the_learner_sees_in_order(
        gotong, page_weight, new_context):
    tag = gotong.unique("naskah")
    course = f"Tata Naskah Dinas {tag}"

    coordinator = gotong.signed_in_page(COORDINATOR)
    meter = page_weight(coordinator)
    course_url = _create_course(coordinator, course)
    _open_editor(coordinator, course_url)
    editor_url = coordinator.url
    expect(coordinator.get_by_role("main")).to_contain_text("Belum ada topik. Mulai dengan menambah topik pertama.")

    # Two topics, the second one meant to come first.
    _add_topic(coordinator, PRACTICE)
    _add_topic(coordinator, INTRO)
    expect(_topic_titles(coordinator)).to_have_text([PRACTICE, INTRO])

    # A YouTube video, without a completion condition.
    _start_activity(coordinator, INTRO, "Video")
    coordinator.get_by_label("Judul materi", exact=True).fill(VIDEO)
    coordinator.get_by_label("atau tautan video di YouTube, Vimeo, Instagram, TikTok", exact=True).fill(YOUTUBE_URL)
    _set_completion(coordinator, "tidak wajib (tanpa syarat)")
    _save_new_activity(coordinator, VIDEO)

    # A reading in Markdown with raw HTML in it, done after two minutes on screen.
    _start_activity(coordinator, INTRO, "Bacaan")
    _quality(gotong, coordinator, meter, "new activity form")
    coordinator.get_by_label("Judul materi", exact=True).fill(READING)
    coordinator.get_by_label("Isi bacaan *", exact=True).fill(READING_BODY)
    _set_completion(coordinator, "dibuka dan dipelajari minimal", "2")
    _save_new_activity(coordinator, READING)

    # The practice topic: a link, a sample letter that will be hidden, and an outdated link
    # that will be deleted.
    _add_link(coordinator, PRACTICE, LINK, LINK_URL)
    _start_activity(coordinator, PRACTICE, "Bacaan")
    coordinator.get_by_label("Judul materi", exact=True).fill(HIDDEN)
    coordinator.get_by_label("Isi bacaan *", exact=True).fill("Contoh surat undangan rapat koordinasi.")
    _save_new_activity(coordinator, HIDDEN)
    _add_link(coordinator, PRACTICE, DELETED, "https://jdih.menpan.go.id/pedoman-2012")

    # Each item says its type and completion condition.
    expect(_activity(coordinator, READING)).to_contain_text("(Bacaan) · selesai setelah 2 menit")
    expect(_activity(coordinator, VIDEO)).to_contain_text("(Video)")
    expect(_activity(coordinator, VIDEO)).not_to_contain_text("selesai")
    expect(_activity(coordinator, LINK)).to_contain_text("(Tautan) · selesai bila dibuka")

    # The reading goes above the video with its ↑ button.
    expect(_activity_titles(_topic(coordinator, INTRO))).to_have_text([VIDEO, READING])
    expect(_activity(coordinator, VIDEO).get_by_role("button", name=f"Naikkan “{VIDEO}”")).to_have_count(0)  # already first
    _activity(coordinator, READING).get_by_role("button", name=f"Naikkan “{READING}”").click()
    expect(_activity_titles(_topic(coordinator, INTRO))).to_have_text([READING, VIDEO])
    expect(coordinator).to_have_url(re.compile(r"/materi#materi-[0-9A-Fa-f-]{36}$"))

    # The introduction goes above the practice topic, from a browser with JavaScript turned
    # off: the buttons are plain forms.
    no_script = new_context(java_script_enabled=False).new_page()
    gotong.sign_in(no_script, COORDINATOR)
    no_script.goto(editor_url)
    expect(_topic_titles(no_script)).to_have_text([PRACTICE, INTRO])
    expect(_topic(no_script, INTRO).get_by_role("button", name=f"Turunkan “{INTRO}”")).to_have_count(0)  # already last
    _topic(no_script, INTRO).get_by_role("button", name=f"Naikkan “{INTRO}”").click()
    expect(no_script).to_have_url(re.compile(r"/materi#topik-[0-9A-Fa-f-]{36}$"))
    expect(_topic_titles(no_script)).to_have_text([INTRO, PRACTICE])
    no_script.context.close()
    coordinator.reload()  # the coordinator's first browser sees the new order
    expect(_topic_titles(coordinator)).to_have_text([INTRO, PRACTICE])

    # Hide the sample letter: it keeps its place for the authors, with a badge.
    hidden_item = _activity(coordinator, HIDDEN)
    expect(hidden_item.get_by_text("tersembunyi", exact=True)).to_have_count(0)
    hidden_item.get_by_role("button", name=f"Sembunyikan “{HIDDEN}”", exact=True).click()
    expect(_flash(coordinator)).to_have_text(f"“{HIDDEN}” disembunyikan dari peserta.")
    expect(hidden_item.get_by_text("tersembunyi", exact=True)).to_be_visible()
    expect(hidden_item.get_by_role("button", name=f"Tampilkan “{HIDDEN}”", exact=True)).to_be_visible()
    hidden_id = _activity_id(coordinator, HIDDEN)
    reading_id = _activity_id(coordinator, READING)  # to show the learner's URLs are built right

    # Delete the outdated link: cancel once, then confirm.
    _activity(coordinator, DELETED).get_by_role("link", name=f"Hapus “{DELETED}”").click()
    _heading(coordinator, f"Hapus materi “{DELETED}”?")
    expect(coordinator.get_by_role("main")).to_contain_text(
        "Kemajuan peserta pada materi ini ikut terhapus. Tindakan ini tidak dapat dibatalkan.")
    coordinator.get_by_role("link", name="Batal", exact=True).click()
    expect(coordinator).to_have_url(editor_url)
    expect(_activity(coordinator, DELETED)).to_have_count(1)  # cancelling deleted nothing
    _activity(coordinator, DELETED).get_by_role("link", name=f"Hapus “{DELETED}”").click()
    coordinator.get_by_role("button", name="Ya, hapus", exact=True).click()
    expect(_flash(coordinator)).to_have_text(f"“{DELETED}” dihapus.")
    expect(_activity(coordinator, DELETED)).to_have_count(0)

    # The editor as it stands now.
    expect(_topic_titles(coordinator)).to_have_text([INTRO, PRACTICE])
    expect(_activity_titles(_topic(coordinator, INTRO))).to_have_text([READING, VIDEO])
    expect(_activity_titles(_topic(coordinator, PRACTICE))).to_have_text([LINK, HIDDEN])
    _quality(gotong, coordinator, meter, "materials editor")
    gotong.phone_screenshot(coordinator, "authoring-editor")

    # The coordinator's preview shows the learner's order, without the hidden and the deleted.
    coordinator.get_by_role("link", name="Lihat sebagai peserta", exact=True).click()
    _heading(coordinator, "Daftar materi")
    _expect_learner_outline(coordinator)

    # Submit; the institution's administrator publishes.
    coordinator.goto(course_url)
    coordinator.get_by_role("button", name="Ajukan untuk terbit", exact=True).click()
    expect(_flash(coordinator)).to_have_text(f"“{course}” diajukan ke admin instansi.")
    admin = gotong.signed_in_page(ADMIN)
    admin.goto("/notifikasi")
    admin.get_by_role("main").get_by_role("link", name=f"“{course}” diajukan untuk terbit.", exact=True).click()
    expect(admin).to_have_url(course_url)
    admin.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(_flash(admin)).to_have_text(f"“{course}” terbit di etalase dan menunggu kurasi untuk katalog.")
    public_path = admin.get_by_role("link", name="Lihat halaman", exact=True).get_attribute("href")

    # A learner enrols and sees the same: right order, nothing hidden or deleted.
    learner = gotong.signed_in_page(LEARNER)
    dialogs: list[str] = []
    learner.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    learner.goto(public_path)
    _heading(learner, course)
    learner.get_by_role("button", name="Daftar sekarang", exact=True).click()
    expect(_flash(learner)).to_have_text(f"Anda terdaftar di “{course}”. Selamat belajar!")
    learner.get_by_role("link", name="Buka materi pelatihan").click()
    _heading(learner, "Daftar materi")
    _expect_learner_outline(learner)
    outline_url = learner.url

    # The reading: Markdown as formatting, the raw HTML as plain text.
    learner.get_by_role("link", name=READING, exact=True).click()
    _heading(learner, READING)
    expect(learner).to_have_url(f"{outline_url}/{reading_id}")
    # "langkah 1 dari 3": the hidden activity is not counted either.
    expect(learner.get_by_text("Bacaan · langkah 1 dari 3 · selesai setelah 2 menit", exact=True)).to_be_visible()
    article = learner.get_by_role("article")
    expect(article.get_by_role("heading", name="Tujuan", level=2)).to_be_visible()
    expect(article.locator("strong")).to_have_text("jenis naskah dinas")
    expect(article).to_contain_text(SCRIPT_LINE)
    expect(article).to_contain_text(IMG_LINE)
    expect(article.locator("script, img, [onerror]")).to_have_count(0)
    assert learner.evaluate("() => window.diretas") is None, "the reading's script ran"
    assert dialogs == [], f"the reading opened a dialog: {dialogs}"
    # The reading is timed: what is left counts down while it is on screen...
    timer = learner.get_by_role("region", name="Waktu belajar")
    expect(timer).to_contain_text(re.compile(r"Tersisa [12]:[0-5]\d"))
    # ...and on a phone without JavaScript the button records the time since the view (none yet).
    plain = gotong.signed_in_page(LEARNER, java_script_enabled=False)
    plain.goto(learner.url)
    expect(plain.get_by_text("Tersisa sekitar 2 menit", exact=True)).to_be_visible()
    plain.get_by_role("button", name="Saya sudah selesai membaca", exact=True).click()
    expect(_flash(plain)).to_have_text("Waktu Anda sudah tercatat. Langkah ini selesai setelah sekitar 2 menit lagi.")

    # The video: YouTube's player only behind a light placeholder.
    learner.get_by_role("link", name="Berikutnya ›").click()
    _heading(learner, VIDEO)
    expect(learner.get_by_role("link", name=f"Putar “{VIDEO}” dari YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=aqz-KE-bpKQ")
    expect(learner.locator("iframe")).to_have_count(0)

    # The link, last of the three, then nothing further.
    learner.get_by_role("link", name="Berikutnya ›").click()
    _heading(learner, LINK)
    expect(learner.get_by_text("Tautan · langkah 3 dari 3 · selesai bila dibuka", exact=True)).to_be_visible()
    expect(learner.get_by_role("link", name="Buka di jdih.menpan.go.id")).to_have_attribute("href", LINK_URL)
    expect(learner.get_by_role("link", name="Berikutnya ›")).to_have_count(0)

    # Hidden means hidden: the sample letter's own address (built like the reading's, checked
    # above) is not found either.
    response = learner.goto(f"{outline_url}/{hidden_id}")
    assert response is not None and response.status == 404, \
        f"a hidden activity answered {response and response.status} to a learner"
    assert dialogs == [], f"a page opened a dialog: {dialogs}"

    # Leave the course again, so the demo learner's own pages stay as they were.
    learner.goto(public_path)
    panel = learner.get_by_role("region", name="Pendaftaran")
    panel.get_by_text("Mengundurkan diri", exact=True).click()  # asks first
    panel.get_by_role("button", name="Ya, mengundurkan diri", exact=True).click()
    expect(_flash(learner)).to_have_text(f"Anda sudah mengundurkan diri dari “{course}”.")


# --- bad input --------------------------------------------------------------------------------

def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(gotong, page_weight):
    tag = gotong.unique("masukan")
    topic = "Topik uji masukan"

    page = gotong.signed_in_page(COORDINATOR)
    meter = page_weight(page)
    course_url = _create_course(page, f"Uji Masukan Materi {tag}")
    _open_editor(page, course_url)
    _add_topic(page, topic)
    editor_url = page.url

    # A one-letter topic title: the form does not hold it back with the browser's own tooltip
    # (novalidate), the server refuses it with the page's message, in the page's language.
    new_topic = page.get_by_label("Topik baru", exact=True)
    new_topic.fill("A")
    with _post_response(page, "/materi/topik") as posted:
        page.get_by_role("button", name="Tambah topik", exact=True).click()
    assert posted.value.status == 422, f"a one-letter topic answered {posted.value.status}, expected 422"
    # The message is shown and tied to the field, so a screen reader reads it there too.
    expect(page.get_by_role("main").get_by_text("Judul topik 2–200 karakter.", exact=True)).to_be_visible()
    new_topic = page.get_by_label("Topik baru", exact=True)
    expect(new_topic).to_have_attribute("aria-invalid", "true")
    expect(new_topic).to_have_accessible_description("Judul topik 2–200 karakter.")
    expect(_topic_titles(page)).to_have_text([topic])  # nothing added

    # Renaming the topic to one letter: the message stands at that topic's own title field,
    # which keeps what was typed; the new-topic field is left alone.
    page.goto(editor_url)
    rename = page.get_by_label("Judul topik", exact=True)
    rename.evaluate("e => e.removeAttribute('minlength')")
    rename.fill("B")
    with _post_response(page, "/ubah") as posted:
        page.get_by_role("button", name=f"Ganti judul “{topic}”", exact=True).click()
    assert posted.value.status == 422, f"a one-letter rename answered {posted.value.status}, expected 422"
    rename = page.get_by_label("Judul topik", exact=True)
    expect(rename).to_have_value("B")
    expect(rename).to_have_attribute("aria-invalid", "true")
    expect(rename).to_have_accessible_description("Judul topik 2–200 karakter.")
    expect(page.get_by_label("Topik baru", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(_topic_titles(page)).to_have_text([topic])  # not renamed

    # A link whose address would run script: the browser's URL check lets it through, the
    # server does not.
    _start_activity(page, topic, "Tautan")
    page.get_by_label("Judul materi", exact=True).fill("Tautan berbahaya")
    page.get_by_label("Alamat tautan *", exact=True).fill("javascript:alert(1)")
    with _post_response(page, "/materi/baru") as posted:
        page.get_by_role("button", name="Simpan", exact=True).click()
    assert posted.value.status == 422, f"a javascript: link answered {posted.value.status}, expected 422"
    _heading(page, "Materi baru: Tautan")
    expect(page.get_by_role("main")).to_contain_text("Alamat harus lengkap, diawali https://.")
    # What was typed is kept for fixing.
    expect(page.get_by_label("Judul materi", exact=True)).to_have_value("Tautan berbahaya")
    expect(page.get_by_label("Alamat tautan *", exact=True)).to_have_value("javascript:alert(1)")
    _quality(gotong, page, meter, "activity form with an error")

    # A video address that is not on a video platform.
    page.get_by_role("link", name="Batal", exact=True).click()
    expect(page).to_have_url(editor_url)
    _start_activity(page, topic, "Video")
    page.get_by_label("Judul materi", exact=True).fill("Video dari situs lain")
    page.get_by_label("atau tautan video di YouTube, Vimeo, Instagram, TikTok", exact=True).fill(
        "https://contoh.go.id/video/rapat.html")
    with _post_response(page, "/materi/baru") as posted:
        page.get_by_role("button", name="Simpan", exact=True).click()
    assert posted.value.status == 422, f"a non-video address answered {posted.value.status}, expected 422"
    expect(page.get_by_role("main")).to_contain_text("Tautan video harus dari YouTube, Vimeo, Instagram, atau TikTok.")

    # Nothing of it was saved: the topic is still empty.
    page.goto(editor_url)
    expect(_topic_titles(page)).to_have_text([topic])
    expect(_topic(page, topic)).to_contain_text("Belum ada materi di topik ini.")
    expect(_topic(page, topic).get_by_role("listitem")).to_have_count(0)
    _quality(gotong, page, meter, "materials editor")


def test_a_large_video_is_uploaded_through_the_form(gotong, tmp_path):
    """A 20 MB video, larger than an ordinary form may be, goes through the web form (the form
    check reads a signed-in person's upload up to the largest file a type takes) and the
    learner's player gets its bytes."""
    tag = gotong.unique("unggah")
    topic = "Topik unggah video"
    title = "Video sambutan berukuran besar"
    video = tmp_path / "sambutan.mp4"
    with video.open("wb") as out:
        out.write(b"\x00\x00\x00\x18ftypmp42")
        out.write(bytes(range(256)) * (20 * 1024 * 1024 // 256))
    size = video.stat().st_size

    page = gotong.signed_in_page(COORDINATOR)
    course_url = _create_course(page, f"Uji Unggah Video {tag}")
    _open_editor(page, course_url)
    _add_topic(page, topic)
    _start_activity(page, topic, "Video")
    page.get_by_label("Judul materi", exact=True).fill(title)
    page.get_by_label("Berkas video (MP4/WebM)", exact=True).set_input_files(str(video))
    # 20 MB through a form on a loaded 2-core machine (the suites share it) can take longer
    # than Playwright's default 30 s.
    with _post_response(page, "/materi/baru", timeout=120_000) as posted:
        page.get_by_role("button", name="Simpan", exact=True).click(timeout=120_000)
    assert posted.value.status == 303, f"a 20 MB video answered {posted.value.status}, expected 303"
    expect(_flash(page)).to_have_text(f"Materi “{title}” ditambahkan.")

    # The stored file is the whole upload: its last bytes come back from a range request.
    activity = _activity_id(page, title)
    learn_url = page.get_by_role("main").get_by_role("link", name=PREVIEW, exact=True).get_attribute("href")
    tail = page.request.get(f"{learn_url}/{activity}/berkas/file", headers={"Range": f"bytes={size - 256}-"})
    assert tail.status == 206, f"the stored video answered {tail.status} to a range request"
    assert tail.body() == bytes(range(256)), "the stored video does not end as the upload did"
    assert tail.headers.get("content-range") == f"bytes {size - 256}-{size - 1}/{size}"
