"""Notebook parameters: declared once per notebook (:class:`Parameters`), checked by the same code in
the notebook, in ``kzresearch run`` and in the tests.

Each analysis module declares its notebook's parameters as ``PARAMETERS`` (name, type, default,
allowed range or values, help text). That one declaration gives the notebook's papermill
``parameters`` cell (:meth:`Parameters.cell`, written by the build), the notebook's check cell
(``p = PARAMETERS.read(globals())``), ``kzresearch run NOTEBOOK --help`` and the runner's check
(:meth:`Parameters.check`, before any execution). Checking creates nothing.

papermill injects parameters without checking them: ``-p x 02`` arrives as the int 2 (nothing
here can tell it from ``-p x 2``) and ``-p x "[3, 5]"`` as the string ``"[3, 5]"``. Each function
here takes the value as it arrived, returns it in its proper type, or raises
:class:`ParameterError` with a message naming the parameter and the bad value. Text is read as
typed: digits are ASCII decimal digits (``"0120"`` is 120; ``"²"`` and ``"٣"`` are not numbers),
and YAML text is read by :func:`yaml_value`, where a leading zero is not octal.
"""

from __future__ import annotations

import importlib
import math
import numbers
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kzresearch.paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SHOWN = 60  # characters of a value shown in a message


class ParameterError(ValueError):
    """A notebook parameter has a bad value."""


def show(value: object) -> str:
    """``repr(value)``, shortened to about 60 characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 10]}...{text[-7:]} ({len(text)} characters)"


def _fail(name: str, value: object, expected: str) -> ParameterError:
    return ParameterError(f"parameter {name!r}: {show(value)} is not {expected}")


# -- YAML as typed -------------------------------------------------------------------------------

_INT_TAG, _FLOAT_TAG, _BOOL_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"
_REPLACED_TAGS = (_INT_TAG, _FLOAT_TAG, _BOOL_TAG, "tag:yaml.org,2002:timestamp")


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with the plain scalars of YAML 1.2's core schema instead of YAML 1.1's."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT_TAG, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
_Loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _decimal_int(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    text = loader.construct_scalar(node)
    try:
        return int(text, 10)
    except ValueError:  # more digits than Python converts: left as typed, for the checks to refuse
        return text


_Loader.add_constructor(_INT_TAG, _decimal_int)


def yaml_value(text: str) -> object:
    """``text`` read as YAML, each plain value as typed (YAML 1.2's core schema): ``0120`` and ``010`` are
    the decimal numbers 120 and 10 (YAML 1.1 reads them as octal 80 and 8), ``22:00`` is a string (not
    the base-60 number 1320), ``yes``/``no``/``on``/``off`` are strings (only ``true``/``false`` are
    booleans), ``1e3`` is the float 1000.0, dates stay strings, and ``0x1F``, ``0b11`` and ``1_000`` are
    strings, so a check refuses them by name. Only plain data: a tag such as ``!!python/object`` is an
    error. Raises :class:`yaml.YAMLError` (also for nesting too deep to read)."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise yaml.YAMLError("the value is nested too deeply") from None


# -- the checks ----------------------------------------------------------------------------------


def _range(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise _fail(name, value, f"in the range [{minimum}, {maximum}]")
    if minimum is not None and value < minimum:
        raise _fail(name, value, f"at least {minimum}")
    if maximum is not None and value > maximum:
        raise _fail(name, value, f"at most {maximum}")


def boolean(value: object, *, name: str) -> bool:
    """``True``/``False``, or the strings 'true'/'false' (any case, spaces around allowed); nothing else
    (not 1, 'yes' or None)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _fail(name, value, "a boolean (True or False)")


def integer(value: object, *, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer within [minimum, maximum]: a Python or numpy integer, or a string of ASCII digits with an
    optional sign and spaces around (read in base 10: '0120' is 120). A float (even 3.0), a bool, other
    digits ('²') or other text is refused."""
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        try:
            value = int(value.strip())
        except ValueError:  # more than Python's 4300 digits
            raise _fail(name, value, "an integer of a usable size") from None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail(name, value, "an integer")
    value = int(value)
    _range(name, value, minimum, maximum)
    return value


def number(value: object, *, name: str, minimum: float | None = None, maximum: float | None = None) -> float:
    """A finite number within [minimum, maximum]: a Python or numpy integer, a Python float, or a string
    written in ASCII decimals ('0.95', '.5', '1e-3', ' 7 '). NaN, infinities, numbers beyond a float's
    range, bools, numpy's float32 (it does not mean what it prints) and other text are refused.
    An integer is returned as an int, anything else as a float."""
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value.strip()):
            raise _fail(name, value, "a number")
        value = float(value.strip())  # 1e999 becomes inf, refused below
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, float)):
        raise _fail(name, value, "a number")
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int beyond a float's range
        finite = False
    if not finite:
        raise _fail(name, value, "a finite number")
    _range(name, value, minimum, maximum)
    return value


