"""Execute the narrative notebooks with papermill (the report site renders them: :mod:`kzresearch.publish.site`).

Reproducibility rules applied here:

* execution starts in ``notebooks/`` whatever the caller's directory, with the kernel ``python3``
  of the project's environment;
* the executed notebook is normalised: papermill and nbclient timing metadata are dropped, cell
  ids are renumbered from the cell's position and the kernel's Python version is recorded as
  major.minor only (the lock file supports every 3.11.x), so two builds are byte-identical on any
  machine;
* the kernel runs quietly: its transport is encrypted with CurveZMQ when pyzmq supports it
  (ipykernel 7 warns "Kernel is running over TCP without encryption" otherwise), and it is shut
  down by a shutdown request alone (see :class:`KernelManager`), so a build that succeeded prints
  no kernel ERROR; a failing cell still fails the build with its error;
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill
import zmq
from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum

from kzresearch.paths import NOTEBOOKS_DIR
from kzresearch.publish import parameters

KERNEL = "python3"
TEMPLATES = Path(__file__).resolve().parent / "templates"
_VOLATILE_CELL_METADATA = ("papermill", "execution")


class KernelManager(AsyncKernelManager):
    """papermill's kernel manager, without the noise of a successful run.

    jupyter_client 8 interrupts a kernel (SIGINT) before asking it to shut down; when the signal
    lands while the kernel finishes its last reply, ipykernel logs ``ERROR | KeyboardInterrupt
    caught in kernel.`` although nothing failed. The notebooks have run to the end (or stopped at
    a failing cell) when the kernel is shut down, so the shutdown request suffices; the kernel is
    still killed if it does not exit in time. Interrupts at other times are unchanged.
    """

    transport_encryption = CaselessStrEnum(
        ["disabled", "auto", "required"],
        default_value="auto" if zmq.has("curve") else "disabled",
        config=True,
        help="CurveZMQ keys for the kernel when pyzmq has them (the python3 kernelspec declares support)",
    )

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel


def papermill_options() -> dict:
    """The options every execution passes to ``papermill.execute_notebook``: the kernel, its manager and the
    working directory ``notebooks/``."""
    return {"kernel_name": KERNEL, "kernel_manager_class": KernelManager, "cwd": str(NOTEBOOKS_DIR)}


def notebook_paths(directory: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The narrative notebooks, in name order."""
    return sorted(p for p in Path(directory).glob("*.ipynb") if not p.name.startswith("."))


def declare_parameters(notebook: Path) -> None:
    """Write ``notebook``'s papermill ``parameters`` cell from its declaration
    (:func:`kzresearch.publish.parameters.declaration`), so the parameters are stated once."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    source = parameters.declaration(Path(notebook).stem).cell()
    if cell.source != source:
        cell.source = source
        nbformat.write(nb, str(notebook))


def execute(notebook: Path, parameters: dict | None = None) -> nbformat.NotebookNode:
    """Run ``notebook`` with papermill (in ``notebooks/``) and return the normalised executed notebook."""
    executed = papermill.execute_notebook(
        str(notebook),
        None,
        parameters=parameters or {},
        progress_bar=False,
        **papermill_options(),
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


def glued(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The values an executed notebook glued (myst-nb ``glue``), by key, as their ``text/plain``: the
    numbers and phrases its prose pastes, e.g. ``glued(nb)["n_findings"] == "14"``. papermill stores
    them under a ``application/papermill.record/`` prefix, which is removed."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                prefix = record.get("mime_prefix", "")
                values[record["name"]] = output.get("data", {}).get(f"{prefix}text/plain", "")
    return values


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
