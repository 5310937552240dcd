"""The report site ``reports/``: built by Sphinx, myst-nb and sphinx-book-theme from the executed notebooks.

Pages: the landing page (each report's lead and its key findings, glued from the report itself), one
page per notebook, a glossary (parties, regions, terms), the data (the codebook with every tidy
table and ``datapackage.json`` to download) and how to reproduce and cite (``REPLICATION.md``).
Every table's CSV (:mod:`kzresearch.publish.tables`) is written to ``tables/``.

The site opens from disk (``reports/index.html``) or any static host with no network: no math
(MathJax would come from a CDN), no search-summary fetch, no source maps or translations. Two
builds are byte-identical: the sources are written in a fixed order into a scratch folder, and
Sphinx's build-specific files (``.buildinfo``, ``objects.inv``) are left out. Notebooks are not
executed here (``nb_execution_mode = "off"``): papermill has executed them.

    python -m kzresearch.publish.site      # rebuild reports/ from the executed notebooks
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat
import pandas as pd
import yaml

from kzresearch import data
from kzresearch.data.tables import source_records
from kzresearch.paths import DATA_DIR, PROJECT_ROOT, REPORTS_DIR, TIDY_DIR
from kzresearch.publish.notebooks import TEMPLATES, notebook_paths, title
from kzresearch.publish.tables import TABLE_KEY

SITE_TEMPLATES = TEMPLATES / "site"
TITLE = "Kazakhstan's 2021 Mazhilis election"
#: Folders of reports/ the site build leaves alone: runs of ``kzresearch run``.
KEPT = ("runs",)
#: What Sphinx writes that the site does not need (build-specific or network-only files).
_DROPPED = (".buildinfo", "objects.inv", "genindex.html", "_static/locales", ".doctrees")
_GLUE = re.compile(r"\{glue(:\w+)?\}`([^`]+)`")
_FINDINGS = "key-findings"

CONF = {
    "project": "kzresearch",
    "author": "kzresearch contributors",
    "copyright": "kzresearch contributors; data from the sources named on each page",
    "extensions": ["myst_nb"],
    "html_theme": "sphinx_book_theme",
    "html_title": TITLE,
    "html_static_path": ["_static"],
    "html_css_files": ["kz.css"],
    "html_extra_path": ["extra"],
    "html_show_search_summary": False,
    "html_show_sphinx": False,
    "html_copy_source": True,
    "html_sourcelink_suffix": "",
    "html_last_updated_fmt": None,
    "html_theme_options": {
        "show_toc_level": 2,
        "use_download_button": True,
        "use_fullscreen_button": False,
        "use_repository_button": False,
        "use_source_button": False,
        "show_prev_next": True,
        "navigation_with_keys": False,
    },
    "nb_execution_mode": "off",
    "nb_render_markdown_format": "gfm",
    "nb_remove_code_source": True,
    "nb_remove_code_outputs": False,
    "nb_merge_streams": True,
    "myst_enable_extensions": ["colon_fence", "deflist"],
    "myst_heading_anchors": 3,
    "exclude_patterns": ["extra/**", "REPLICATION.md", "codebook.md"],
    "html_context": {"default_mode": "light"},
    "suppress_warnings": ["myst.header"],
    "language": "en",
}


# -- pages -----------------------------------------------------------------------------------------


def key_findings(nb: nbformat.NotebookNode) -> str:
    """The source of ``nb``'s Markdown cell tagged ``key-findings`` ('' if it has none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _FINDINGS in cell.metadata.get("tags", []):
            return cell.source
    return ""


def _lead(nb: nbformat.NotebookNode) -> str:
    """The first paragraph of the notebook's first Markdown cell that is not its title."""
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", first.source) if p.strip()]
    plain = [p for p in paragraphs if not p.startswith(("#", "```", ":::", "{"))]
    return plain[0] if plain else ""


def _from(stem: str, text: str) -> str:
    """``text`` with each glue role pasting from the notebook ``stem`` (``{glue:text}`stem.ipynb::key:fmt```;
    a ``glue:text`` role without a format gets ``:s``, since the role splits the format off at the last colon)."""

    def repoint(match: re.Match) -> str:
        role, content = match.group(1) or "", match.group(2)
        if role == ":text" and ":" not in content:
            content += ":s"
        return f"{{glue{role}}}`{stem}.ipynb::{content}`"

    return _GLUE.sub(repoint, text)


