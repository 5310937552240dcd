"""Every HTML report opens in a real browser (headless Debian Chromium) with no network: no failed
request, no console error, every figure loaded. Screenshots go to test-artifacts/screenshots/."""

import shutil
from pathlib import Path

import nbformat
import pytest

from kzresearch.paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR

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

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed here (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _figures(page: Path) -> int:
    notebook = NOTEBOOKS_DIR / f"{page.stem}.ipynb"
    if not notebook.exists():
        return 0
    cells = nbformat.read(notebook, as_version=4).cells
    return sum("image/png" in o.get("data", {}) for c in cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("page_path", sorted(REPORTS_DIR.glob("*.html")), ids=lambda p: p.name)
def test_report_opens_offline_with_every_figure(browser, page_path):
    context = browser.new_context(offline=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    failed, errors = [], []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri(), wait_until="load")
    images = page.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page_path.stem}.png"), full_page=True)
    context.close()
    assert not failed, f"failed requests: {failed}"
    assert not errors, f"console errors: {errors}"
    assert len(images) == _figures(page_path), "every figure of the notebook is in the page"
    assert all(images), "every figure has loaded"
