"""Execute the narrative notebooks with papermill and render them as self-contained HTML reports.

Reproducibility rules applied here:

* execution starts in ``notebooks/`` whatever the caller's directory, with the kernel ``python3``
  of the project's environment;
* the executed notebook is normalised: papermill and nbclient timing metadata are dropped, cell
  ids are renumbered from the cell's position and the kernel's Python version is recorded as
  major.minor only (the lock file supports every 3.11.x), so two builds are byte-identical on any
  machine;
* the HTML is rendered with nbconvert's ``lab`` template, code hidden, and with the CDN scripts
  (require.js, MathJax, Mermaid) removed, so a report opens with no network.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter

from kzresearch.paths import NOTEBOOKS_DIR

KERNEL = "python3"
TEMPLATES = Path(__file__).resolve().parent / "templates"
_VOLATILE_CELL_METADATA = ("papermill", "execution")


def notebook_paths(directory: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The narrative notebooks, in name order."""
    return sorted(p for p in Path(directory).glob("*.ipynb") if not p.name.startswith("."))


def execute(notebook: Path, parameters: dict | None = None) -> nbformat.NotebookNode:
    """Run ``notebook`` with papermill (in ``notebooks/``) and return the normalised executed notebook."""
    executed = papermill.execute_notebook(
        str(notebook),
        None,
        parameters=parameters or {},
        kernel_name=KERNEL,
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )
    return normalise(executed)


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-specific metadata and renumber cell ids, so that equal runs give equal files."""
    nb.metadata.pop("papermill", None)
    language = nb.metadata.get("language_info", {})
    if "version" in language:
        language["version"] = ".".join(str(language["version"]).split(".")[:2])
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    return nb


def title(nb: nbformat.NotebookNode, default: str) -> str:
    """The notebook's first Markdown heading, or ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if found:
                return found.group(1).strip()
    return default


def render_html(nb: nbformat.NotebookNode, name: str) -> str:
    """The notebook as a self-contained HTML page with the code hidden."""
    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title(nb, name)}})
    return body


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
