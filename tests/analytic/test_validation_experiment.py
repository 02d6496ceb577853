"""The validation experiment's machinery works: a small point agrees, and --quick writes its table.

``experiments/erlang_validation.py`` compares simulation with Erlang C and
Erlang A across loads (docs/explanation/validation.md). Here one small point
of each model is simulated and the formula must lie inside the simulation's
95 % t-interval (fixed seed, so the verdict is reproducible), and the
script's ``--quick`` mode must write its CSV and markdown tables.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "experiments" / "erlang_validation.py"


@pytest.fixture(scope="module")
def experiment():
    spec = importlib.util.spec_from_file_location("erlang_validation", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["erlang_validation"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("model", "servers", "load"), [("erlang_c", 2, 0.6), ("erlang_a", 2, 1.1)])
def test_formula_lies_in_the_simulated_interval(experiment, model, servers, load):
    """At a small point, every metric's formula value is inside the 95 % interval of 8 replications."""
    table = experiment.validate_point(experiment.Point(model, servers, load), replications=8, calls=4_000, seed=3)
    assert set(table["metric"]) == set(experiment.METRICS[model])
    assert (table["censored"] == 0).all()
    assert (table["half_width"] < 0.1 * table["simulated"].abs().clip(lower=0.05)).all(), table
    outside = table[~table["inside"]]
    assert outside.empty, outside[["metric", "formula", "simulated", "half_width"]].to_string()


def test_mean_wait_is_in_hours_like_the_rates(experiment):
    """The simulated mean wait is compared in the formula's unit (hours): M/M/1 at rho 0.5 waits 1/mu."""
    point = experiment.Point("erlang_c", 1, 0.5)
    assert experiment.formula(point)["mean_wait"] == pytest.approx(1.0 / experiment.HANDLE_RATE)


def test_quick_mode_writes_its_table(experiment, tmp_path, capsys):
    """``--quick`` runs in seconds and writes the CSV and markdown tables under --out."""
    experiment.main(["--quick", "--out", str(tmp_path)])
    table = pd.read_csv(tmp_path / "tables" / "erlang_validation_quick.csv")
    assert {"model", "servers", "load", "metric", "formula", "simulated", "half_width", "inside"} <= set(table.columns)
    assert set(table["model"]) == {"erlang_c", "erlang_a"}
    assert (tmp_path / "tables" / "erlang_validation_quick.md").read_text().startswith("| model |")
    assert "command: python experiments/erlang_validation.py --quick" in capsys.readouterr().out
