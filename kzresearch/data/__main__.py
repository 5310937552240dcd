"""python -m kzresearch.data: rederive data/tidy and data/README.md from data/raw."""

from kzresearch.data import build

build()
