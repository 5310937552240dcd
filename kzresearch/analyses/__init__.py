"""One module per notebook, named after it: the analyses behind each report, and their parameters.

=========================================  ==========================================================
:mod:`~.data_overview`                     the tidy tables, as the data-overview report shows them
:mod:`~.mazhilis_series`                   the Mazhilis elections 2004-2023: indices, rules, seats and votes
:mod:`~.threshold_sensitivity`             threshold, method and house size under the Mazhilis rule
:mod:`~.poll_accuracy`                     the 2021 pre-election and exit polls against the result
:mod:`~.regional_turnout`                  regional turnout and the vote across the 17 regions
=========================================  ==========================================================

Beside them, what a report needs that is not its analysis: ``election_day`` and ``persistence``
(parts of the regional analysis), and each report's phrases, display tables and figures
(``threshold_report``, ``threshold_margins``, ``threshold_noise``, ``threshold_robustness``, ``threshold_figures``, ``poll_phrases``,
``poll_sampling``, ``poll_exhibits``, ``regional_report``, ``regional_tables``, ``regional_figures``).

Each notebook module declares ``TABLES`` (the tidy tables it reads: load them with
``kzresearch.data.load_tables(TABLES)``), ``PARAMETERS`` (its notebook's parameters) and
``REFERENCES`` (the works its report cites).
"""
