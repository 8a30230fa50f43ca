"""The ``planlib`` parser builds only what a command needs, and still lists every command."""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from conftest import PARK

from planlib import cli


def _names(parser: argparse.ArgumentParser) -> set[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def _register(module) -> set[str]:
    p = argparse.ArgumentParser()
    module.register(p.add_subparsers())
    return _names(p)


def test_each_module_declares_exactly_the_commands_it_adds():
    modules = cli._command_modules()
    assert len(modules) >= 8
    seen: set[str] = set(cli._CORE)
    for module in modules:
        added = _register(module)
        assert added == set(module.COMMANDS), module.__name__
        assert not added & seen, f"{module.__name__} repeats {added & seen}"
        seen |= added


def test_a_command_builds_its_own_module_only():
    everything = _names(cli.build_parser())
    assert {"audit", "mc", "import", "report", "share", "voila", "propose"} <= everything
    assert _names(cli.build_parser("audit")) == set(cli._CORE)
    assert _names(cli.build_parser("mc")) == set(cli._CORE) | {
        "mc",
        "mc-solve",
        "sensitivity",
        "sweep",
    }
    # no command, or one nobody declares: everything, so help and the error list them all
    assert _names(cli.build_parser(None)) == everything
    assert _names(cli.build_parser("mcx")) == everything


def _main(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_help_and_a_typo_still_name_every_command():
    code, out, _ = _main("--help")
    assert code == 0
    for name in ("audit", "mc", "import", "report", "review", "rollforward", "share", "voila"):
        assert name in out
    code, _, err = _main("mcx", PARK)
    assert code == 2 and "invalid choice: 'mcx'" in err and "'rollforward'" in err


@pytest.mark.parametrize("args", [("audit", PARK), ("mc", PARK, "--runs", 2000)])
def test_commands_run_with_the_small_parser(args):
    code, out, err = _main(*args)
    assert code == 0, err
    assert "output_2025" in out or "合计" in out


def test_no_progress_bar_when_stderr_is_not_a_terminal():
    # 200,000 runs would show a bar on a terminal; captured stderr is not one
    code, _, err = _main("mc", PARK, "--runs", 200_000, "--format", "json")
    assert code == 0 and err == ""
    code, _, err = _main("mc", PARK, "--runs", 20_000, "--format", "json", "--progress")
    assert code == 0 and "20.0k" in err  # asked for: shown anyway
