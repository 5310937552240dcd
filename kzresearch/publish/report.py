"""What every report shares: its look, the paragraph of context it opens with, its reference list.

A report's first code cell after its parameter check calls :func:`start`; its first Markdown cell
pastes the context (```` ```{glue:md} context ```` with ``:format: myst``) and its "References"
section the list (```` ```{glue:md} references ````).

The conventions of a report (checked by ``tests/test_reports.py``):

- prose lives in Markdown cells; numbers and result-dependent phrases enter it through myst-nb's
  ``glue`` (``{glue:text}`key:.1f```), the phrases from small tested package functions;
- a code cell calls the package, glues values and shows one table (:func:`kzresearch.publish.tables.show_table`)
  or figure (:func:`kzresearch.publish.figures.show_figure`): no f-strings, no ``Markdown`` or
  ``print``, no strings joined into sentences;
- the cell tagged ``key-findings`` holds three to five bullets, each a glued number with its meaning;
- technical tables go under "Appendix", then come "References" and "Provenance".
"""

from __future__ import annotations

from collections.abc import Iterable

import seaborn as sns
from IPython.display import Markdown
from myst_nb import glue

from kzresearch.publish.notebooks import TEMPLATES
from kzresearch.publish.references import reference_list

#: The sources every report's context paragraph cites.
CONTEXT_REFERENCES = ("article", "odihr2020")


def context() -> str:
    """The paragraph of context every report opens with (Markdown): what was elected and how, who ran
    and who boycotted, and what observers said, citing the article's lines."""
    return (TEMPLATES / "site" / "context.md").read_text(encoding="utf-8").strip()


def start(*, references: Iterable[str]) -> None:
    """Set the figures' look and glue ``context`` and ``references`` (the works in ``references``
    and those the context cites) for the report's Markdown to paste."""
    sns.set_theme(style="whitegrid", context="notebook")
    glue("context", Markdown(context()), display=False)
    glue("references", Markdown(reference_list([*CONTEXT_REFERENCES, *references])), display=False)