def choice(value: object, *, name: str, choices: Sequence[str]) -> str:
    """One of ``choices``, exactly as written there."""
    if not isinstance(value, str) or value not in choices:
        raise _fail(name, value, "one of " + ", ".join(repr(c) for c in choices))
    return value


def number_list(value: object, *, name: str, minimum: float | None = None, maximum: float | None = None) -> list[float]:
    """A non-empty list of numbers, each checked by :func:`number` (its message names the item, e.g.
    ``thresholds_pct[1]``); a string such as ``"[3, 5]"`` (papermill's ``-p``) is read by :func:`yaml_value`."""
    if isinstance(value, str):
        try:
            value = yaml_value(value)
        except yaml.YAMLError:
            raise _fail(name, value, "a list of numbers such as [3, 5]") from None
    if not isinstance(value, (list, tuple)) or not value:
        raise _fail(name, value, "a non-empty list of numbers such as [3, 5]")
    return [number(v, name=f"{name}[{i}]", minimum=minimum, maximum=maximum) for i, v in enumerate(value)]


# -- output folders ------------------------------------------------------------------------------


def project_folder(path: Path) -> str | None:
    """The project's own folder that writing into ``path`` would overwrite, or ``None``.

    Protected are the project's root, ``reports/``, ``notebooks/`` and ``data/`` themselves (the
    committed reports, notebooks and data sit there) and anything inside ``notebooks/``, ``data/``,
    ``kzresearch/`` or ``tests/``. Folders of one's own, also inside the project (as
    ``reports/runs/NAME``), are fine. ``path`` is resolved first (``..`` and links followed)."""
    path = Path(path).expanduser().resolve()
    inside = (NOTEBOOKS_DIR, DATA_DIR, PROJECT_ROOT / "kzresearch", PROJECT_ROOT / "tests")
    for folder in (PROJECT_ROOT, REPORTS_DIR, *inside):
        if path == folder or folder in inside and folder in path.parents:
            return "the project's root" if folder == PROJECT_ROOT else f"{folder.relative_to(PROJECT_ROOT).as_posix()}/"
    return None


def output_dir(value: object, *, name: str = "output_dir") -> Path | None:
    """The folder for a notebook's CSV tables, checked, with nothing created: ``None`` or ``''`` writes no
    files; otherwise a path, given as a string or a Path (a number, list or boolean is refused, not
    turned into a folder name such as ``5``). A relative path is relative to the kernel's working
    directory: the folder papermill was started in (or its ``--cwd``); ``kzresearch run`` makes it
    absolute from the folder the command was typed in. Refused: a path naming an existing file, and
    the project's own folders (:func:`project_folder`), as for ``kzresearch run -o``.

    The folder is created by the cell that writes the tables (``output_dir.mkdir(parents=True,
    exist_ok=True)``), so a run stopped by a bad parameter leaves nothing behind."""
    if value is None or value == "":
        return None
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise _fail(name, value, "a directory path (a string) or None")
    try:
        path = Path(value).expanduser()
        protected = project_folder(path)
        is_file = path.exists() and not path.is_dir()
    except (OSError, ValueError, RuntimeError) as error:  # a NUL byte, a name too long, an unknown ~user
        raise _fail(name, str(value), f"a usable directory path ({error})") from None
    if is_file:
        raise _fail(name, str(value), "a directory (a file of that name exists)")
    if protected is not None:
        raise ParameterError(
            f"parameter {name!r}: {show(str(value))} would overwrite the project's own files ({protected}); "
            "choose a folder of your own"
        )
    return path


# -- declarations --------------------------------------------------------------------------------

