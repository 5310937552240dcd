"""One module per notebook, named after it: the analyses behind each report, and their parameters.

=========================================  ==========================================================
:mod:`~.data_overview`                     the tidy tables, as the data-overview report shows them
:mod:`~.threshold_sensitivity`             threshold, method and house size under the Mazhilis rule
:mod:`~.poll_accuracy`                     the 2021 pre-election and exit polls against the result
:mod:`~.regional_turnout`                  regional turnout and the vote across the 17 regions
:mod:`~.persistence`                       regional turnout 2012-2023 on the 2021 borders
:mod:`~.election_day`                      the CEC snapshots through election day 2021
=========================================  ==========================================================

Each notebook module declares ``TABLES`` (the tidy tables it reads: load them with
``kzresearch.data.load_tables(TABLES)``) and ``PARAMETERS`` (its notebook's parameters).
"""
