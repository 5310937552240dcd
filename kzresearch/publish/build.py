"""Build everything readers see: the tidy data, then every notebook executed and rendered.

    python -m kzresearch.publish.build            # all notebooks
    python -m kzresearch.publish.build NAME ...   # only these notebooks (file stems)

Each notebook in ``notebooks/`` is executed with its default parameters; the executed notebook is
written back to ``notebooks/`` (its outputs are committed, once, and checked by nbval); then
``REPLICATION.md`` lists their tables and figures and the report site ``reports/`` is built from
all the executed notebooks (:mod:`kzresearch.publish.site`). One line is printed per notebook as it
finishes, with its time, then the site's step and the total.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from kzresearch import data
from kzresearch.paths import REPORTS_DIR, relative
from kzresearch.publish import notebooks, replication, site


def build_report(notebook: Path) -> list[Path]:
    """Execute ``notebook`` with its defaults and write it back (the executed notebook is committed once,
    in notebooks/). The parameters cell is first written from the notebook's declaration."""
    notebooks.declare_parameters(notebook)
    notebooks.write(notebooks.execute(notebook), notebook)
    return [notebook]


def _timed_build_report(notebook: Path) -> tuple[list[Path], float]:
    start = time.perf_counter()
    written = build_report(notebook)
    return written, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    names = set(sys.argv[1:] if argv is None else argv)
    unknown = names - {p.stem for p in notebooks.notebook_paths()}
    if unknown:
        print(f"unknown notebook(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    data.build()
    print(f"tidy data rebuilt in {time.perf_counter() - start:.1f} s", flush=True)
    selected = [p for p in notebooks.notebook_paths() if not names or p.stem in names]
    workers = max(1, min(len(selected), os.cpu_count() or 1))
    print(f"executing {len(selected)} notebook(s), {workers} at a time ...", flush=True)
    started = time.perf_counter()
    # notebooks are independent: execute them in parallel, one kernel per core
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_timed_build_report, notebook) for notebook in selected]
        for future in as_completed(futures):
            written, seconds = future.result()
            print(f"built {', '.join(relative(p) for p in written)} in {seconds:.1f} s", flush=True)
    executed = time.perf_counter() - started
    written = replication.write()
    site_start = time.perf_counter()
    pages = site.build(site.committed_reports())
    size = sum(p.stat().st_size for p in pages)
    print(
        f"built {', '.join(relative(p) for p in written)} and the site {relative(REPORTS_DIR)}/ "
        f"({len(pages)} files, {size / 1e6:.1f} MB) in {time.perf_counter() - site_start:.1f} s; "
        f"{len(selected)} notebook(s) in {executed:.1f} s (total with the data {time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
