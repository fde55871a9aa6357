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
