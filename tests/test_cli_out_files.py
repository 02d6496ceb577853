"""Every command's ``--out`` help names the files it writes, and it writes no file its help does not name."""

from __future__ import annotations

import re

import pytest

from svcsim import __version__
from svcsim.cli import main
from svcsim.cli.parser import build_parser

FILE_NAME = re.compile(r"\b[\w.-]+\.(?:csv|parquet|json|toml|png|html)\b")


def _out_help(command: str) -> str:
    parser = build_parser(__version__)
    sub = next(a for a in parser._actions if a.dest == "command")
    action = next(a for a in sub.choices[command]._actions if "--out" in a.option_strings)
    return action.help


RUNS = {
    "check": ["check", "--top", "1"],
    "run": ["run", "tiny", "--days", "2", "--quiet"],
    "run --replications": ["run", "tiny", "--days", "2", "--replications", "2", "--no-cache", "--quiet"],
    "compare": ["compare", "tiny", "tiny", "--days", "2", "--replications", "2", "--no-cache", "--quiet"],
    "sweep": ["sweep", "tiny", "--set", "staffing.field_engineers.count=2,3", "--days", "2", "--replications", "2",
              "--no-cache", "--quiet"],
    "sweep --metric": ["sweep", "tiny", "--set", "staffing.field_engineers.count=2,3", "--days", "2",
                       "--replications", "2", "--no-cache", "--quiet", "--metric", "utilisation_pct"],
}


@pytest.mark.parametrize("name", RUNS)
def test_out_writes_only_the_files_its_help_names(name, tmp_path, capsys):
    argv = RUNS[name]
    help_text = _out_help(argv[0])
    named = set(FILE_NAME.findall(help_text))
    assert main([*argv, "--out", str(tmp_path)]) == 0
    written = {path.name for path in tmp_path.iterdir()}
    assert written, "the command wrote nothing"
    figures = {f for f in written if f.endswith(".png") and f != "attainment.png"}
    if figures:  # KIND.png: the help names the pattern, not each kind
        assert "KIND.png" in help_text
    assert written - figures <= named, f"{name} --out wrote {sorted(written - figures - named)}, its help names {sorted(named)}"


def test_every_out_help_names_its_files():
    parser = build_parser(__version__)
    sub = next(a for a in parser._actions if a.dest == "command")
    for command, subparser in sub.choices.items():
        for action in subparser._actions:
            if "--out" in action.option_strings:
                assert FILE_NAME.search(action.help), f"svcsim {command} --out does not name its files: {action.help!r}"
