"""The spares store against inventory theory, measured from the event log only.

`single_part` is Palm's theorem case: Poisson demand on one part, each demand
sending a unit into resupply at once, unlimited resupply capacity. The number
of units in resupply is then Poisson with mean lambda * T whatever the shape
of the resupply time, so the fill rate, the expected backorders and the
expected stock on hand must agree with `svcsim.analytic.palm` within 99%
confidence intervals over independent replications, for exponential,
deterministic and heavy-tailed lognormal resupply alike. The items at the
supplier for longer than d days must average lambda * E[(R - d)+]
(`svcsim.analytic.vendor_aging`). A warm-up of several resupply times is left
out (the store starts full with nothing in resupply).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from svcsim import simulate
from svcsim.analytic import palm, vendor_aging
from svcsim.errors import InputError
from svcsim.scenarios import single_part

REPLICATIONS = 10
LEVEL = 0.99


def _times(run, activity: str) -> np.ndarray:
    """Days since the start of each ``activity`` event."""
    events = run.events
    ts = events.loc[events["activity"] == activity, "timestamp"]
    return ((ts - run.start.tz_convert("UTC")) / pd.Timedelta(days=1)).to_numpy(dtype=float)


def _measures(run, stock: int, warmup: float) -> tuple[float, float, float]:
    """Fill rate of demands after ``warmup``, time-average backorders and on hand after it."""
    events = run.events
    requested = events[events["activity"] == "part_requested"]
    waited = set(events.loc[events["activity"] == "waiting_parts", "case_id"].astype(str))
    late = ((requested["timestamp"] - run.start.tz_convert("UTC")) / pd.Timedelta(days=1)).to_numpy() >= warmup
    cases = requested["case_id"].astype(str).to_numpy()[late]
    fill = 1.0 - float(np.isin(cases, list(waited)).mean())
    # units in resupply X(t): items sent minus items back, as a step function of time
    sent, back = _times(run, "sent_to_vendor"), _times(run, "returned_from_vendor")
    moments = np.concatenate([sent, back])
    steps = np.concatenate([np.ones(sent.size), -np.ones(back.size)])
    order = np.argsort(moments, kind="stable")
    moments, level = moments[order], np.cumsum(steps[order])
    end = float(run.days)
    keep = moments >= warmup
    start_level = level[~keep][-1] if (~keep).any() else 0.0
    t = np.concatenate([[warmup], moments[keep]])
    x = np.concatenate([[start_level], level[keep]])
    width = np.diff(np.append(t, end))
    backorders = float(np.sum(np.maximum(x - stock, 0.0) * width) / (end - warmup))
    on_hand = float(np.sum(np.maximum(stock - x, 0.0) * width) / (end - warmup))
    return fill, backorders, on_hand


def _within(values: list[float], expected: float) -> tuple[bool, str]:
    mean = float(np.mean(values))
    n = len(values)
    half = scipy.stats.t.ppf(0.5 + LEVEL / 2, n - 1) * float(np.std(values, ddof=1)) / math.sqrt(n)
    return abs(mean - expected) <= max(half, 1e-12), f"simulated {mean:.4f} +- {half:.4f}, Palm {expected:.4f}"


POINTS = [  # demand per day, mean resupply days, stock: pipelines of 10, 5 and 8 units
    (2.0, 5.0, 12),
    (0.5, 10.0, 5),
    (4.0, 2.0, 6),
]
SHAPES = [("exponential", 1.0), ("lognormal", 2.0)]


@pytest.mark.parametrize(("shape", "cv"), SHAPES)
@pytest.mark.parametrize(("lam", "mean", "stock"), POINTS)
def test_single_part_agrees_with_palm(lam, mean, stock, shape, cv):
    """Fill rate, expected backorders and expected on hand match Palm's theorem, whatever the shape."""
    theory = palm(lam, mean, stock)
    warmup = 8.0 * mean
    days = int(warmup + 1200.0 / lam)
    fill, ebo, on_hand = [], [], []
    for rep in range(REPLICATIONS):
        run = simulate(single_part(lam, mean, stock, shape, cv=cv), seed=21, replication=rep, days=days)
        f, b, h = _measures(run, stock, warmup)
        fill.append(f)
        ebo.append(b)
        on_hand.append(h)
    for name, values, expected in (("fill rate", fill, theory.fill_rate),
                                   ("backorders", ebo, theory.expected_backorders),
                                   ("on hand", on_hand, theory.expected_on_hand)):
        ok, text = _within(values, float(expected))
        assert ok, f"{name} ({shape}): {text}"


@pytest.mark.slow
def test_deterministic_resupply_agrees_with_palm_too():
    """A constant resupply time gives the same fill rate as an exponential one (Palm)."""
    lam, mean, stock = 2.0, 5.0, 11
    theory = palm(lam, mean, stock)
    fill = []
    for rep in range(REPLICATIONS):
        run = simulate(single_part(lam, mean, stock, "deterministic"), seed=5, replication=rep, days=800)
        fill.append(_measures(run, stock, 40.0)[0])
    ok, text = _within(fill, float(theory.fill_rate))
    assert ok, text


