"""Shared fixtures for Gotong's browser tests (pytest + pytest-playwright).

The tests drive Debian's Chromium (``/usr/bin/chromium``) because ``playwright install``
cannot download browsers on our machines. scripts/test starts a server and sets:

    GOTONG_URL             base URL of the running server, e.g. http://127.0.0.1:18080
    GOTONG_DEMO_PASSWORD   password of every seeded demo account

Fixtures here:
    browser_type_launch_args   use /usr/bin/chromium, --no-sandbox (we run as root)
    base_url                   GOTONG_URL; page.goto("/path") resolves against it
    demo_password              GOTONG_DEMO_PASSWORD
    page_weight                measure bytes transferred per page navigation

Example::

    def test_home_is_light(page, page_weight):
        meter = page_weight(page)
        load = meter.goto("/")
        assert load.total <= meter.budget, load.describe()
        page.get_by_role("link", name="Masuk").click()
        meter.assert_within()        # every navigation so far, default 50 KiB each
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"

# Budget for one page navigation: the same-origin HTML, CSS and JavaScript it transfers.
PAGE_WEIGHT_BUDGET = 50 * 1024

# Playwright resource types that count towards the page weight. Images (and fonts, media,
# XHR/fetch) are deliberately left out: the budget is about the page's own code and markup.
_COUNTED_TYPES = frozenset({"document", "stylesheet", "script"})


def _require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        # A clear stop beats every test failing on a connection error or an empty password.
        raise pytest.UsageError(
            f"{name} is not set: run the browser tests through scripts/test, "
            f"or export {name} yourself (see tests/e2e/conftest.py)"
        )
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Extend pytest-playwright's own options (--headed, --slowmo, ...) rather than replace them.
    args = list(browser_type_launch_args.get("args", []))
    if "--no-sandbox" not in args:
        args.append("--no-sandbox")  # Chromium's sandbox cannot start as root
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args}


@pytest.fixture(scope="session")
def base_url() -> str:
    # Overrides pytest-playwright's base_url (from --base-url); browser contexts are created
    # with it, so tests can write page.goto("/masuk").
    return _require_env("GOTONG_URL").rstrip("/")


@pytest.fixture(scope="session")
def demo_password() -> str:
    return _require_env("GOTONG_DEMO_PASSWORD")


@dataclass
class Resource:
    url: str
    resource_type: str
    status: int
    body_bytes: int  # bytes of the body as sent on the wire (compressed if it was)


@dataclass
class PageLoad:
    """Everything counted for one main-frame navigation."""

    url: str
    resources: list[Resource] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.body_bytes for r in self.resources)

    def describe(self) -> str:
        lines = [f"{self.url}: {self.total} bytes transferred (budget {PAGE_WEIGHT_BUDGET})"]
        for r in sorted(self.resources, key=lambda r: -r.body_bytes):
            lines.append(f"  {r.body_bytes:>8}  {r.resource_type:<10} {r.status} {r.url}")
        return "\n".join(lines)


class PageWeightMeter:
    """Records, per main-frame navigation, the same-origin documents, stylesheets and scripts
    a page transfers.

    A new PageLoad starts whenever the main frame requests a new document (goto, a link
    click, a form post, a redirect target). Each request is attributed to the navigation
    that was current when it started. Sizes are read lazily, once the requests finished,
    because calling back into Playwright from inside its event handlers is fragile.
    """

    budget = PAGE_WEIGHT_BUDGET

    def __init__(self, page, origin: str):
        self.page = page
        self.origin = origin
        self._loads: list[tuple[str, list]] = []  # (navigation url, [Request])
        self._finished: set = set()
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_finished)

    # -- event handlers: record only, no Playwright calls ------------------------------
    def _on_request(self, request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._loads.append((request.url, []))
        if not self._loads:
            return  # requests before the first navigation (none in practice)
        if request.resource_type in _COUNTED_TYPES and _origin(request.url) == self.origin:
            self._loads[-1][1].append(request)

    def _on_finished(self, request) -> None:
        self._finished.add(request)

    # -- API for tests ---------------------------------------------------------------
    def settle(self) -> None:
        """Wait until the page has loaded and the network is quiet."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_load_state("networkidle")

    def goto(self, url: str) -> PageLoad:
        """Navigate (relative URLs resolve against GOTONG_URL) and return that page's load."""
        self.page.goto(urljoin(self.origin + "/", url))
        self.settle()
        return self.loads[-1]

    @property
    def loads(self) -> list[PageLoad]:
        """One PageLoad per navigation so far, oldest first. Requests that failed or were
        still in flight are left out (a failed request transferred nothing useful)."""
        result = []
        for nav_url, requests in self._loads:
            load = PageLoad(nav_url)
            for req in requests:
                if req not in self._finished:
                    continue
                response = req.response()
                if response is None:
                    continue
                sizes = req.sizes()
                load.resources.append(
                    Resource(req.url, req.resource_type, response.status,
                             sizes["responseBodySize"])
                )
            result.append(load)
        return result

    @property
    def last(self) -> PageLoad:
        self.settle()
        if not self._loads:
            raise AssertionError("page_weight: no navigation recorded yet")
        return self.loads[-1]

    def assert_within(self, limit: int | None = None) -> None:
        """Assert every navigation recorded so far transferred at most `limit` bytes."""
        limit = self.budget if limit is None else limit
        self.settle()
        loads = self.loads
        assert loads, "page_weight: no navigation recorded yet"
        heavy = [load for load in loads if load.total > limit]
        assert not heavy, "page weight over budget:\n" + "\n".join(l.describe() for l in heavy)


