"""Corrections for multiple tests: Holm (1979) and Benjamini & Hochberg (1995), by statsmodels.

>>> adjust_pvalues([0.01, 0.04, 0.03], method="holm")
array([0.03, 0.06, 0.06])

References: S. Holm (1979), "A simple sequentially rejective multiple test procedure",
Scandinavian Journal of Statistics 6:65-70; Y. Benjamini & Y. Hochberg (1995), "Controlling the
false discovery rate", JRSS B 57:289-300.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from statsmodels.stats.multitest import multipletests

from kzresearch.stats.inputs import as_numbers


def adjust_pvalues(p_values: Sequence[float], *, method: str = "holm") -> np.ndarray:
    """p-values adjusted for multiple tests: 'holm' (Holm 1979: family-wise error) or 'fdr_bh'
    (Benjamini & Hochberg 1995: false discovery rate), by statsmodels' ``multipletests``."""
    if not isinstance(method, str) or method not in ("holm", "fdr_bh"):
        raise ValueError(f"unknown method {method!r}; choose 'holm' or 'fdr_bh'")
    p = as_numbers(p_values, "p_values", low=0, high=1)
    if len(p) == 0:
        raise ValueError("p_values must be a non-empty list of numbers in [0, 1]")
    return multipletests(p, method=method)[1]
