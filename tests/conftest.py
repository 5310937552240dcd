"""Shared fixtures: the tidy tables, loaded once per session (tests must not modify them)."""

import os

import pytest
from hypothesis import settings

from kzresearch import data


@pytest.fixture(scope="session")
def tables():
    return data.load_tables()


# In CI every property test checks the same examples on every run (a failure can be replayed);
# elsewhere the tests that do not fix their own examples draw new ones each run, to explore.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
