"""The README runs as written: every ```python block executes in a fresh interpreter, and every
command line of the ``kzresearch`` command or of ``tasks.py`` in it is one the program accepts
(parsed, with notebook names and parameter values checked; nothing long is executed)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass

import pytest

from kzresearch import cli
from kzresearch.paths import PROJECT_ROOT
from kzresearch.publish import runner

README = PROJECT_ROOT / "README.md"
TASKS = ("build", "test", "lab")  # the jobs of tasks.py


@dataclass(frozen=True)
class Block:
    language: str
    line: int  # of the block's first line of code, 1-based
    code: str


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text."""
    found, language, start, lines = [], None, 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = re.match(r"^```(\w*)\s*$", line)
        if fence and language is None:
            language, start, lines = fence.group(1), number + 1, []
        elif line.strip() == "```" and language is not None:
            found.append(Block(language, start, "\n".join(lines) + "\n"))
            language = None
        elif language is not None:
            lines.append(line)
    return found


def _readme_blocks(language: str) -> list[Block]:
    return [block for block in blocks(README.read_text(encoding="utf-8")) if block.language == language]


def _command_lines() -> list[tuple[int, list[str]]]:
    """(README line, words) of every line of a ```sh block, and of every inline `…kzresearch …` span."""
    commands = []
    for block in _readme_blocks("sh"):
        for offset, line in enumerate(block.code.splitlines()):
            words = shlex.split(line, comments=True)
            if words:
                commands.append((block.line + offset, words))
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        for span in re.findall(r"`([^`]*kzresearch (?:allocate|run|verify)[^`]*)`", line):
            commands.append((number, shlex.split(span)))
    return commands


def test_the_readme_has_python_blocks_and_command_lines():
    assert len(_readme_blocks("python")) >= 2
    assert sum(words[0].endswith("kzresearch") for _, words in _command_lines()) >= 5


@pytest.mark.parametrize("block", _readme_blocks("python"), ids=lambda block: f"README.md:{block.line}")
def test_every_python_block_runs_as_written(block, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", block.code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=120,
    )
    tail = "\n".join(done.stderr.strip().splitlines()[-3:])
    assert done.returncode == 0, f"the python block at README.md line {block.line} fails:\n{tail}"


def _alternatives(words: list[str]) -> list[list[str]]:
    """A synopsis such as ``allocate [--a 1] [--b 2]`` as the commands ``allocate --a 1`` and ``allocate --b 2``
    (its options may exclude each other); a plain command as itself."""
    if not any(word.startswith("[--") for word in words):
        return [words]
    text = " ".join(words)
    options = re.findall(r"\[(--[^\]]*)\]", text)
    base = re.sub(r"\s*\[--[^\]]*\]", "", text).split()
    return [base, *(base + option.split() for option in options)]


def _check_kzresearch(words: list[str]) -> None:
    args = cli.build_parser().parse_args(words)  # raises on a command line the program refuses
    if args.command == "run" and args.notebook is not None:
        notebook = runner.find(args.notebook)
        runner.check(notebook, runner.parse([tuple(pair) for pair in args.parameter], []))


@pytest.mark.parametrize(
    ("line", "words"), _command_lines(), ids=lambda value: str(value) if isinstance(value, int) else None
)
def test_every_command_line_is_accepted(line, words):
    program, *rest = words
    if program.endswith("kzresearch"):
        for alternative in _alternatives(rest):
            try:
                _check_kzresearch(alternative)
            except Exception as error:  # noqa: BLE001 - any refusal fails the README line
                pytest.fail(f"README.md line {line}: `kzresearch {' '.join(alternative)}` is refused: {error}")
    elif program.startswith("python") and rest[:1] == ["tasks.py"]:
        assert rest[1:2] and rest[1] in TASKS, f"README.md line {line}: tasks.py has no job {rest[1:2]}"
    elif program.endswith("python") and rest[:1] == ["-m"]:
        assert rest[1].startswith("kzresearch"), f"README.md line {line}: unexpected module {rest[1]}"


def test_blocks_are_found_with_their_line_numbers():
    found = blocks("text\n```python\nx = 1\n```\n\n```sh\nls\n```\n")
    assert found == [Block("python", 3, "x = 1\n"), Block("sh", 7, "ls\n")]