@pytest.fixture
def page_weight(base_url):
    """Returns a function: page_weight(page) -> PageWeightMeter attached to that page.

    Attach it before navigating. Use a fresh context (pytest-playwright's `page` fixture
    gives one per test): bytes served from the browser cache count as 0.
    """

    def attach(page) -> PageWeightMeter:
        return PageWeightMeter(page, _origin(base_url))

    return attach


# ---------------------------------------------------------------------------------------------
# Helpers shared by the flow tests (test_*.py). Everything below only adds to the fixtures above.
#
#   browser_context_args   + locale id-ID: browsers send Accept-Language, and Gotong answers
#                          in the caller's language; our users' browsers say Indonesian
#   gotong                 a Gotong helper (sign in/out, unique names, NIPs, CSV files,
#                          creating tenants, finding members, axe, phone screenshots)
# ---------------------------------------------------------------------------------------------

import csv
import random
import re
import secrets
from itertools import count
from pathlib import Path

from playwright.sync_api import expect

SHOTS_DIR = Path("/tmp/e2e-shots")
PHONE = {"width": 390, "height": 844}

# A random tag per test run: slugs and emails made with it never collide with an earlier run
# against the same database.
RUN_ID = secrets.token_hex(3)
_UNIQUE = count(1)  # shared by every test of the run
_NIPS: set[str] = set()  # NIPs handed out in this run

# The sign-in form's labels in each interface language (by accessible name).
SIGN_IN_LABELS = {
    "id": {"email": "Email", "password": "Kata sandi", "submit": "Masuk", "signout": "Keluar"},
    "en": {"email": "Email", "password": "Password", "submit": "Sign in", "signout": "Sign out"},
}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID"}


