"""Identifiers shared by the data modules: the sources and the elections."""

ARTICLE = "wikipedia-tr"
TURNOUT = "cec-turnout"
PROTOCOL = "cec-protocol-2021"
E2021, E2016 = "mazhilis-2021", "mazhilis-2016"
