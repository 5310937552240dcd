"""General statistics, usable on any election's data: one module per statistical concept.

============================  =====================================================================
:mod:`~.accuracy`             poll accuracy: Mosteller's M3 and M5, RMSE, Arzheimer & Evans's A', B, B_w
:mod:`~.permutation`          permutation tests: correlation, group difference, exact Kendall tau-b
:mod:`~.regression`           a straight line by OLS, WLS and Huber; leave-one-out influence
:mod:`~.trend`                a measure against time: exact Kendall tau-b and an HC3 slope
:mod:`~.power`                power of correlation and chi-square goodness-of-fit tests
:mod:`~.multiple_testing`     Holm, Benjamini-Hochberg and Benjamini-Yekutieli adjusted p-values
:mod:`~.digits`               last-digit and second-digit (Benford) tests of vote counts
:mod:`~.inputs`               the input checks they share
============================  =====================================================================

Everything public is importable from here, as in pingouin:

>>> from kzresearch import stats
>>> stats.mosteller_m3({"A": 52, "B": 48}, {"A": 50, "B": 50})
2.0
"""

from kzresearch.stats.accuracy import (
    SurveyBias,
    arzheimer_evans,
    break_even_sample_size,
    lead_error,
    mosteller_m3,
    mosteller_m5,
    rmse,
)
from kzresearch.stats.digits import (
    DIGIT_ALTERNATIVES,
    DigitTest,
    benford_second_digit,
    digit_test,
    forensics_power_table,
)
from kzresearch.stats.inputs import MAX_DRAW_CELLS
from kzresearch.stats.multiple_testing import adjust_pvalues
from kzresearch.stats.permutation import (
    CorrelationTest,
    GroupTest,
    correlation_test,
    exact_group_test,
    kendall_tau_exact,
)
from kzresearch.stats.power import (
    correlation_power,
    correlation_sample_size,
    detectable_correlation,
    digit_test_power,
    exact_correlation_power,
    power_table,
)
from kzresearch.stats.regression import fit_line, leave_one_out
from kzresearch.stats.trend import Trend, error_trend

__all__ = [
    "DIGIT_ALTERNATIVES",
    "MAX_DRAW_CELLS",
    "CorrelationTest",
    "DigitTest",
    "GroupTest",
    "SurveyBias",
    "Trend",
    "adjust_pvalues",
    "arzheimer_evans",
    "benford_second_digit",
    "break_even_sample_size",
    "correlation_power",
    "correlation_sample_size",
    "correlation_test",
    "detectable_correlation",
    "digit_test",
    "digit_test_power",
    "exact_correlation_power",
    "error_trend",
    "exact_group_test",
    "fit_line",
    "forensics_power_table",
    "kendall_tau_exact",
    "lead_error",
    "leave_one_out",
    "mosteller_m3",
    "mosteller_m5",
    "power_table",
    "rmse",
]
