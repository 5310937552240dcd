"""A new user's first hour: ``tasks.py lab`` works as root, set-up and builds say what they do, and a
notebook that runs without error prints no kernel warnings or ERROR lines."""

from __future__ import annotations

import asyncio
import importlib.util

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from kzresearch.paths import PROJECT_ROOT
from kzresearch.publish import notebooks


def _tasks():
    spec = importlib.util.spec_from_file_location("tasks", PROJECT_ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("uid", "allowed"), [(0, True), (1000, False)])
def test_lab_passes_allow_root_only_as_root(monkeypatch, uid, allowed):
    tasks = _tasks()
    monkeypatch.setattr(tasks.os, "geteuid", lambda: uid)
    command = [str(word) for word in tasks._lab_command()]
    assert command[1:3] == ["lab", f"--ServerApp.root_dir={PROJECT_ROOT / 'notebooks'}"]
    assert ("--allow-root" in command) is allowed


def test_set_up_announces_and_times_its_steps(capsys):
    tasks = _tasks()
    tasks._step("installing something", lambda: None)
    assert capsys.readouterr().out.splitlines() == ["installing something ...", "  done in 0 s"]


def test_the_kernel_is_not_interrupted_to_shut_it_down():
    manager = notebooks.KernelManager(kernel_name=notebooks.KERNEL)
    with pytest.raises(RuntimeError, match="No kernel is running"):  # an ordinary interrupt still goes through
        asyncio.run(manager.interrupt_kernel())
    manager.shutting_down = True
    assert asyncio.run(manager.interrupt_kernel()) is None


def test_a_successful_execution_prints_no_kernel_noise(tmp_path, capfd):
    path = tmp_path / "quiet.ipynb"
    nbformat.write(
        new_notebook(
            cells=[new_code_cell("x = 1"), new_code_cell("print(x + 1)")],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        path,
    )
    for _ in range(3):  # the SIGINT before shutdown was logged as ERROR only now and then
        executed = notebooks.execute(path)
    assert executed.cells[1].outputs[0]["text"] == "2\n"
    err = capfd.readouterr().err
    assert "ERROR" not in err and "without encryption" not in err, err


def test_a_failing_cell_still_fails_the_execution(tmp_path):
    import papermill

    path = tmp_path / "broken.ipynb"
    nbformat.write(
        new_notebook(
            cells=[new_code_cell("1 / 0")],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        path,
    )
    with pytest.raises(papermill.PapermillExecutionError, match="ZeroDivisionError"):
        notebooks.execute(path)
