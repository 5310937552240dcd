"""The landing page ``reports/index.html``, generated from the executed notebooks, never typed by hand.

For each report it shows the title, the first paragraph of the notebook's introduction and the
key figures: the Markdown outputs of the cells tagged ``summary``, exactly as computed. Then the
data sources with their licences (``data/raw/sources.csv``) and how to cite (``CITATION.cff``).
The page is self-contained: inline CSS, no scripts, no fonts or images from the network.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import yaml
from nbconvert.filters.markdown import markdown2html

from kzresearch.data.tables import source_records
from kzresearch.paths import PROJECT_ROOT
from kzresearch.publish.notebooks import notebook_paths, title

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 52rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2328; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
.report { margin: 1.2rem 0 1.8rem; } .report h3 { margin-bottom: .3rem; }
.key { background: #f6f8fa; border-left: 4px solid #0969da; padding: .4rem .9rem; }
code { background: #f6f8fa; padding: 0 .2rem; } .small { font-size: .9rem; color: #59636e; }
a, code { overflow-wrap: anywhere; }
"""


def _intro(nb: nbformat.NotebookNode) -> str:
    """The first paragraph after the title of the notebook's first Markdown cell."""
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", first.source) if p.strip() and not p.startswith("#")]
    return paragraphs[0] if paragraphs else ""


def _key_figures(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "summary" in cell.metadata.get("tags", []):
            out += [o.data["text/markdown"] for o in cell.outputs if "text/markdown" in o.get("data", {})]
    return out


def _sources() -> str:
    items = []
    for s in source_records():
        link = f' (<a href="{html.escape(s["url"])}">original</a>)' if s["url"] else ""
        items.append(
            f"<li><strong>{html.escape(s['title'])}</strong>, {html.escape(s['publisher'])}{link}. "
            f"Licence: {html.escape(s['licence'])}.</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def citation(path: Path = PROJECT_ROOT / "CITATION.cff") -> str:
    """A plain-text citation built from ``CITATION.cff``."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    authors = ", ".join(
        a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}" for a in cff["authors"]
    )
    return f"{authors} ({str(cff['date-released'])[:4]}). {cff['title']} (version {cff['version']})."


def render(reports: list[tuple[str, nbformat.NotebookNode]]) -> str:
    """The landing page for ``reports``: (file stem, executed notebook) pairs, in display order."""
    parts = []
    for stem, nb in reports:
        keys = "".join(f'<div class="key">{markdown2html(k)}</div>' for k in _key_figures(nb))
        parts.append(
            f'<div class="report"><h3><a href="{stem}.html">{html.escape(title(nb, stem))}</a></h3>'
            f"{markdown2html(_intro(nb))}{keys}"
            f'<p class="small">Executed notebook: <a href="../notebooks/{stem}.ipynb">notebooks/{stem}.ipynb</a></p></div>'
        )
    return _page(
        "kzresearch: reports on the 2021 Mazhilis election",
        "<h1>kzresearch: reports on Kazakhstan's 2021 Mazhilis election</h1>\n"
        "<p>Reproducible reports on the election of 10 January 2021 to the Mazhilis, the lower house of "
        "Kazakhstan's parliament. Every number below is computed by the notebooks from the source data; "
        "each report ends with its provenance (software versions, data checksums, parameters).</p>\n"
        "<h2>Reports</h2>\n" + "\n".join(parts) + "\n"
        "<h2>Data sources and licences</h2>\n" + _sources() + "\n"
        "<p>The figures from the Wikipedia article and the tables derived from them are shared under "
        "CC BY-SA 4.0; the code is under the MIT licence. The codebook is <code>data/README.md</code>.</p>\n"
        "<h2>How to reproduce</h2>\n"
        "<p>Two commands rebuild the data and every report from the raw sources, and "
        "<code>kzresearch verify</code> checks that the rebuild is byte-identical to what you read here; "
        'the replication README <a href="replication.html">REPLICATION.md</a> gives the data\'s provenance '
        "and licences, the computational requirements, and every table and figure with the notebook cell "
        "that produces it.</p>\n"
        "<h2>How to cite</h2>\n"
        f"<p>{html.escape(citation())} See <code>CITATION.cff</code>; please also cite the sources above.</p>\n",
    )


def index_html() -> str:
    """The landing page for the executed notebooks in notebooks/, in name order."""
    return render([(p.stem, nbformat.read(p, as_version=4)) for p in notebook_paths()])


def replication_html(markdown: str) -> str:
    """``REPLICATION.md`` (its text ``markdown``) as a self-contained page of the report site."""
    return _page(
        "kzresearch: replication README",
        '<p class="small"><a href="index.html">kzresearch reports</a> / replication README</p>\n'
        f"{markdown2html(markdown)}\n",
        style="table { border-collapse: collapse; display: block; overflow-x: auto; font-size: .9rem; }"
        "td, th { border: 1px solid #d0d7de; padding: .2rem .4rem; vertical-align: top; }",
    )


def _page(title: str, body: str, *, style: str = "") -> str:
    """A self-contained page of the site: inline CSS (:data:`STYLE` and ``style``), no scripts."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{STYLE}{style}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
