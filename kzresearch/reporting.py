"""Display helpers for the reports: figures with captions, and the provenance section that ends each report."""

from __future__ import annotations

import hashlib
import io
import platform
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import PurePath

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import Image, Markdown, display
from matplotlib.figure import Figure

import kzresearch
from kzresearch import data
from kzresearch.paths import relative

KEY_PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "nbconvert")


def listing(items: Iterable[str]) -> str:
    """Items for prose: 'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def party_colours() -> dict[str, str]:
    """One colour per party, keyed by its short name and the same in every figure: seaborn's
    colour-blind palette in ballot order (the boycotting NSDP last)."""
    parties = data.load("parties").sort_values("ballot_position", na_position="last", kind="stable")
    return dict(zip(parties.name_short, sns.color_palette("colorblind", len(parties)).as_hex()))


def show_figure(fig: Figure, caption: str) -> None:
    """Show ``fig`` as a PNG (no run-specific metadata) with ``caption`` below it and as its alt text."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png", metadata={"alt": caption}))
    display(Markdown(f"*Figure: {caption}*"))


def data_files() -> pd.DataFrame:
    """Every data file the reports read (:func:`kzresearch.data.files`) with its SHA-256."""
    paths = data.files()
    return pd.DataFrame(
        {"file": [relative(p) for p in paths], "sha256": [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]}
    )


def provenance(parameters: Mapping[str, object]) -> None:
    """Display the provenance section: software versions, data file checksums, the parameter values used."""
    versions = ", ".join(f"{name} {version(name)}" for name in KEY_PACKAGES)
    display(Markdown(
        "## Provenance\n\n"
        f"Built by kzresearch {kzresearch.__version__} on Python {'.'.join(platform.python_version_tuple()[:2])} ({versions}; "
        "every version pinned in `requirements.lock`). Parameter values of this run:"
    ))
    values = [v.as_posix() if isinstance(v, PurePath) else repr(v) for v in parameters.values()]
    with pd.option_context("display.max_colwidth", None):
        display(pd.DataFrame({"parameter": list(parameters), "value": values}))
        display(Markdown("Data files read, with their SHA-256 checksums:"))
        display(data_files())
