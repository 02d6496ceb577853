"""``backtest``: fit on the part of a log before a date, simulate the rest, and say how close it came.

The steps, each owned by its module: the split (:mod:`~svcsim.backtesting.split`),
the fit (:func:`svcsim.fitting.fit`, on the events before the split), the
held-out simulation from the split (:mod:`~svcsim.backtesting.held_out`), the
distances (:mod:`~svcsim.backtesting.distances`), the naive baselines
(:mod:`~svcsim.backtesting.baselines`) and the rule-week verdicts
(:mod:`~svcsim.backtesting.weekly`). Reference: ``docs/reference/backtest.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.arguments import whole_number
from svcsim.backtesting.baselines import draw_cycle_times, replay_last_weeks, replay_weeks
from svcsim.backtesting.distances import DISTANCES, distances
from svcsim.backtesting.held_out import CARRIED, NOT_CARRIED, held_out_scenario, simulate_held_out
from svcsim.backtesting.result import Backtest
from svcsim.backtesting.split import Split, cut, share_split, split_at
from svcsim.backtesting.weekly import rule_week_table, verdict_counts
from svcsim.errors import InputError
from svcsim.eventlog import EventLog
from svcsim.rules import RuleSet, load_rules
from svcsim.scenario import Scenario, load_scenario

__all__ = ["backtest"]


def backtest(log: EventLog | str | Path, train_until: dt.date | str | None = None, *,
             train_share: float | None = None, template: Scenario | str | Path = "baseline",
             mapping: str | Path | None = None, rules: RuleSet | str | Path | None = None,
             replications: int = 20, seed: int = 0, warmup_days: int | None = None, jobs: int = 1,
             progress: Callable[[int, int], None] | None = None, fit_first: bool = True) -> Backtest:
    """Backtest the model fitted on ``log`` before ``train_until`` (or the first ``train_share`` of its cases).

    ``train_until`` is a date: the split is its midnight in the template's
    zone. ``train_share`` (e.g. 0.7) splits chronologically by case instead:
    at the first midnight by which that share of the cases had started.
    ``template`` is what the fitter starts from (and what it cannot tell
    comes from); ``mapping`` reads ``log`` as an export. ``rules`` (default:
    the built-in rules on the fitted scenario's calendar) judge the real and
    the simulated held-out logs alike. ``replications`` runs 0..n-1 with
    ``seed``; ``warmup_days`` overrides the scenario's warm-up; ``jobs > 1``
    simulates them in a local process pool (the same result).
    ``fit_first=False`` backtests ``template`` as it is, unfitted: how far a
    hand-written scenario can be trusted (the fit report is then empty).
    """
    from svcsim.fitting import Fitted, fit
    from svcsim.fitting.source import read_any
    from svcsim.scenario.judging import scenario_rules

    whole_number(replications, "replications", function="backtest", minimum=1)
    whole_number(seed, "seed", function="backtest")
    whole_number(jobs, "jobs", function="backtest", minimum=1)
    if warmup_days is not None:
        whole_number(warmup_days, "warmup_days", function="backtest")
    base = load_scenario(template)
    given = rules if isinstance(rules, RuleSet) or rules is None else load_rules(rules)
    source = str(log) if not isinstance(log, EventLog) else "<EventLog>"
    if not isinstance(log, EventLog):
        log = read_any(log, mapping, rules=given if given is not None else load_rules(None))
    split = _split(log, train_until, train_share, base.timezone)
    fitted = fit(log, base, until=split.until) if fit_first else Fitted(base)
    scenario = held_out_scenario(fitted.scenario, split, warmup_days=warmup_days)
    ruleset = given if given is not None else scenario_rules(
        scenario, (split.first_start.year, split.end.tz_convert(split.zone).year))
    train, real = cut(log, None, split.until), _held_out(log, split)
    simulated = [_held_out(run, split) for run in simulate_held_out(scenario, replications, seed, progress, jobs=jobs)]
    replay = replay_last_weeks(train, split)
    per_rep = _per_replication(real, simulated, train, split, seed)
    table = _distance_table(per_rep, None if replay is None else distances(real, replay, zone=split.zone))
    weeks = rule_week_table(real, simulated, ruleset, split, replay=replay)
    return Backtest(source=source, split=split, template=base.name, replications=int(replications), seed=int(seed),
                    warmup_days=int(scenario.run.warmup_days), distances=table, per_replication=per_rep,
                    weeks=weeks, verdicts=verdict_counts(weeks), notes=_notes(split, scenario, train),
                    fit_report=fitted.report, scenario=scenario)


def _held_out(log: EventLog, split: Split) -> EventLog:
    """The cases that start in the held-out arrivals window, observed to the held-out end."""
    return cut(log, split.until, split.arrivals_end, observed_until=split.end)


def _split(log: EventLog, train_until: dt.date | str | None, train_share: float | None, zone: str) -> Split:
    if (train_until is None) == (train_share is None):
        raise InputError("give either --train-until or --train-share", field="--train-until",
                         expected="a date such as 2025-03-24, or --train-share 0.7 (not both)")
    if train_until is not None:
        return split_at(log, train_until, zone)
    return share_split(log, float(train_share), zone)  # type: ignore[arg-type]


def _per_replication(real: EventLog, simulated: list[EventLog], train: EventLog, split: Split,
                     seed: int) -> pd.DataFrame:
    """Each replication's distances: the model's, and the drawn-cycle-time baseline's on the same index."""
    rows = []
    for r, log in enumerate(simulated):
        rows.append({"source": "model", "replication": r, "cases": int(log.n_cases),
                     **distances(real, log, zone=split.zone)})
        drawn = draw_cycle_times(train, real, split, seed=seed, replication=r)
        rows.append({"source": "draw", "replication": r, "cases": int(drawn.n_cases),
                     **distances(real, drawn, zone=split.zone)})
    frame = pd.DataFrame(rows)
    frame.loc[frame["source"] == "draw", "circadian_events_h"] = np.nan  # two events a case: nothing to say
    return frame


def _distance_table(per_rep: pd.DataFrame, replay: dict[str, float] | None) -> pd.DataFrame:
    model = per_rep[per_rep["source"] == "model"]
    draw = per_rep[per_rep["source"] == "draw"]
    return pd.DataFrame({
        "measure": list(DISTANCES),
        "title": list(DISTANCES.values()),
        "model_mean": [model[m].mean() for m in DISTANCES],
        "model_min": [model[m].min() for m in DISTANCES],
        "model_max": [model[m].max() for m in DISTANCES],
        "replay": [np.nan if replay is None else replay[m] for m in DISTANCES],
        "draw": [draw[m].mean() for m in DISTANCES],
    })


def _notes(split: Split, scenario: Scenario, train: EventLog) -> tuple[str, ...]:
    weeks = replay_weeks(train, split)
    return (
        f"carried over from the log: {'; '.join(CARRIED)}",
        (f"not carried over (the simulation's own {scenario.run.warmup_days}-day warm-up gives them): "
         if scenario.run.warmup_days else
         "not carried over (warm-up 0: the simulation starts cold at the split, an empty center with full "
         "shelves; --warmup-days gives it a steady state): ") + "; ".join(NOT_CARRIED),
        f"{split.straddling} case(s) straddle the split (started before, events after): cut at the split "
        "for the fit, left out of the comparison; only cases that start in the held-out period are compared, "
        "in the real and the simulated logs alike",
        (f"replay baseline: the last {weeks} week(s) of training moved forward {weeks} week(s)"
         + (", repeated" if 7 * weeks < split.arrival_days else "")) if weeks else
        "replay baseline: none (training has no whole week)",
        "draw baseline: the held-out log's real arrivals with training cycle times drawn at random "
        "(its arrival distance is 0 by construction; no circadian distance or rule attainment)",
    )