def landing_page(reports: Sequence[tuple[str, nbformat.NotebookNode]], *, extra_pages: Sequence[str]) -> str:
    """``index.md``: what the site is, then each report's title, lead and key findings (glued from it)."""
    parts = [
        f"# {TITLE}\n",
        "Reproducible reports on the election of 10 January 2021 to the Mazhilis, the lower house of "
        "Kazakhstan's parliament, by **kzresearch**. Every number is computed from the source data by the "
        "package and pasted into the text from the executed notebooks; each report ends with its references "
        "and its provenance (software versions, the checksums of its data, its parameters).\n",
    ]
    for stem, nb in reports:
        parts.append(f"## [{title(nb, stem)}]({stem}.ipynb)\n")
        parts.append(_from(stem, _lead(nb)) + "\n")
        findings = key_findings(nb)
        if findings:
            parts.append(_from(stem, findings) + "\n")
    parts.append("```{toctree}\n:hidden:\n:caption: Reports\n\n" + "\n".join(s for s, _ in reports) + "\n```\n")
    if extra_pages:
        parts.append("```{toctree}\n:hidden:\n:caption: About\n\n" + "\n".join(extra_pages) + "\n```\n")
    return "\n".join(parts)


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    escape = lambda v: str(v).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(escape(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _russian_names() -> dict[str, tuple[str, str]]:
    path = DATA_DIR / "reference" / "party_names_ru.csv"
    with path.open(encoding="utf-8") as f:
        return {r["party_id"]: (r["name_ru"], r["source_ref"]) for r in csv.DictReader(f)}


def glossary_page() -> str:
    """``glossary.md``: every party and region with its names and where they come from, then the terms."""
    tables = data.load_tables(["parties", "regions"])
    parties = tables["parties"].sort_values("ballot_position", na_position="last", kind="stable")
    russian = _russian_names()
    party_rows = [
        (
            p.name_en,
            p.name_short,
            f"{p.name_source} ({p.source_ref})",
            f"{russian[p.party_id][0]} ({russian[p.party_id][1]})" if p.party_id in russian else "–",
            "–",
            f'<span class="kz-swatch" style="background:{p.colour}"></span>{p.colour}',
            "–" if p.ballot_position is None or str(p.ballot_position) == "<NA>" else str(p.ballot_position),
        )
        for p in parties.itertuples()
    ]
    with (DATA_DIR / "reference" / "region_names.csv").open(encoding="utf-8") as f:
        labels: dict[str, list[str]] = {}
        for r in csv.DictReader(f):
            labels.setdefault(r["region_id"], []).append(f"{r['name_source']} ({r['source_id']})")
    regions = tables["regions"]
    region_rows = [
        (r.name_en, r.kind, "; ".join(labels.get(r.region_id, ["–"])), "–", "–") for r in regions.itertuples()
    ]
    terms = yaml.safe_load((SITE_TEMPLATES / "terms.yaml").read_text(encoding="utf-8"))
    glossary = "\n".join(f"{term}\n  {definition}\n" for term, definition in terms.items())
    return (
        "# Glossary\n\n"
        "## Parties\n\n"
        "The lists of 2021 in ballot order, then the party that boycotted. The Turkish name is the source's "
        "(the article's line); the Russian names are those of the Russian-language news reports the article "
        "cites (its line); no source here gives the Kazakh names, so they are left empty rather than typed "
        "from memory. The colour is the party's in every figure (Okabe & Ito 2008).\n\n"
        + _markdown_table(
            ["English", "short name", "source (Turkish)", "Russian", "Kazakh", "colour", "ballot position"], party_rows
        )
        + "\n## Regions\n\n"
        "The 14 oblasts and 3 cities of 2021, and the units of 2012 and 2023 whose borders differ. The source "
        "labels are those the sources print; Russian and Kazakh names are in none of the sources.\n\n"
        + _markdown_table(["English", "kind", "source labels", "Russian", "Kazakh"], region_rows)
        + "\n## Terms\n\n"
        "Each definition names its source in brackets (see the references of the reports).\n\n"
        "```{glossary}\n" + glossary + "```\n"
    )


def data_page(tidy_dir: Path = TIDY_DIR) -> str:
    """``data.md``: the tidy tables to download, then the codebook (``data/README.md``)."""
    rows = [
        (f'<a href="data/tidy/{p.name}">{p.name}</a>', f"{len(pd.read_csv(p, dtype=str, keep_default_na=False)):,}")
        for p in sorted(Path(tidy_dir).glob("*.csv"))
    ]
    return (
        "# The data\n\n"
        "Every table the reports use, derived by code from the raw sources (`python -m kzresearch.data`) and "
        'described by a Frictionless schema, <a href="data/datapackage.json">datapackage.json</a>. The codebook below is '
        "generated from that schema.\n\n"
        + _markdown_table(["table (CSV)", "rows"], rows)
        + "\n```{include} codebook.md\n:heading-offset: 1\n```\n"
    )


def reproduce_page() -> str:
    """``reproduce.md``: how to cite, the sources and their licences, then ``REPLICATION.md``."""
    sources = "\n".join(
        f"- **{s['title']}**, {s['publisher']}"
        + (f" (<{s['url']}>)" if s["url"] else "")
        + f". Licence: {s['licence']}."
        for s in source_records()
    )
    return (
        "# Reproduce and cite\n\n"
        "## How to cite\n\n"
        f"{citation()} See `CITATION.cff`; please also cite the sources.\n\n"
        "## Sources and licences\n\n"
        f"{sources}\n\n"
        "The figures from the Wikipedia article and the tables derived from them are shared under CC BY-SA 4.0; "
        "the code is under the MIT licence.\n\n"
        "```{include} REPLICATION.md\n:heading-offset: 1\n```\n"
    )


def citation(path: Path = PROJECT_ROOT / "CITATION.cff") -> str:
    """A plain-text citation built from ``CITATION.cff``."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    authors = ", ".join(
        a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}" for a in cff["authors"]
    )
    return f"{authors} ({str(cff['date-released'])[:4]}). {cff['title']} (version {cff['version']})."


# -- the build -------------------------------------------------------------------------------------


def table_files(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The CSV of every table ``nb`` shows (:func:`kzresearch.publish.tables.show_table`), by file name."""
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            table = output.get("metadata", {}).get(TABLE_KEY)
            if table:
                out[f"{table['name']}.csv"] = table["csv"]
    return out


def _conf() -> str:
    return "".join(f"{key} = {value!r}\n" for key, value in CONF.items())


def _write_sources(
    src: Path, reports: Sequence[tuple[str, nbformat.NotebookNode]], *, full: bool, tidy_dir: Path, texts: dict
) -> None:
    (src / "extra" / "tables").mkdir(parents=True)
    shutil.copytree(SITE_TEMPLATES / "_static", src / "_static")
    (src / "conf.py").write_text(_conf(), encoding="utf-8")
    seen: dict[str, str] = {}
    for stem, nb in reports:
        nbformat.write(nb, str(src / f"{stem}.ipynb"))
        for name, text in table_files(nb).items():
            if name in seen and seen[name] != stem:
                raise ValueError(f"table name {name!r} is used by both {seen[name]} and {stem}")
            seen[name] = stem
            (src / "extra" / "tables" / name).write_text(text, encoding="utf-8")
    pages = ["glossary", "data", "reproduce"] if full else []
    (src / "index.md").write_text(landing_page(reports, extra_pages=pages), encoding="utf-8")
    if full:
        (src / "glossary.md").write_text(glossary_page(), encoding="utf-8")
        (src / "data.md").write_text(data_page(tidy_dir), encoding="utf-8")
        (src / "reproduce.md").write_text(reproduce_page(), encoding="utf-8")
        for name, text in texts.items():
            (src / name).write_text(text, encoding="utf-8")
        (src / "extra" / "data" / "tidy").mkdir(parents=True)
        for path in sorted(Path(tidy_dir).glob("*.csv")):
            shutil.copyfile(path, src / "extra" / "data" / "tidy" / path.name)
        shutil.copyfile(DATA_DIR / "datapackage.json", src / "extra" / "data" / "datapackage.json")


_COLLAPSED = ("appendix", "provenance")
_EXHIBIT = re.compile(r'<figure class="kz-(?:table|figure)".*?</figure>', flags=re.S)


def _summary(figure: str) -> str:
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, flags=re.S)
    text = re.sub(r'<a class="kz-csv".*?</a>', "", caption.group(1), flags=re.S) if caption else "details"
    return re.sub(r"<(?!/?strong)[^>]+>", "", text).strip()


def collapse_technical(page: str) -> str:
    """``page`` with the tables and figures of its appendix and provenance sections folded into
    ``<details>`` elements that show their caption: the technical detail stays one click away and
    the page a reader scrolls is the argument."""
    for name in _COLLAPSED:
        start = re.search(rf'<section id="{name}[^"]*">', page)
        if not start:
            continue
        following = page.find('<section id="', start.end())
        end = following if following != -1 else page.find("</article>", start.end())
        end = len(page) if end == -1 else end
        body = _EXHIBIT.sub(
            lambda m: f'<details class="kz-details"><summary>{_summary(m.group(0))}</summary>{m.group(0)}</details>',
            page[start.end() : end],
        )
        page = page[: start.end()] + body + page[end:]
    return page


def _clean(out: Path) -> None:
    for name in _DROPPED:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for source_map in out.rglob("*.map"):
        source_map.unlink()
    for text in out.rglob("*"):
        if text.suffix in (".html", ".js") and text.is_file():
            content = text.read_text(encoding="utf-8")
            stripped = re.sub(r"\n//# sourceMappingURL=\S+", "", content)
            if text.suffix == ".html":
                stripped = collapse_technical(stripped)
            if stripped != content:
                text.write_text(stripped, encoding="utf-8")


def build(
    reports: Sequence[tuple[str, nbformat.NotebookNode]],
    out: Path = REPORTS_DIR,
    *,
    full: bool = True,
    tidy_dir: Path = TIDY_DIR,
    replication: str | None = None,
    codebook: str | None = None,
) -> list[Path]:
    """Build the site of ``reports`` ((file stem, executed notebook) pairs, in display order) into
    ``out``, replacing what is there (except :data:`KEPT` folders); ``full`` adds the glossary, data
    and reproduce pages, from the tables in ``tidy_dir`` and the texts of ``REPLICATION.md`` and the
    codebook (default: the committed files). Returns the files written. Sphinx's warnings are errors:
    a glue key that does not exist stops the build."""
    from sphinx.cmd.build import build_main

    with tempfile.TemporaryDirectory(prefix="kzresearch-site-") as tmp:
        src, built = Path(tmp) / "src", Path(tmp) / "html"
        texts = {
            "REPLICATION.md": replication or (PROJECT_ROOT / "REPLICATION.md").read_text(encoding="utf-8"),
            "codebook.md": codebook or (DATA_DIR / "README.md").read_text(encoding="utf-8"),
        }
        _write_sources(src, reports, full=full, tidy_dir=tidy_dir, texts=texts)
        errors = io.StringIO()
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = io.StringIO(), errors
        try:
            status = build_main(
                [
                    "-b",
                    "html",
                    "-q",
                    "-W",
                    "--keep-going",
                    "-E",
                    "-d",
                    str(Path(tmp) / "doctrees"),
                    str(src),
                    str(built),
                ]
            )
        finally:
            sys.stdout, sys.stderr = stdout, stderr
        if status != 0:
            problems = errors.getvalue().replace(str(src) + "/", "")
            raise RuntimeError(f"the site build failed:\n{problems}")
        _clean(built)
        out.mkdir(parents=True, exist_ok=True)
        for old in out.iterdir():
            if old.name in KEPT:
                continue
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        shutil.copytree(built, out, dirs_exist_ok=True)
    return sorted(
        p for p in out.rglob("*") if p.is_file() and not any(part in KEPT for part in p.relative_to(out).parts)
    )


def committed_reports() -> list[tuple[str, nbformat.NotebookNode]]:
    """The executed notebooks in notebooks/, in name order."""
    return [(p.stem, nbformat.read(p, as_version=4)) for p in notebook_paths()]


def main() -> int:
    start = time.perf_counter()
    written = build(committed_reports())
    size = sum(p.stat().st_size for p in written)
    print(f"built the site reports/: {len(written)} files, {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
