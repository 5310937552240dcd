"""Reproduction: the committed data, reports and index are what the code builds from the inputs, byte
for byte, whatever BLAS kernel, SIMD code path or number of threads the machine uses; and
``kzresearch verify`` explains a difference and tells a changed input from a build that does not
reproduce.

The audit runs in a subprocess so that each run can set the environment variables that choose
OpenBLAS's kernel (``OPENBLAS_CORETYPE``), its threads and numpy's CPU dispatch before numpy loads;
the kernels the notebooks run in inherit them.
"""

from __future__ import annotations

import io
import os
import platform
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from PIL import Image

from kzresearch.paths import PROJECT_ROOT
from kzresearch.publish import differences, notebooks, reporting, verify

WITH_FITS = ["poll_accuracy", "regional_turnout"]  # the notebooks that draw fitted lines


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return set(line.split(":", 1)[-1].split())


FLAGS = _cpu_flags()
NUMPY_WITHOUT_AVX512 = {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}

# (id, environment, notebooks to rebuild (None: all), CPU flag the kernel needs)
CONFIGURATIONS = [
    ("machine-default", {}, None, None),
    ("openblas-haswell", {"OPENBLAS_CORETYPE": "Haswell"}, WITH_FITS, "avx2"),
    (
        "openblas-sandybridge-numpy-avx2-one-thread-other-hash-seed",
        {
            "OPENBLAS_CORETYPE": "Sandybridge",
            "OPENBLAS_NUM_THREADS": "1",
            "PYTHONHASHSEED": "12345",
            **NUMPY_WITHOUT_AVX512,
        },
        WITH_FITS,
        "avx",
    ),
]
CORENAME = """
import ctypes, pathlib, numpy
libs = sorted((pathlib.Path(numpy.__file__).parent.parent / "numpy.libs").glob("*openblas*"))
try:
    name = getattr(ctypes.CDLL(str(libs[0])), "scipy_openblas_get_corename64_")
    name.restype = ctypes.c_char_p
    print(name().decode())
except (IndexError, OSError, AttributeError):
    print("unknown")
"""


