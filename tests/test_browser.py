"""The whole report site in a real browser (headless Debian Chromium) with no network, at 1280 px and
at phone width (400 px): every page opens with no request outside the site and no console error,
every link inside the site resolves, no page scrolls sideways, every figure and table has a caption,
every CSV link exists. Screenshots go to test-artifacts/screenshots/."""

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kzresearch.paths import PROJECT_ROOT, REPORTS_DIR

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = sorted(
    p for p in REPORTS_DIR.rglob("*.html") if "runs" not in p.relative_to(REPORTS_DIR).parts and p.parent == REPORTS_DIR
)
WIDTHS = (1280, 400)

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed here (.ci/run installs it)"
)

# What the page shows, measured in the page: links, sideways scrolling, figures and tables without captions.
MEASURE = """(report) => {
  const headed = (el) => { const s = el.closest('section'); return !!(s && s.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4')); };
  return {
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    scrollWidth: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
    height: document.documentElement.scrollHeight,
    uncaptionedFigures: [...document.querySelectorAll('figure.kz-figure, article img, article svg[role=img]:not([aria-hidden=true])')].filter(el => {
      if (el.tagName === 'IMG') return !el.closest('figure') && !el.alt && !el.closest('.navbar-brand, .bd-header');
      if (el.tagName.toLowerCase() === 'svg') return !el.getAttribute('aria-label');
      const caption = el.querySelector('figcaption'); return !caption || !caption.textContent.trim();
    }).length,
    uncaptionedTables: [...document.querySelectorAll('article table')].filter(t =>
      !(t.closest('figure.kz-table') && t.closest('figure.kz-table').querySelector('figcaption').textContent.trim())
      && !t.querySelector('caption') && (report || !headed(t))).length,
    brokenImages: [...document.querySelectorAll('img')].filter(i => !(i.complete && i.naturalWidth > 0)).length,
  };
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _inside_site(page: Path, href: str) -> Path | None:
    """The file a relative link of ``page`` points at (None for an external link or an in-page anchor)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (page.parent / unquote(parts.path)).resolve()


def test_the_site_has_every_page():
    names = {p.name for p in PAGES}
    assert {"index.html", "glossary.html", "data.html", "reproduce.html", "search.html"} <= names
    assert {f"{p.stem}.html" for p in (PROJECT_ROOT / "notebooks").glob("*.ipynb")} <= names


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: p.name)
def test_page_reads_offline(browser, page_path, width):
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    outside, failed, errors = [], [], []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_timeout(100)
    measured = page.evaluate(MEASURE, (PROJECT_ROOT / "notebooks" / f"{page_path.stem}.ipynb").exists())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page_path.stem}-{width}.png"), full_page=True)
    context.close()
    assert not outside, f"requests outside the site: {outside}"
    assert not failed, f"failed requests: {failed}"
    assert not errors, f"console errors: {errors}"
    assert measured["scrollWidth"] <= measured["width"], f"the page scrolls sideways: {measured['scrollWidth']} px"
    assert measured["brokenImages"] == 0
    assert measured["uncaptionedFigures"] == 0, "a figure without a caption or accessible name"
    # a report's tables are numbered and captioned; the generated pages' tables have their own section
    assert measured["uncaptionedTables"] == 0, "a table without a caption (or, outside the reports, a section heading)"
    broken = sorted({h for h in measured["links"] if (t := _inside_site(page_path, h)) and not t.exists()})
    assert broken == [], f"links to files that do not exist: {broken}"


def test_every_table_has_its_csv():
    for page in PAGES:
        html = page.read_text(encoding="utf-8")
        for name in re.findall(r'href="tables/([a-z0-9_]+\.csv)"', html):
            assert (REPORTS_DIR / "tables" / name).exists(), f"{page.name}: tables/{name}"


def test_search_works_offline(browser):
    context = browser.new_context(offline=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto((REPORTS_DIR / "search.html").as_uri() + "?q=threshold", wait_until="load")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0", timeout=10_000)
    found = page.evaluate("[...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href'))")
    context.close()
    assert not errors and any(href.startswith("threshold_sensitivity.html") for href in found), found
