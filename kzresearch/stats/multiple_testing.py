"""Corrections for multiple tests: Holm (1979), Benjamini & Hochberg (1995) and Benjamini & Yekutieli
(2001), by statsmodels.

Holm controls the family-wise error under any dependence. Benjamini-Hochberg controls the false
discovery rate for independent or positively dependent tests; tests on the shares of the same
lists, which sum to 100, are negatively dependent, so use Benjamini-Yekutieli ('fdr_by'), which
holds under any dependence, or Holm.

>>> adjust_pvalues([0.01, 0.04, 0.03], method="holm")
array([0.03, 0.06, 0.06])

References: S. Holm (1979), "A simple sequentially rejective multiple test procedure",
Scandinavian Journal of Statistics 6:65-70; Y. Benjamini & Y. Hochberg (1995), "Controlling the
false discovery rate", JRSS B 57:289-300; Y. Benjamini & D. Yekutieli (2001), "The control of the
false discovery rate in multiple testing under dependency", Annals of Statistics 29(4):1165-1188.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from statsmodels.stats.multitest import multipletests

from kzresearch.stats.inputs import as_numbers

#: The corrections :func:`adjust_pvalues` knows.
METHODS = ("holm", "fdr_bh", "fdr_by")


def adjust_pvalues(p_values: Sequence[float], *, method: str = "holm") -> np.ndarray:
    """p-values adjusted for multiple tests: 'holm' (Holm 1979: family-wise error), 'fdr_bh'
    (Benjamini & Hochberg 1995: false discovery rate, independent or positively dependent tests) or
    'fdr_by' (Benjamini & Yekutieli 2001: false discovery rate under any dependence), by
    statsmodels' ``multipletests``."""
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(map(repr, METHODS))}")
    p = as_numbers(p_values, "p_values", low=0, high=1)
    if len(p) == 0:
        raise ValueError("p_values must be a non-empty list of numbers in [0, 1]")
    return multipletests(p, method=method)[1]
