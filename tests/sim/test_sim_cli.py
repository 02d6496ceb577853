"""`svcsim run` and `svcsim scenario`, through their handlers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from svcsim import __version__
from svcsim.cli.parser import build_parser
from svcsim.errors import InputError


def _parse(argv):
    return build_parser(__version__).parse_args(argv)


def _call(argv):
    args = _parse(argv)
    return args.handler(args)


def test_run_prints_targets_and_utilisation_and_writes_tables(tmp_path, capsys):
    assert _call(["run", "tiny", "--days", "3", "--seed", "4", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "dispatch-4h" in captured.out and "attainment" in captured.out
    assert "field_engineers" in captured.out and "Utilisation" in captured.out
    assert "3/3 days" in captured.err and "\r" not in captured.err  # a captured stream gets the finished line only
    for name in ("events.parquet", "cases.parquet", "results.parquet", "summary.csv"):
        assert (tmp_path / name).exists()
    events = pd.read_parquet(tmp_path / "events.parquet")
    assert str(events["timestamp"].dt.tz) == "UTC"


def test_run_defaults_to_baseline():
    args = _parse(["run"])
    assert args.scenario == "baseline" and args.seed == 0


def test_run_mistakes_are_input_errors(tmp_path):
    with pytest.raises(InputError):
        _call(["run", "no-such-scenario", "--quiet"])
    with pytest.raises(InputError):
        _call(["run", "tiny", "--days", "0", "--quiet"])
    bad = tmp_path / "bad.toml"
    bad.write_text("[staffing.operators]\ncount = 'many'\n")
    with pytest.raises(InputError, match="staffing.operators.count"):
        _call(["run", str(bad), "--quiet"])


def test_scenario_list_show_schema(capsys):
    assert _call(["scenario", "list"]) == 0
    assert "baseline" in capsys.readouterr().out
    assert _call(["scenario", "show", "tiny"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["name"] == "tiny" and shown["staffing"]["operators"]["count"] == 2
    assert _call(["scenario", "schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "svcsim scenario"
