"""Checks for notebook parameters, called in the cell after the papermill ``parameters`` cell.

papermill injects parameters without checking them: ``-p x 02`` arrives as the int 2 and
``-p x "[3, 5]"`` as the string ``"[3, 5]"``. Each function here takes the value as it arrived,
returns it in its proper type, or raises :class:`ParameterError` with a message naming the
parameter and the bad value.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml


class ParameterError(ValueError):
    """A notebook parameter has a bad value."""


def _fail(name: str, value: object, expected: str) -> ParameterError:
    return ParameterError(f"parameter {name!r}: {value!r} is not {expected}")


def boolean(value: object, *, name: str) -> bool:
    """``True``/``False``, or the strings 'true'/'false' (any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _fail(name, value, "a boolean (True or False)")


def integer(value: object, *, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer within [minimum, maximum]; a string of digits is accepted, a float or bool is not."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, value, "an integer")
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise _fail(name, value, f"in the range [{minimum}, {maximum}]")
    return value


def number(value: object, *, name: str, minimum: float | None = None, maximum: float | None = None) -> float:
    """A finite number within [minimum, maximum]."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise _fail(name, value, "a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise _fail(name, value, "a number")
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise _fail(name, value, f"in the range [{minimum}, {maximum}]")
    return value


def choice(value: object, *, name: str, choices: Sequence[str]) -> str:
    """One of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise _fail(name, value, "one of " + ", ".join(repr(c) for c in choices))
    return value


def number_list(value: object, *, name: str, minimum: float | None = None, maximum: float | None = None) -> list[float]:
    """A non-empty list of numbers; a string such as ``"[3, 5]"`` (papermill's ``-p``) is parsed as YAML."""
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            raise _fail(name, value, "a list of numbers such as [3, 5]") from None
    if not isinstance(value, (list, tuple)) or not value:
        raise _fail(name, value, "a non-empty list of numbers such as [3, 5]")
    return [number(v, name=f"{name}[{i}]", minimum=minimum, maximum=maximum) for i, v in enumerate(value)]


def output_dir(value: object, *, name: str = "output_dir") -> Path | None:
    """``None`` (write no files) or a directory path, created if missing."""
    if value is None or value == "":
        return None
    if not isinstance(value, (str, Path)):
        raise _fail(name, value, "a directory path or None")
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise _fail(name, str(value), "a directory (a file of that name exists)")
    path.mkdir(parents=True, exist_ok=True)
    return path
