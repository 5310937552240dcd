"""The committed notebooks and reports are what the build produces, byte for byte, from any directory;
reports open with no network; parameters reach the notebook and bad ones stop it with a clear message."""

import ast
import html as html_module
import json
import re

import jsonschema
import nbformat
import papermill
import pytest
import yaml

from kzresearch.paths import PROJECT_ROOT, REPORTS_DIR
from kzresearch.publish import notebooks, parameters, site, verify

NOTEBOOKS = notebooks.notebook_paths()


def test_there_are_notebooks():
    assert [p.stem for p in NOTEBOOKS]


def test_committed_site_is_the_build_of_the_committed_notebooks(tmp_path):
    # nbval (strict) checks that executing each notebook reproduces its committed outputs; this checks
    # that reports/ is the site built from them, byte for byte (a second build on this machine).
    # `kzresearch verify` and benchmarks/build_and_test.py check the whole build from the raw data.
    site.build(site.committed_reports(), tmp_path / "site")
    differing = [c.path for c in verify.compare_site(tmp_path / "site") if not c.identical]
    assert differing == [], "rerun `python3.11 tasks.py build`"
    assert not list(REPORTS_DIR.glob("*.ipynb")), "the executed notebooks are committed once, in notebooks/"


def test_the_landing_page_links_every_report_and_page():
    index = (REPORTS_DIR / "index.html").read_text(encoding="utf-8")
    for page in [p.stem for p in NOTEBOOKS] + ["glossary", "data", "reproduce"]:
        assert f'href="{page}.html"' in index, page
    assert index.count("Key findings") == len(NOTEBOOKS)


SITE_PAGES = sorted(p for p in REPORTS_DIR.rglob("*.html") if "runs" not in p.relative_to(REPORTS_DIR).parts)


@pytest.mark.parametrize("page", SITE_PAGES, ids=lambda p: p.name)
def test_report_needs_no_network_and_hides_code(page):
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert not re.search(r"@import|url\([\"']?(https?:)?//", html)
    assert "cell_input" not in html  # no code cell input: the reports show results, the notebooks the code


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    index = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    declared = parameters.declaration(notebook.stem)
    assert code[index].source == declared.cell(), "the parameters cell is not the one its declaration gives"
    assert "PARAMETERS.read(globals()" in code[index + 1].source, "the cell after the parameters must check them"
    findings = [c for c in cells if "key-findings" in c.metadata.get("tags", [])]
    assert len(findings) == 1 and findings[0].cell_type == "markdown", "one Markdown cell tagged 'key-findings'"
    bullets = re.findall(r"^- .*(?:\n  .*)*", findings[0].source, flags=re.M)
    assert 3 <= len(bullets) <= 5 and all("{glue" in b for b in bullets), "3 to 5 bullets, each with a glued number"
    assert "{glue:md} context" in cells[0].source, "the report opens with the context paragraph"
    headings = [
        line for c in cells if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("## ")
    ]
    assert headings[-2:] == ["## References", "## Provenance"], "the report ends with its references and provenance"
    assert "provenance(params" in code[-1].source, "the last code cell shows the provenance"


