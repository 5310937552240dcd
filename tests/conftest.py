"""Shared fixtures: the tidy tables, loaded once per session (tests must not modify them)."""

import pytest

from kzresearch import data


@pytest.fixture(scope="session")
def tables():
    return data.load_all()
