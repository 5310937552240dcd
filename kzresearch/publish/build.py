"""Build everything readers see: the tidy data, then every notebook executed and rendered.

    python -m kzresearch.publish.build            # all notebooks
    python -m kzresearch.publish.build NAME ...   # only these notebooks (file stems)

Each notebook in ``notebooks/`` is executed with its default parameters; the executed notebook is
written back to ``notebooks/`` (its outputs are committed, once, and checked by nbval) and its HTML
rendering to ``reports/``; then ``reports/index.html`` lists them all and
``REPLICATION.md`` (with its page ``reports/replication.html``) lists their tables and figures. One
line is printed per notebook as it finishes, with its time, then the total.
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


def build_report(notebook: Path, reports_dir: Path = REPORTS_DIR) -> list[Path]:
    """Execute ``notebook`` with its defaults; write it back (the executed notebook is committed once,
    in notebooks/) and its HTML rendering to ``reports_dir``. The parameters cell is first written from
    the notebook's declaration."""
    notebooks.declare_parameters(notebook)
    nb = notebooks.execute(notebook)
    notebooks.write(nb, notebook)
    html = reports_dir / f"{notebook.stem}.html"
    html.write_text(notebooks.render_html(nb, notebook.stem), encoding="utf-8")
    return [notebook, html]


def _timed_build_report(notebook: Path) -> tuple[list[Path], float]:
    start = time.perf_counter()
    written = build_report(notebook)
    return written, time.perf_counter() - start


def build_index(reports_dir: Path = REPORTS_DIR) -> Path:
    """Write ``reports/index.html`` from the executed notebooks."""
    index = reports_dir / "index.html"
    index.write_text(site.index_html(), encoding="utf-8")
    return index


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
    print(
        f"built {relative(build_index())}, {', '.join(relative(p) for p in replication.write())}; "
        f"{len(selected)} notebook(s) in {time.perf_counter() - started:.1f} s "
        f"(total with the data {time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