#: The parameter types a declaration knows, with the annotation written in the notebook's cell.
TYPES = {
    "bool": "bool",
    "int": "int",
    "float": "float",
    "str": "str",
    "list[float]": "list[float]",
    "list[str]": "list[str]",
    "path": "str",
}


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter: its name, type (one of :data:`TYPES`), default, help text and allowed
    values (``minimum``/``maximum`` for numbers, ``choices`` for text). ``convert`` replaces the
    type's check when the allowed values come from the data: ``convert(value, name=, tables=)``
    returns the value in its proper type or raises :class:`ParameterError`."""

    name: str
    type: str
    default: object
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    convert: Callable[..., object] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"parameter {self.name!r}: unknown type {self.type!r}; the types are {', '.join(TYPES)}")

    def check(self, value: object, *, tables: Mapping | None = None) -> object:
        """``value`` as it arrived, checked and in its proper type."""
        name, low, high = self.name, self.minimum, self.maximum
        if self.convert is not None:
            return self.convert(value, name=name, tables=tables)
        if self.type == "bool":
            return boolean(value, name=name)
        if self.type == "int":
            return integer(value, name=name, minimum=low, maximum=high)
        if self.type == "float":
            return number(value, name=name, minimum=low, maximum=high)
        if self.type == "list[float]":
            return number_list(value, name=name, minimum=low, maximum=high)
        if self.type == "path":
            return output_dir(value, name=name)
        if self.choices is not None:
            return choice(value, name=name, choices=self.choices)
        if not isinstance(value, str):
            raise _fail(name, value, "a string")
        return value

    def line(self) -> str:
        """This parameter's line in the notebook's ``parameters`` cell: ``name: type = default  # help``."""
        return f"{self.name}: {TYPES[self.type]} = {self.default!r}  # {self.help}"

    def allowed(self) -> str:
        """The allowed values in words, for ``--help`` ('' when the help text says it all)."""
        if self.choices is not None:
            return "one of " + ", ".join(self.choices)
        if self.minimum is not None and self.maximum is not None:
            return f"from {self.minimum:,} to {self.maximum:,}"
        if self.minimum is not None:
            return f"at least {self.minimum:,}"
        if self.maximum is not None:
            return f"at most {self.maximum:,}"
        return ""


class Values(Mapping):
    """Checked parameter values, read as ``p.seats`` or ``p["seats"]``."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __getattr__(self, name: str) -> object:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return "Values(" + ", ".join(f"{k}={v!r}" for k, v in self._values.items()) + ")"


@dataclass(frozen=True)
class Parameters:
    """A notebook's parameters. ``tables`` are the tidy tables a check reads (loaded by
    :meth:`check` when not given); ``relations(values, tables)`` checks what one parameter allows
    of another and raises :class:`ParameterError`.

    >>> demo = Parameters("demo", (Parameter("seats", "int", 98, "house size", minimum=1),))
    >>> demo.check({"seats": "120"})
    Values(seats=120)
    >>> demo.check({"seats": 0})
    Traceback (most recent call last):
    ...
    kzresearch.publish.parameters.ParameterError: parameter 'seats': 0 is not at least 1
    >>> print(demo.cell())
    seats: int = 98  # house size
    """

    notebook: str
    items: tuple[Parameter, ...]
    tables: tuple[str, ...] = ()
    relations: Callable[[Values, Mapping], None] | None = field(default=None, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.items)

    def __getitem__(self, name: str) -> Parameter:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(name)

    def defaults(self) -> dict[str, object]:
        return {item.name: item.default for item in self.items}

    def unknown(self, values: Mapping[str, object]) -> list[str]:
        """The names in ``values`` that are not parameters of this notebook."""
        return [name for name in values if name not in self.names]

    def check(self, values: Mapping[str, object], *, tables: Mapping | None = None) -> Values:
        """Every parameter, from ``values`` or its default, checked in declaration order, then their
        relations; the first bad one raises :class:`ParameterError` naming it and its value."""
        unknown = self.unknown(values)
        if unknown:
            raise ParameterError(f"unknown parameter {show(unknown[0])}; the parameters are: {', '.join(self.names)}")
        if tables is None and self.tables:
            from kzresearch import data

            tables = data.load_tables(self.tables)
        merged = {**self.defaults(), **values}
        checked = Values({item.name: item.check(merged[item.name], tables=tables) for item in self.items})
        if self.relations is not None:
            self.relations(checked, tables)
        return checked

    def read(self, namespace: Mapping[str, object], *, tables: Mapping | None = None) -> Values:
        """The parameters as the notebook's namespace holds them (after papermill's injection), checked:
        the notebook's check cell is ``p = PARAMETERS.read(globals())``."""
        return self.check({name: namespace[name] for name in self.names if name in namespace}, tables=tables)

    def cell(self) -> str:
        """The source of the notebook's papermill ``parameters`` cell."""
        return "\n".join(item.line() for item in self.items)

    def help_text(self) -> str:
        """One paragraph per parameter, for ``kzresearch run NOTEBOOK --help``."""
        lines = []
        for item in self.items:
            allowed = item.allowed()
            lines.append(f"  {item.name} ({item.type}, default {item.default!r}{'; ' + allowed if allowed else ''})")
            lines.append(f"      {item.help}")
        return "\n".join(lines)


def declaration(notebook: str) -> Parameters:
    """The parameters of the notebook ``notebook`` (its file stem): ``PARAMETERS`` of the analysis
    module of the same name, :mod:`kzresearch.analyses.<notebook>`."""
    module = importlib.import_module(f"kzresearch.analyses.{notebook}")
    return module.PARAMETERS