def test_a_bad_parameter_stops_the_notebook_with_a_message_naming_it(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(papermill.PapermillExecutionError, match="parameter 'output_dir'"):
        notebooks.execute(notebooks.NOTEBOOKS_DIR / "data_overview.ipynb", {"output_dir": str(tmp_path / "file")})


def test_citation_file_is_valid_cff():
    schema = json.loads((PROJECT_ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json").read_text())
    cff = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff["date-released"] = str(cff["date-released"])
    jsonschema.validate(cff, schema)
    assert "0.1.0" in site.citation()


def test_replication_readme_is_generated_and_up_to_date():
    from kzresearch.publish import replication

    text = replication.REPLICATION.read_text(encoding="utf-8")
    assert replication.render() == text, "REPLICATION.md is out of date: rerun `python3.11 tasks.py build`"
    for heading in (
        "## Data availability and provenance statements",
        "## Computational requirements",
        "## Description of programs and code",
        "## Instructions to replicators",
        "## List of tables and figures",
        "## Known limitations",
    ):
        assert heading in text
    assert "REPLICATION.md" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "Instructions to replicators" in (REPORTS_DIR / "reproduce.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_replication_lists_every_figure_and_table_of_a_report(notebook):
    from kzresearch.publish import replication

    html = "".join(
        str(o.get("data", {}).get("text/html", ""))
        for c in nbformat.read(notebook, as_version=4).cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    captions = re.findall(
        r'<figure class="kz-figure".*?<strong>Figure \d+\.</strong> (.*?)</figcaption>', html, flags=re.S
    )
    exhibits = replication.exhibits(notebook)
    assert [e.caption for e in exhibits if e.kind == "Figure"] == [html_module.unescape(c) for c in captions]
    tables = [e for e in exhibits if e.kind == "Table"]
    assert tables and all((PROJECT_ROOT / e.csv).exists() for e in tables), "each table's CSV is in the site"
    text = replication.REPLICATION.read_text(encoding="utf-8")
    for e in exhibits:
        assert f"| {e.kind} {e.number} | {e.cell} |" in text


# -- prose lives in Markdown: the rule for code cells --------------------------------------------------

#: Keyword arguments whose value may be an f-string: the labels of a table or figure, not prose.
LABEL_KEYWORDS = {"caption", "name", "label", "title", "xlabel", "ylabel"}
#: The most lines a code cell may have.
MAX_CELL_LINES = 15


def prose_problems(source: str) -> list[str]:
    """What in a code cell builds prose from strings. The rule: no f-string (except as the value of a
    label keyword, :data:`LABEL_KEYWORDS`), no ``Markdown``/``HTML``/``print`` call, no ``+`` or ``%`` with
    a string literal, no ``str.format`` on a literal, and at most :data:`MAX_CELL_LINES` lines. Values
    reach the prose through ``glue``; phrases through package functions."""
    tree = ast.parse(source)
    allowed = {
        id(inner)  # the label's f-string and the format specs inside it
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg in LABEL_KEYWORDS
        for inner in ast.walk(kw.value)
    }
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in allowed:
            problems.append(f"line {node.lineno}: an f-string")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("Markdown", "HTML", "print")
        ):
            problems.append(f"line {node.lineno}: {node.func.id}(...)")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            if any(isinstance(side, ast.Constant) and isinstance(side.value, str) for side in (node.left, node.right)):
                problems.append(f"line {node.lineno}: a string joined with + or %")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
        ):
            problems.append(f"line {node.lineno}: str.format")
    lines = len(source.strip().splitlines())
    if lines > MAX_CELL_LINES:
        problems.append(f"{lines} lines (at most {MAX_CELL_LINES})")
    return problems


def test_the_prose_rule_catches_prose_built_in_code():
    assert prose_problems('show_table(t, name="x", caption=f"Votes in {year}")') == []
    assert prose_problems('show_table(t, name="x", caption=f"{n:,} votes")') == []
    assert prose_problems('glue("n", len(polls), display=False)') == []
    assert prose_problems('text = f"{n} polls"') == ["line 1: an f-string"]
    assert prose_problems('display(Markdown("a" + b))') == [
        "line 1: Markdown(...)",
        "line 1: a string joined with + or %",
    ]
    assert prose_problems('"{} polls".format(n)') == ["line 1: str.format"]
    assert prose_problems("\n".join(["x = 1"] * 16)) == ["16 lines (at most 15)"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_builds_prose(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    found = {
        f"cell {i}": problems
        for i, cell in enumerate(cells)
        if cell.cell_type == "code" and (problems := prose_problems(cell.source))
    }
    assert found == {}


def test_technical_tables_fold_but_the_argument_does_not():
    table = '<figure class="kz-table" id="table-x"><figcaption><strong>Table 2.</strong> Power. <a class="kz-csv" href="tables/x.csv" download>CSV</a></figcaption><table></table></figure>'
    page = (
        f'<article><section id="results"><h2>1.</h2>{table.replace("x", "a")}</section>'
        f'<section id="appendix-technical-tables"><h2>Appendix</h2>{table}</section>'
        '<section id="references"><h2>References</h2></section></article>'
    )
    folded = site.collapse_technical(page)
    assert folded.count("<details") == 1 and "<summary><strong>Table 2.</strong> Power.</summary>" in folded
    assert folded.index("<details") > folded.index('id="appendix-technical-tables"')
    assert 'id="table-a"' in folded.split('id="appendix')[0] and "<details" not in folded.split('id="appendix')[0]