def _skip_unless_supported(environment: dict[str, str], flag: str | None) -> None:
    if flag and (platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64") or flag not in FLAGS):
        pytest.skip(f"this CPU cannot run that OpenBLAS kernel (needs {flag})")
    wanted = environment.get("OPENBLAS_CORETYPE")
    if wanted:
        done = subprocess.run(
            [sys.executable, "-c", CORENAME],
            env={**os.environ, **environment},
            capture_output=True,
            text=True,
            timeout=120,
        )
        found = done.stdout.strip()
        if found != "unknown":  # numpy's OpenBLAS answers: the kernel really is the one asked for
            assert found.lower() == wanted.lower(), f"OPENBLAS_CORETYPE={wanted} ran the {found} kernel"


def _verify(
    args: list[str], *, env: dict[str, str] | None = None, root: Path = PROJECT_ROOT
) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    if root != PROJECT_ROOT:
        environment["PYTHONPATH"] = str(root)  # the scratch copy's package, ahead of the editable install
    return subprocess.run(
        [sys.executable, "-m", "kzresearch.publish.verify", *args],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize(
    ("environment", "names", "flag"), [c[1:] for c in CONFIGURATIONS], ids=[c[0] for c in CONFIGURATIONS]
)
def test_every_committed_output_is_rebuilt_byte_identically(environment, names, flag):
    _skip_unless_supported(environment, flag)
    done = _verify(names or [], env=environment)
    assert done.returncode == verify.EXIT_IDENTICAL, done.stdout[-4000:] + done.stderr[-2000:]
    assert "byte-identical to their rebuilt versions" in done.stdout
    assert "notebooks/poll_accuracy.ipynb" in done.stdout and "reports/index.html" in done.stdout


WRITE_CSVS = """
import sys
from kzresearch.publish import notebooks
for name in sys.argv[2:]:
    notebooks.execute(notebooks.NOTEBOOKS_DIR / f"{name}.ipynb", {"output_dir": f"{sys.argv[1]}/{name}"})
"""


def test_csv_outputs_are_the_same_bytes_under_every_kernel(tmp_path):
    written = {}
    for label, environment, _, flag in CONFIGURATIONS:
        if flag and (platform.machine() not in ("x86_64", "AMD64") or flag not in FLAGS):
            continue
        out = tmp_path / label
        done = subprocess.run(
            [sys.executable, "-c", WRITE_CSVS, str(out), *WITH_FITS],
            cwd=tmp_path,
            env={**os.environ, **environment},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        written[label] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.csv"))}
    reference, *others = written.values()
    assert len(reference) >= 15, sorted(reference)  # poll_errors.csv, regional_summary.csv, ...
    for label, files in list(written.items())[1:]:
        assert files.keys() == reference.keys()
        changed = [name for name in files if files[name] != reference[name]]
        assert not changed, f"{label}: {changed} differ from the machine's default kernel"


@pytest.fixture()
def scratch(tmp_path) -> Path:
    """A scratch copy of the project's files (no .git, .venv or outputs of runs)."""
    root = tmp_path / "kzresearch"
    ignore = shutil.ignore_patterns(".git", ".venv", "runs", "test-artifacts", "__pycache__", "*.egg-info", ".*cache")
    shutil.copytree(PROJECT_ROOT, root, ignore=ignore)
    return root


def test_verify_explains_a_corrupted_report(scratch):
    path = scratch / "notebooks" / "data_overview.ipynb"
    nb = nbformat.read(path, as_version=4)
    [output] = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("metadata", {}).get("scrapbook", {}).get("name") == "n_findings"
    ]
    key = "application/papermill.record/text/plain"
    committed = output["data"][key]
    output["data"][key] = "41"
    nbformat.write(nb, path)
    page = scratch / "reports" / "data_overview.html"
    html = page.read_text(encoding="utf-8")
    assert "found in the sources" in html
    page.write_text(html.replace("found in the sources", "found in the data"), encoding="utf-8")
    done = _verify(["data_overview"], root=scratch)
    assert done.returncode == verify.EXIT_OUTPUTS_DIFFER, done.stdout
    out = done.stdout
    assert "notebooks/data_overview.ipynb differs (- committed, + rebuilt):" in out
    assert "- 41" in out and f"+ {committed}" in out
    assert "reports/data_overview.html differs" in out and "found in the data" in out
    assert "the same inputs gave other outputs" in out and "A committed output was edited, or is stale" in out
    assert "data/tidy/polls.csv" in out  # the whole table is printed


def test_verify_tells_a_changed_input_apart(scratch):
    raw = scratch / "data" / "raw" / "regional-turnout-cec.csv"
    raw.write_text(
        raw.read_text(encoding="utf-8").replace("Akmola Region,72.8,22:00", "Akmola Region,72.9,22:00"),
        encoding="utf-8",
    )
    done = _verify(["data_overview"], root=scratch)
    assert done.returncode == verify.EXIT_INPUTS_CHANGED, done.stdout
    out = done.stdout
    assert "inputs changed since the committed reports were built" in out
    assert "data/raw/regional-turnout-cec.csv: recorded SHA-256 " in out
    assert "row election_id=mazhilis-2021, region_id=akmola, as_of=22:00, column 'turnout_pct': '72.8' -> '72.9'" in out


def test_verify_refuses_an_unknown_notebook(capsys):
    assert verify.main(["no_such_notebook"]) == verify.EXIT_USAGE
    assert "unknown notebook 'no_such_notebook'" in capsys.readouterr().err


@pytest.mark.parametrize("notebook", notebooks.notebook_paths(), ids=lambda p: p.stem)
def test_each_report_records_the_checksums_of_its_inputs(notebook):
    recorded = verify.recorded_inputs(notebook)
    assert (
        "requirements.lock" in recorded and "data/raw/tr-wikipedia-2021-kazakhstan-legislative-election.txt" in recorded
    )
    assert recorded == reporting.input_checksums(), "rebuild: the inputs changed since the report was built"


def test_the_environment_is_the_lock_file(tmp_path):
    assert verify.environment_changes() == []
    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==0.0.1\npytest==0.0.1\nno-such-package-kz==1.0\n")
    changes = {c.name: (c.recorded, c.current) for c in verify.environment_changes(lock)}
    # only what the reports are built with counts: pandas does, pytest and unknown packages do not
    assert changes == {"package pandas": ("0.0.1 in requirements.lock", version("pandas"))}
    assert {"pandas", "numpy", "matplotlib", "pillow", "ipykernel"} <= verify.runtime_packages()
    assert "pytest" not in verify.runtime_packages()


def _png(size: tuple[int, int], pixels: dict[tuple[int, int], tuple[int, int, int]] = {}) -> bytes:  # noqa: B006
    image = Image.new("RGB", size, (255, 255, 255))
    for xy, colour in pixels.items():
        image.putpixel(xy, colour)
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return buffer.getvalue()


def test_image_differences_count_pixels_and_the_largest_change():
    assert differences.image(_png((10, 10)), _png((10, 10))) == []
    assert differences.image(_png((10, 10)), _png((10, 10), {(1, 1): (250, 255, 255), (2, 2): (255, 249, 255)})) == [
        "2 of 100 pixels differ, by at most 6 intensity levels (of 255)"
    ]
    assert differences.image(_png((10, 10)), _png((12, 10))) == ["the image size changed from 10x10 to 12x10 pixels"]


def test_table_differences_name_rows_and_columns():
    old = b"region,party,votes\nalmaty,a,1\nastana,a,2\n"
    assert differences.table(
        old, b"region,party,votes,extra\nalmaty,a,1,x\nastana,a,3,y\n", key=["region", "party"]
    ) == ["columns only in the rebuilt file: extra", "row region=astana, party=a, column 'votes': '2' -> '3'"]
    assert differences.table(old, b"region,party,votes\nalmaty,a,1\n") == [
        "rows only in the committed file: row on line 3"
    ]


def test_notebook_differences_name_the_cell_the_output_and_the_figure():
    def notebook(text: str, png: bytes) -> nbformat.NotebookNode:
        import base64

        figure = new_output(
            "display_data",
            data={"image/png": base64.b64encode(png).decode()},
            metadata={"image/png": {"alt": "Turnout by region"}},
        )
        return new_notebook(
            cells=[new_code_cell("show(x)", outputs=[new_output("stream", name="stdout", text=text), figure])]
        )

    old, new = notebook("r = 0.88\n", _png((4, 4))), notebook("r = 0.87\n", _png((4, 4), {(0, 0): (0, 0, 0)}))
    assert differences.notebook(old, new) == [
        "cell 0 (code, `show(x)`), output 1 (stream): - r = 0.88",
        "cell 0 (code, `show(x)`), output 1 (stream): + r = 0.87",
        "cell 0 (code, `show(x)`), output 2 (display_data, figure 'Turnout by region'): image/png: "
        "1 of 16 pixels differ, by at most 255 intensity levels (of 255)",
    ]


def test_rounding_for_presentation_removes_the_last_bits():
    # two results equal but for their last bit, as two BLAS kernels can give them
    a = 0.1 + 0.2
    b = 0.3
    assert a != b and reporting.rounded(a) == reporting.rounded(b)
    line_a, line_b = reporting.fitted_line(a, 1.0, [0, 10]), reporting.fitted_line(b, 1.0, [0, 10])
    assert line_a.tolist() == line_b.tolist() == [0.3, 10.3]


def test_verify_reports_a_missing_raw_file_as_an_input_change(scratch):
    (scratch / "data" / "raw" / "cec-final-protocol-2021.csv").unlink()
    done = _verify(["data_overview"], root=scratch)
    assert done.returncode == verify.EXIT_INPUTS_CHANGED, done.stdout + done.stderr
    assert "data/raw/cec-final-protocol-2021.csv: recorded SHA-256 " in done.stdout and "now missing" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_html_differences_compare_embedded_figures_as_images():
    import base64

    def page(png: bytes) -> str:
        return f'<p>x</p>\n<img alt="t" src="data:image/png;base64,{base64.b64encode(png).decode()}">\n'

    assert differences.html(page(_png((4, 4))), page(_png((4, 4), {(1, 1): (0, 0, 0)}))) == [
        "figure 1: 1 of 16 pixels differ, by at most 255 intensity levels (of 255)"
    ]
