"""Measure the report site as a reader meets it (a benchmark, not a test).

    .venv/bin/python benchmarks/site.py

Builds the site from the committed executed notebooks into a scratch folder (the site step of the
build, timed), then opens every page in headless Chromium at 1280 and 400 px and prints its height
(the length a reader scrolls), and the site's size in files and megabytes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from kzresearch.publish import site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        start = time.perf_counter()
        written = site.build(site.committed_reports(), out)
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in written)
        print(f"site step: {seconds:.1f} s; {len(written)} files, {size / 1e6:.1f} MB")
        pages = sorted(p for p in out.glob("*.html") if p.name not in ("search.html",))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            print(f"{'page':<28} {'1280 px':>9} {'400 px':>9}")
            for page_path in pages:
                heights = []
                for width in (1280, 400):
                    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
                    page = context.new_page()
                    page.goto(page_path.as_uri(), wait_until="load")
                    heights.append(page.evaluate("document.documentElement.scrollHeight"))
                    context.close()
                print(f"{page_path.name:<28} {heights[0]:>9,} {heights[1]:>9,}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
