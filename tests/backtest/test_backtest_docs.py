"""docs/reference/backtest.md: its examples run and print what the page shows; its option table is the parser's."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from svcsim import __version__
from svcsim.cli.backtest import OUT_FILES
from svcsim.cli.parser import build_parser

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "backtest.md"


def test_the_examples_run_and_print_what_the_page_shows():
    result = doctest.testfile(str(PAGE), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_the_page_names_every_option_and_every_file_out_writes():
    text = PAGE.read_text(encoding="utf-8")
    parser = build_parser(__version__)
    command = next(a for a in parser._subparsers._group_actions[0].choices.items() if a[0] == "backtest")[1]
    options = {s for action in command._actions for s in action.option_strings
               if s.startswith("--") and s not in ("--help", "--warmup")}
    assert options <= set(re.findall(r"--[a-z-]+", text)), options - set(re.findall(r"--[a-z-]+", text))
    for name in re.findall(r"[a-z]+\.(?:json|csv)", OUT_FILES):
        assert f"`{name}`" in text, name


def test_the_command_line_examples_say_what_the_page_says(tmp_path, monkeypatch, capsys):
    """Each ``$ svcsim ...`` line of the page, run in a folder holding ``log`` (21 days of tiny, seed 4)."""
    import shlex

    import svcsim
    from svcsim.cli import main

    svcsim.write_log(svcsim.simulate(svcsim.with_changes("tiny", {"horizon_days": 21}), seed=4).log, tmp_path / "log")
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```console\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = "".join(blocks).rstrip("\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("$ svcsim ")]
    assert len(starts) == 2
    checker = doctest.OutputChecker()
    for i, j in zip(starts, [*starts[1:], len(lines)], strict=True):
        command, *shown, status = lines[i:j]
        code = main(shlex.split(command.removeprefix("$ svcsim ")))
        captured = capsys.readouterr()
        want = "\n".join(shown) + "\n"
        assert checker.check_output(want, captured.out + captured.err, doctest.ELLIPSIS), command
        assert status == f"(exit status {code})", command
