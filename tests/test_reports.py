"""The committed notebooks and reports are what the build produces, byte for byte, from any directory;
reports open with no network; parameters reach the notebook and bad ones stop it with a clear message."""

import re

import papermill
import pytest

from kzresearch import notebooks
from kzresearch.paths import REPORTS_DIR

NOTEBOOKS = notebooks.notebook_paths()


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.stem)
def executed(request, tmp_path_factory, monkeypatch_module):
    # start somewhere else than notebooks/: paths must resolve through the package
    monkeypatch_module.chdir(tmp_path_factory.mktemp("elsewhere"))
    return request.param, notebooks.execute(request.param)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_there_are_notebooks():
    assert [p.stem for p in NOTEBOOKS]


def test_committed_notebook_and_report_are_reproduced_byte_for_byte(executed, tmp_path):
    path, nb = executed
    written = notebooks.write(nb, tmp_path / path.name)
    assert written.read_bytes() == path.read_bytes(), f"{path.name}: rerun `python3.11 tasks.py build`"
    assert written.read_bytes() == (REPORTS_DIR / path.name).read_bytes()
    html = notebooks.render_html(nb, path.stem)
    assert html == (REPORTS_DIR / f"{path.stem}.html").read_text(encoding="utf-8")


def test_report_needs_no_network_and_hides_code(executed):
    path, nb = executed
    html = notebooks.render_html(nb, path.stem)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", html)
    assert not re.search(r"class=\"[^\"]*jp-InputArea-editor", html)  # no code cell input
    assert "data:image/png;base64" in html


def test_every_notebook_has_a_parameters_cell_then_a_check():
    import nbformat

    for path in NOTEBOOKS:
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        index = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
        assert "parameters." in cells[index + 1].source, path.name


def test_data_overview_writes_its_tables_to_output_dir(tmp_path):
    nb = notebooks.execute(notebooks.NOTEBOOKS_DIR / "data_overview.ipynb", {"output_dir": str(tmp_path / "out")})
    assert (tmp_path / "out" / "validation_findings.csv").exists()
    assert (tmp_path / "out" / "national_result_2021.csv").exists()
    assert "injected-parameters" in nb.cells[2].metadata.tags


def test_a_bad_parameter_stops_the_notebook_with_a_message_naming_it(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(papermill.PapermillExecutionError, match="parameter 'output_dir'"):
        notebooks.execute(notebooks.NOTEBOOKS_DIR / "data_overview.ipynb", {"output_dir": str(tmp_path / "file")})