def format_axe_violations(violations: list[dict]) -> str:
    """axe-core violations, one block per rule, with the offending elements."""
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            lines.append(f"       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


class Gotong:
    """Helpers for driving Gotong in a browser. One per test (fixture `gotong`)."""

    def __init__(self, base_url: str, password: str, new_context, tmp_path: Path):
        self.base_url = base_url
        self.password = password
        self._new_context = new_context
        self.tmp_path = tmp_path
        self._rng = random.Random(secrets.randbits(64))
        # Called with every page made by new_page(), e.g. to attach a page-weight meter.
        self.page_hooks: list = []

    # -- pages and names ----------------------------------------------------------------
    def new_page(self, **context_args):
        """A page in a fresh browser context (its own cookies: another person or anonymous);
        `context_args` go to the context (`java_script_enabled=False` for a phone without it)."""
        page = self._new_context(**context_args).new_page()
        for hook in self.page_hooks:
            hook(page)
        return page

    def unique(self, prefix: str) -> str:
        """`prefix-<run>-<n>`: lower-case, valid as a tenant slug and in an email local part."""
        return f"{prefix}-{RUN_ID}-{next(_UNIQUE)}"

    def unique_email(self, prefix: str = "uji") -> str:
        return f"{self.unique(prefix)}@contoh.go.id"

    def nip(self) -> str:
        """A valid NIP nobody else has: birth date, CPNS start (after birth), gender, sequence.
        Random birth dates and sequences keep it clear of the demo accounts (born 1990-01-15)."""
        while True:
            year = self._rng.randint(1965, 1989)
            birth = f"{year}{self._rng.randint(1, 12):02d}{self._rng.randint(1, 28):02d}"
            start = f"{year + self._rng.randint(22, 30)}{self._rng.randint(1, 12):02d}"
            value = f"{birth}{start}{self._rng.choice('12')}{self._rng.randint(1, 999):03d}"
            if value not in _NIPS:
                _NIPS.add(value)
                return value

    def csv_file(self, name: str, rows: list[list[str]]) -> Path:
        """Writes rows (the first is the header) as a UTF-8 CSV file in the test's tmp dir."""
        path = self.tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
        return path

    # -- signing in and out ---------------------------------------------------------------
    def sign_in(self, page, email: str, password: str | None = None, lang: str = "id") -> None:
        """Signs in through the /masuk form and checks the header then shows the person signed in.
        `lang` is the language the form is shown in; afterwards the page is in the person's own."""
        labels = SIGN_IN_LABELS[lang]
        page.goto("/masuk")
        page.get_by_label(labels["email"], exact=True).fill(email)
        page.get_by_label(labels["password"], exact=True).fill(password or self.password)
        page.get_by_role("button", name=labels["submit"], exact=True).click()
        signout = "|".join(v["signout"] for v in SIGN_IN_LABELS.values())
        expect(page.get_by_role("button", name=re.compile(f"^({signout})$"))).to_be_visible()
        assert urlsplit(page.url).path != "/masuk", f"still on the sign-in page after signing in as {email}"

    def signed_in_page(self, email: str, **context_args):
        page = self.new_page(**context_args)
        self.sign_in(page, email)
        return page

    def sign_out(self, page) -> None:
        page.get_by_role("button", name="Keluar", exact=True).click()
        expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()

    # -- platform administration ----------------------------------------------------------
    def create_tenant(self, page, name: str, slug: str, kind: str = "Lembaga") -> None:
        """Creates a tenant through /admin/instansi (page signed in as platform admin) and
        waits for its storefront."""
        page.goto("/admin/instansi")
        form = page.get_by_role("region", name="Buat instansi baru")
        form.get_by_label("Nama instansi").fill(name)
        form.get_by_label("Alamat singkat").fill(slug)
        form.get_by_label("Jenis instansi").select_option(label=kind)
        form.get_by_role("button", name="Buat instansi").click()
        # The next steps for the new institution.
        expect(page).to_have_url(f"{self.base_url}/admin/instansi/{slug}")

    def tenant_row(self, page, slug: str):
        """The /admin/instansi table row of a tenant (searching for it, so long lists don't matter)."""
        page.goto(f"/admin/instansi?q={slug}")
        row = page.get_by_role("row").filter(has_text=f"/t/{slug}")
        expect(row).to_have_count(1)
        return row

    # -- tenant administration ------------------------------------------------------------
    def member_count(self, page, slug: str) -> int:
        page.goto(f"/t/{slug}/kelola/anggota")
        expect(page.get_by_role("heading", name="Anggota", level=1)).to_be_visible()
        text = page.get_by_text(re.compile(r"^\d+ orang$")).inner_text()
        return int(text.split()[0])

    def find_member_row(self, page, slug: str, email: str):
        """The members-table row with `email`, paging through the list; None when absent."""
        page.goto(f"/t/{slug}/kelola/anggota")
        while True:
            expect(page.get_by_role("heading", name="Anggota", level=1)).to_be_visible()
            row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=email, exact=True))
            if row.count():
                return row
            following = page.get_by_role("link", name="Berikutnya")
            if not following.count():
                return None
            following.click()

    # -- quality checks ---------------------------------------------------------------------
    @staticmethod
    def serious_axe_violations(page) -> list[dict]:
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page)
        return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]

    describe_axe = staticmethod(format_axe_violations)

    @staticmethod
    def phone_screenshot(page, name: str) -> Path:
        """Full-page PNG of the current page at a phone viewport (for people to look at)."""
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        path = SHOTS_DIR / f"{name}.png"
        before = page.viewport_size
        page.set_viewport_size(PHONE)
        try:
            page.screenshot(path=str(path), full_page=True)
        finally:
            if before:
                page.set_viewport_size(before)
        return path


@pytest.fixture
def gotong(base_url, demo_password, new_context, tmp_path) -> Gotong:
    return Gotong(base_url, demo_password, new_context, tmp_path)