def test_items_at_the_vendor_longer_than_d_days_agree_with_vendor_aging():
    """The number of items out longer than d days averages lambda * E[(R - d)+] (M/G/infinity)."""
    lam, mean, cv = 2.0, 8.0, 1.5
    scenario = single_part(lam, mean, 1000, "lognormal", cv=cv)
    turnaround = scipy.stats.lognorm(s=scenario.resupply.params["s"], scale=scenario.resupply.params["scale"])
    ages = np.array([3.0, 7.0, 15.0, 30.0])
    expected = vendor_aging(lam, turnaround, ages)
    warmup, days = 200.0, 1000
    counts = []
    for rep in range(8):
        run = simulate(scenario, seed=3, replication=rep, days=days)
        events = run.events.assign(case_id=run.events["case_id"].astype(str),
                                   day=(run.events["timestamp"] - run.start.tz_convert("UTC")) / pd.Timedelta(days=1))
        sent = events[events["activity"] == "sent_to_vendor"].set_index("case_id")["day"]
        back = events[events["activity"] == "returned_from_vendor"].set_index("case_id")["day"]
        out_until = back.reindex(sent.index).fillna(np.inf).to_numpy()
        samples = np.arange(warmup, days, 1.0)[:, None]
        counts.append([float(((sent.to_numpy() <= samples - d) & (out_until > samples)).sum(axis=1).mean())
                       for d in ages])
    counts = np.array(counts)
    for j, d in enumerate(ages):
        ok, text = _within(counts[:, j].tolist(), float(expected[j]))
        assert ok, f"older than {d:g} days: {text}"


def test_single_part_logs_every_demand_on_the_same_store():
    """Each demand: part_requested, then part_issued or waiting_parts (later parts_received, part_issued)."""
    run = simulate(single_part(3.0, 4.0, 8), seed=1, days=120, stock_trace=True)
    ev = run.events.assign(case_id=run.events["case_id"].astype(str), activity=run.events["activity"].astype(str))
    tickets = ev[ev["case_id"].str.startswith("T")]
    counts = tickets.groupby(["case_id", "activity"]).size().unstack(fill_value=0)
    assert (counts["part_requested"] == 1).all()
    waited = counts["waiting_parts"] == 1
    assert waited.any() and (~waited).any()
    assert (counts["parts_received"] <= counts["waiting_parts"]).all()
    assert (counts["part_issued"] == 1 - counts["waiting_parts"] + counts["parts_received"]).all()
    assert set(tickets["part"].astype(str)) == {"part"}
    stock = run.stock.iloc[0]
    assert stock["demands"] == len(counts) and stock["backordered"] == int(waited.sum())
    assert stock["fill_rate"] == pytest.approx(1 - waited.mean())
    trace = run.stock_trace
    held = trace["on_hand"] + trace["issued"] + trace["in_transit"] + trace["at_admin"] + trace["at_vendor"] \
        + trace["scrapped"] - trace["owed"]
    assert (held == 8).all() and (trace["on_hand"] >= 0).all()


def test_single_part_and_the_full_model_share_one_store_class(monkeypatch):
    """The validation case runs on the very class the service center uses: both call it."""
    from svcsim.processes import spares
    from svcsim.scenario import load_scenario, with_changes

    calls = []
    original = spares.SparesStore.request

    def counted(self, *args, **kwargs):
        calls.append(type(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(spares.SparesStore, "request", counted)
    simulate(single_part(2.0, 3.0, 4), seed=0, days=10)
    in_palm = len(calls)
    simulate(with_changes(load_scenario("tiny"), {"spares.store": "base_stock"}), seed=0, days=3)
    assert in_palm > 0 and len(calls) > in_palm
    assert set(calls) == {spares.SparesStore}


def test_single_part_same_seed_same_log():
    a = simulate(single_part(1.0, 5.0, 4, "lognormal", cv=0.5), seed=2, days=60)
    b = simulate(single_part(1.0, 5.0, 4, "lognormal", cv=0.5), seed=2, days=60)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert not a.events.equals(simulate(single_part(1.0, 5.0, 4, "lognormal", cv=0.5), seed=2, replication=1,
                                        days=60).events)


@pytest.mark.parametrize(("args", "field"), [
    ((0.0, 5.0, 3), "demand_rate"),
    ((1.0, -1.0, 3), "resupply_mean"),
    ((1.0, 5.0, -1), "stock"),
    ((1.0, 5.0, 2.5), "stock"),
])
def test_single_part_mistakes_name_the_argument(args, field):
    with pytest.raises(InputError) as caught:
        single_part(*args)
    assert f"field '{field}'" in str(caught.value) and "expected" in str(caught.value)
    with pytest.raises(InputError, match="resupply"):
        single_part(1.0, 5.0, 3, "weibull")
