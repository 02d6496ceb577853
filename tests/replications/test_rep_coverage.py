"""Honest intervals: the 95% interval of the mean wait covers Erlang C's value about 95% of the time.

A modest version of ``experiments/ci_coverage.py`` (which records the full
study): 20 independent trials (different seeds) of 4 replications of
M/M/3 at 67% load. With fixed seeds the outcome is fixed; under an honest
95% interval, 16 or more covering trials out of 20 happen with probability
0.98, while an interval missing its ``1/sqrt(n)`` or its t quantile would
cover far less often.
"""

from __future__ import annotations

import importlib.util
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

EXPERIMENT = Path(__file__).resolve().parents[2] / "experiments" / "ci_coverage.py"


def _experiment():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("ci_coverage", EXPERIMENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_interval_covers_erlang_c_about_95_percent_of_the_time():
    experiment = _experiment()
    with ProcessPoolExecutor(2) as pool:
        trials = experiment.coverage_trials(20, 4, 6, 1.0, 2.0, 1.0, 3, executor=pool)
    summary = experiment.coverage_summary(trials)
    assert summary["covered"] >= 16, summary
    assert abs(summary["mean_of_means_h"] - summary["theory_h"]) < 0.1, summary
