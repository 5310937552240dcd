"""Display helpers for the reports: figures with a caption that is also their alternative text."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
from IPython.display import Image, Markdown, display
from matplotlib.figure import Figure


def show_figure(fig: Figure, caption: str) -> None:
    """Show ``fig`` as a PNG (no run-specific metadata) with ``caption`` below it and as its alt text."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png", metadata={"alt": caption}))
    display(Markdown(f"*Figure: {caption}*"))
