"""The committed notebooks and reports are what the build produces, byte for byte, from any directory;
reports open with no network; parameters reach the notebook and bad ones stop it with a clear message."""

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


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_report_is_the_rendering_of_the_committed_notebook(notebook):
    # nbval (strict) checks that executing each notebook reproduces its committed outputs;
    # this checks that reports/ holds its rendering (the executed notebook is committed once, in notebooks/).
    # `kzresearch verify` and benchmarks/build_and_test.py check the whole build byte for byte.
    nb = nbformat.read(notebook, as_version=4)
    assert not (REPORTS_DIR / notebook.name).exists(), "the executed notebook is committed once, in notebooks/"
    html = notebooks.render_html(nb, notebook.stem)
    assert html == (REPORTS_DIR / f"{notebook.stem}.html").read_text(encoding="utf-8"), (
        "rerun `python3.11 tasks.py build`"
    )


def test_index_lists_every_report_and_is_in_sync():
    assert verify.compare_index({}).identical
    index = (REPORTS_DIR / "index.html").read_text(encoding="utf-8")
    for notebook in NOTEBOOKS:
        assert f'href="{notebook.stem}.html"' in index


@pytest.mark.parametrize("page", sorted(REPORTS_DIR.glob("*.html")), ids=lambda p: p.name)
def test_report_needs_no_network_and_hides_code(page):
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert not re.search(r"@import|url\([\"']?(https?:)?//", html)
    assert not re.search(r"class=\"[^\"]*jp-InputArea-editor", html)  # no code cell input


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    index = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    declared = parameters.declaration(notebook.stem)
    assert code[index].source == declared.cell(), "the parameters cell is not the one its declaration gives"
    assert "PARAMETERS.read(globals()" in code[index + 1].source, "the cell after the parameters must check them"
    assert any("summary" in c.metadata.get("tags", []) for c in code), "no cell tagged 'summary' for the index"
    assert code[-1].source.startswith("provenance("), "the report must end with its provenance"


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
    assert 'href="replication.html"' in (REPORTS_DIR / "index.html").read_text(encoding="utf-8")
    assert site.replication_html(text) == (REPORTS_DIR / "replication.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_replication_lists_every_figure_and_table_of_a_report(notebook):
    from kzresearch.publish import replication

    outputs = [o for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code" for o in c.outputs]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    exhibits = replication.exhibits(notebook)
    assert [e.caption for e in exhibits if e.kind == "Figure"] == [o.metadata["image/png"]["alt"] for o in figures]
    tables = [e for e in exhibits if e.kind == "Table"]
    assert tables and all(e.caption.startswith("columns: ") for e in tables)
    text = replication.REPLICATION.read_text(encoding="utf-8")
    for e in exhibits:
        assert f"| {e.kind} {e.number} | {e.cell} |" in text


def test_replication_names_the_csv_behind_a_table():
    from kzresearch.publish import replication

    errors = next(
        e
        for e in replication.exhibits(notebooks.NOTEBOOKS_DIR / "poll_accuracy.ipynb")
        if e.caption.startswith("columns: label, kind, days_before, m3")
    )
    assert errors.csv == "poll_errors.csv"
    persistence = [e.csv for e in replication.exhibits(notebooks.NOTEBOOKS_DIR / "regional_turnout.ipynb")]
    assert "persistence_correlations.csv" in persistence and "border_crosswalk.csv" in persistence
