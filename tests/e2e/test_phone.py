"""Every page the flows visit, walked on a 360 x 740 phone screen.

Many of our learners have only a phone, and the cheapest ones are 360 CSS pixels wide. A
control that sits past the right edge needs sideways scrolling to reach, and a server error
that is not tied to its field is heard by nobody using a screen reader. So, for each page of
test_quality.PAGES (reached the same way, but with every browser page at 360 x 740 from the
start, so the page's script sees a phone):

    no horizontal scroll     document.documentElement.scrollWidth <= 360 (+1 px rounding)
    every action on screen   every rendered link, button, input, select, textarea, summary and
                             [tabindex] lies within x = 0..360 (with the page scrolled to x = 0),
                             inside a scrolling .table-wrap too: nothing may need sideways
                             scrolling to act. A control off screen until focused (the skip
                             link) is measured while focused.
    errors attached          every aria-invalid="true" field names, with aria-describedby,
                             existing elements with text; every shown .field-error has an id, is
                             named by a field's aria-describedby, and that field is aria-invalid;
                             a form showing errors has `novalidate` when its fields carry the
                             browser's own checks (required, minlength, pattern, type=email, ...),
                             so the page's message is what people get, not a browser tooltip

A full-page screenshot of each page is kept in /tmp/e2e-shots/phone/<name>.png (outside the
repository) for a person to look at; it is taken before the checks, so failures have one too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_quality import PAGES  # pytest puts tests/e2e (no __init__.py) on sys.path

PHONE = {"width": 360, "height": 740}
PHONE_SHOTS = Path("/tmp/e2e-shots/phone")
SLACK = 1  # px of sub-pixel rounding forgiven at either edge

# Shared by the scripts below: is an element rendered, and a short CSS path naming it.
_HELPERS = """
const rendered = (el) => {
  if (el.closest('[hidden]')) return false;
  for (let d = el.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) {
    const summary = d.querySelector(':scope > summary');
    if (!d.open && !(summary && summary.contains(el))) return false;
  }
  if (el.checkVisibility && !el.checkVisibility({checkVisibilityCSS: true})) return false;
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden') return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
const step = (el) => {
  let s = el.tagName.toLowerCase();
  if (el.id) return s + '#' + el.id;
  for (const c of el.classList) s += '.' + c;
  return s;
};
const cssPath = (el) => {
  const parts = [];
  for (let e = el; e && e !== document.body && parts.length < 5; e = e.parentElement) {
    parts.unshift(step(e));
    if (e.id) break;
  }
  return parts.join(' > ');
};
const label = (el) => {
  const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.name
                || el.getAttribute('href') || '').replace(/\\s+/g, ' ').trim();
  return text.length > 50 ? text.slice(0, 47) + '...' : text;
};
"""

_OFF_SCREEN = _HELPERS + """
([width, slack]) => {
  const y = window.scrollY;
  window.scrollTo(0, y);
  const outside = (r) => r.left < -slack || r.right > width + slack;
  const box = (r) => `x ${Math.round(r.left)}..${Math.round(r.right)}, y ${Math.round(r.top + window.scrollY)}`;
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const found = [];
  for (const el of document.querySelectorAll(SELECTOR)) {
    if (!rendered(el)) continue;
    let r = el.getBoundingClientRect();
    if (!outside(r)) continue;
    // Shown on focus (the skip link): measure it the way a keyboard user meets it.
    el.focus({preventScroll: true});
    if (document.activeElement === el) {
      r = el.getBoundingClientRect();
      el.blur();
      if (!outside(r)) continue;
    }
    const wrap = el.closest('.table-wrap') ? ' (inside a scrolling .table-wrap)' : '';
    found.push(`<${el.tagName.toLowerCase()}> "${label(el)}" at ${box(r)}: ${cssPath(el)}${wrap}`);
  }
  const scrollWidth = document.documentElement.scrollWidth;
  // What makes the page wider: the outermost elements past the right edge.
  const wide = [];
  if (scrollWidth > width + slack) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      const parent = el.parentElement.getBoundingClientRect();
      if (r.right > width + slack && parent.right <= width + slack && rendered(el) && wide.length < 8) {
        wide.push(`${cssPath(el)} (x ${Math.round(r.left)}..${Math.round(r.right)})`);
      }
    }
  }
  window.scrollTo(0, y);
  return {scrollWidth, found, wide};
}
"""

_ERRORS = _HELPERS + """
() => {
  const problems = [];
  const ids = (el) => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  const fields = Array.from(document.querySelectorAll('input, select, textarea'));
  for (const field of document.querySelectorAll('[aria-invalid="true"]')) {
    const named = ids(field);
    const missing = named.filter((id) => !document.getElementById(id));
    const said = named.map((id) => document.getElementById(id)).filter((e) => e && e.textContent.trim());
    if (!named.length) problems.push(`${cssPath(field)} is aria-invalid but has no aria-describedby`);
    if (missing.length) problems.push(`${cssPath(field)}: aria-describedby names missing id(s) ${missing}`);
    if (named.length && !said.length) problems.push(`${cssPath(field)}: aria-describedby names no text`);
  }
  for (const error of document.querySelectorAll('.field-error')) {
    if (!rendered(error)) continue;
    const text = `"${label(error)}" (${cssPath(error)})`;
    if (!error.id) { problems.push(`field error ${text} has no id, so no field can name it`); continue; }
    const owners = fields.filter((f) => ids(f).includes(error.id));
    if (!owners.length) problems.push(`field error ${text} is named by no field's aria-describedby`);
    for (const f of owners) {
      if (f.getAttribute('aria-invalid') !== 'true') {
        problems.push(`${cssPath(f)} names field error ${text} but is not aria-invalid="true"`);
      }
    }
  }
  const NATIVE = '[required], [minlength], [pattern], [min], [max], input[type=email], input[type=url], '
               + 'input[type=number]';
  for (const form of document.querySelectorAll('form')) {
    if (form.noValidate || !form.querySelector('[aria-invalid="true"], .field-error')) continue;
    const checked = Array.from(form.querySelectorAll(NATIVE)).map(cssPath);
    if (checked.length) {
      problems.push(`form ${cssPath(form)} shows errors without novalidate; browser checks on: ${checked}`);
    }
  }
  return problems;
}
"""


# Pages whose way there (in test_quality) looks for something only a wide screen shows. They are
# walked at the default size, then shown again at 360 px (each is a plain GET, so reloading is safe).
#   members: finds the cell named "admin@bps.gotong.test"; on a phone the stacked table's cell is
#            named with its column too ("Email admin@bps.gotong.test"), from td[data-label]::before
WIDE_WALK = {"members"}


def phone_page(gotong, name: str):
    """Walks to page `name` with every browser page 360 x 740 from its first navigation."""
    if name not in WIDE_WALK:
        gotong.page_hooks.append(lambda p: p.set_viewport_size(PHONE))
    page = PAGES[name](gotong)
    page.set_viewport_size(PHONE)
    if name in WIDE_WALK:
        page.reload()
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page


def screenshot(page, name: str) -> None:
    PHONE_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SHOTS / f"{name}.png"), full_page=True)


def off_screen(page) -> list[str]:
    """Problems with the page's width: page-level scrolling and controls past an edge."""
    result = page.evaluate(_OFF_SCREEN, [PHONE["width"], SLACK])
    problems = []
    if result["scrollWidth"] > PHONE["width"] + SLACK:
        problems.append(f"the page scrolls sideways: scrollWidth {result['scrollWidth']} > {PHONE['width']}")
        problems += [f"  wider than the screen: {w}" for w in result["wide"]]
    problems += [f"off screen: {f}" for f in result["found"]]
    return problems


@pytest.mark.parametrize("name", list(PAGES))
def test_fits_a_phone(gotong, name):
    page = phone_page(gotong, name)
    screenshot(page, name)
    problems = off_screen(page)
    assert not problems, f"{name} ({page.url}) at 360 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", list(PAGES))
def test_errors_are_attached(gotong, name):
    page = phone_page(gotong, name)
    problems = page.evaluate(_ERRORS)
    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)

