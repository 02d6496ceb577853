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
