"""Confidence intervals, replications needed, paired differences and MSER-5, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from svcsim.replications import (
    Comparison,
    Replications,
    confidence_table,
    replications_for,
    suggest_warmup,
)


def _tidy(values: dict[str, list[float]], scenario: str = "x") -> pd.DataFrame:
    rows = [{"scenario": scenario, "scenario_hash": scenario, "seed": 0, "replication": r, "days": 1,
             "warmup_days": 0.0, "metric": m, "kind": m, "subject": "", "value": v}
            for m, vs in values.items() for r, v in enumerate(vs)]
    return pd.DataFrame(rows)


def _reps(values: dict[str, list[float]], scenario: str = "x") -> Replications:
    return Replications(results=_tidy(values, scenario), scenario=scenario, scenario_hash=scenario, seed=0,
                        replications=len(next(iter(values.values()))), days=1, warmup_days=0.0)


def test_the_t_interval_by_hand():
    """1..5: mean 3, s = sqrt(2.5), half-width t(0.975, 4) * s / sqrt(5) = 1.9632."""
    table = confidence_table(_tidy({"m": [1.0, 2.0, 3.0, 4.0, 5.0]}))
    row = table.iloc[0]
    assert row["n"] == 5 and row["mean"] == 3.0 and row["std"] == pytest.approx(math.sqrt(2.5))
    assert row["half_width"] == pytest.approx(2.776445 * math.sqrt(2.5) / math.sqrt(5), rel=1e-6)
    assert row["ci_low"] == pytest.approx(3 - row["half_width"]) and row["ci_high"] == pytest.approx(3 + row["half_width"])


def test_nan_replications_are_left_out_of_n():
    table = confidence_table(_tidy({"m": [1.0, float("nan"), 3.0]})).iloc[0]
    assert table["n"] == 2 and table["mean"] == 2.0


def test_replications_needed_for_a_half_width():
    """The smallest n with t(n-1) s / sqrt(n) <= h, found here by brute force."""
    for s, h in [(1.0, 0.5), (10.0, 1.0), (3.0, 2.5)]:
        n = 2
        while stats.t.ppf(0.975, n - 1) * s / math.sqrt(n) > h:
            n += 1
        assert replications_for(s, h) == n


def test_paired_differences_on_common_random_numbers():
    """B = A + 1 + small noise: the paired interval is tight, the unpaired one wide, the reduction near 100%."""
    rng = np.random.default_rng([99, 0, 0])
    a = rng.normal(50, 10, 20)
    b = a + 1 + rng.normal(0, 0.1, 20)
    table = Comparison(a=_reps({"wait": list(a)}, "a"), b=_reps({"wait": list(b)}, "b")).summary().iloc[0]
    d = b - a
    assert table["difference"] == pytest.approx(d.mean())
    assert table["half_width"] == pytest.approx(stats.t.ppf(0.975, 19) * d.std(ddof=1) / math.sqrt(20))
    assert table["independent_half_width"] == pytest.approx(stats.t.ppf(0.975, 19) * math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 20))
    assert table["variance_reduction_pct"] == pytest.approx(100 * (1 - d.var(ddof=1) / (a.var(ddof=1) + b.var(ddof=1))))
    assert table["variance_reduction_pct"] > 99 and table["ci_low"] < 1 < table["ci_high"]


def test_mser5_cuts_a_transient_and_keeps_a_steady_series():
    rng = np.random.default_rng([98, 0, 0])
    steady = rng.normal(1.0, 0.1, 400)
    transient = steady - 3.0 * np.exp(-np.arange(400) / 15.0)
    cut = suggest_warmup(transient)
    assert 25 <= cut <= 120 and cut % 5 == 0
    assert suggest_warmup(steady) <= 25
    labelled = pd.Series(transient, index=range(100, 500))
    assert suggest_warmup(labelled) == 100 + cut


def test_an_interval_stays_inside_the_values_the_metric_can_take():
    """Attainments 99, 100, 100, 100: mean + h passes 100 %; the end is cut at 100, the half-width is kept."""
    tidy = _tidy({"attainment_pct": [99.0, 100.0, 100.0, 100.0], "answer_wait_p90_h": [0.0, 0.0, 0.0, 0.004],
                  "difference": [-1.0, 0.0, 0.0, 0.0]})
    table = confidence_table(tidy).set_index("kind")
    half = stats.t.ppf(0.975, 3) * 0.5 / 2
    assert table.loc["attainment_pct", "half_width"] == pytest.approx(half)
    assert table.loc["attainment_pct", "ci_high"] == 100.0
    assert table.loc["attainment_pct", "ci_low"] == pytest.approx(99.75 - half)
    assert table.loc["answer_wait_p90_h", "ci_low"] == 0.0 and table.loc["answer_wait_p90_h", "ci_high"] > 0.001
    assert table.loc["difference", "ci_low"] == pytest.approx(-0.25 - half)  # an unbounded kind is not cut
