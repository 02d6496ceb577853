"""Per-run metrics: one run in, a small tidy table out (one row per metric).

Every number is computed from the run's event log, its rule results and its
busy and on-duty records, after the simulation; nothing is asked of the
processes. The metrics of one replication are:

| kind | subject | value |
|---|---|---|
| ``attainment_pct`` | rule id | % of the verdicts due by the horizon that met the target (``met``/``held`` over decided; open breaches count; rows due later are not yet due, :mod:`svcsim.rules.horizon`); NaN when none is due |
| ``due_count`` | rule id | decided verdicts due by the horizon (0 with rows: the target is not yet due) |
| ``clock_mean_h``, ``clock_p90_h`` | rule id of a duration rule | mean and 90th percentile of the stopped clocks, in hours on the rule's basis (service hours for calendar rules) |
| ``utilisation_pct`` | role | busy time over on-duty time, % (roles with nobody on duty are left out) |
| ``answer_wait_mean_h``, ``answer_wait_p90_h`` | | call received -> call answered, answered calls |
| ``abandoned_pct`` | | % of calls whose caller hung up |
| ``calls`` | | calls received |
| ``stock.<column>`` | SKU | every numeric outcome column of ``run.stock`` (fill rate and so on), when the run has one; the scenario's own inputs (``base_stock``, ``unit_cost``) are left out |

The run itself started warm (``run.warmup_days`` simulated before its
horizon and left out of its log, :func:`svcsim.simulate`); the
``warmup_days`` column records it. An *extra* cut, ``run_metrics(run,
warmup_days=d)``, also drops the cases whose first event comes in the
horizon's first ``d`` days and measures utilisation from there (the column
then holds both).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd

from svcsim.rules.horizon import horizon_attainment
from svcsim.simulation.utilisation import role_utilisation

__all__ = ["METRICS_VERSION", "TIDY_COLUMNS", "run_metrics", "scenario_hash", "scenario_json", "tidy_types"]

#: Bump when a metric's definition changes: cached replications of older versions are not reused.
METRICS_VERSION = 2

#: The columns of a tidy metrics table, in order.
TIDY_COLUMNS = ["scenario", "scenario_hash", "seed", "replication", "days", "warmup_days",
                "metric", "kind", "subject", "value"]

_MINUTES_PER_DAY = 1440.0


def scenario_json(scenario: Any) -> str:
    """The canonical JSON of a scenario's ``model_dump`` (sorted keys, no spaces)."""
    return json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True)


def scenario_hash(scenario: Any) -> str:
    """A stable id of a scenario: sha256 (hex) of its canonical JSON (:func:`scenario_json`)."""
    return hashlib.sha256(scenario_json(scenario).encode("utf-8")).hexdigest()


def run_metrics(run: Any, warmup_days: float = 0.0, *, scenario_id: str | None = None) -> pd.DataFrame:
    """The tidy metrics of one run (see the module docstring), ``warmup_days`` left out.

    ``scenario_id`` is the scenario hash when the caller already has it.
    """
    warmup_days = float(warmup_days or 0.0)
    cutoff = run.start + pd.Timedelta(days=warmup_days)
    kept = _cases_after(run.events, cutoff) if warmup_days > 0 else None
    rows: list[tuple[str, str, float]] = []
    rows += _rule_metrics(run, kept)
    rows += _utilisation(run, warmup_days)
    rows += _phone(run.events, kept)
    rows += _stock(getattr(run, "stock", None))
    frame = pd.DataFrame(rows, columns=["kind", "subject", "value"])
    frame.insert(0, "metric", [f"{k}:{s}" if s else k for k, s in zip(frame["kind"], frame["subject"], strict=True)])
    frame.insert(0, "warmup_days", warmup_days + float(getattr(run, "warmup_days", 0) or 0))
    frame.insert(0, "days", int(run.days))
    frame.insert(0, "replication", int(run.replication))
    frame.insert(0, "seed", int(run.seed))
    frame.insert(0, "scenario_hash", scenario_id or scenario_hash(run.scenario))
    frame.insert(0, "scenario", run.scenario.name)
    return tidy_types(frame)


def tidy_types(frame: pd.DataFrame) -> pd.DataFrame:
    """The tidy columns with fixed dtypes (so fresh and cached tables compare equal)."""
    out = frame.copy()
    for column in ("scenario", "scenario_hash", "metric", "kind", "subject"):
        out[column] = out[column].astype(str)
    for column in ("seed", "replication", "days"):
        out[column] = out[column].astype(np.int64)
    for column in ("warmup_days", "value"):
        out[column] = out[column].astype(np.float64)
    extra = [c for c in out.columns if c not in TIDY_COLUMNS]
    return out[extra + TIDY_COLUMNS].reset_index(drop=True)


def _cases_after(events: pd.DataFrame, cutoff: pd.Timestamp) -> set[str]:
    first = events.groupby("case_id", observed=True)["timestamp"].min()
    return set(first.index[first >= cutoff].astype(str))


def _rule_metrics(run: Any, kept: set[str] | None) -> list[tuple[str, str, float]]:
    rules = run.rules()  # the built-in rules on the scenario's own service calendar
    results = run.check(rules).results
    if kept is not None:
        results = results[results["case_id"].astype(str).isin(kept)]
    horizon = horizon_attainment(results, run.end, list(rules.ids()))
    rows = []
    for rule_id in rules.ids():
        n_good, n_due = int(horizon.loc[rule_id, "good"]), int(horizon.loc[rule_id, "due"])
        rows.append(("attainment_pct", rule_id, 100.0 * n_good / n_due if n_due else float("nan")))
        rows.append(("due_count", rule_id, float(n_due)))
    durations = results[(results["kind"].astype(str) == "duration")
                        & results["status"].astype(str).isin(["met", "breached"])]
    by_rule = durations.groupby(durations["rule_id"].astype(str).to_numpy())
    groups = {str(k): v for k, v in by_rule} if len(durations) else {}
    for rule in rules.rules:
        if rule.kind != "duration":
            continue
        part = groups.get(rule.id)
        hours = np.array([])
        if part is not None:
            clock = part["business_elapsed"].where(part["basis"].astype(str) == "calendar", part["elapsed"])
            hours = clock.dt.total_seconds().to_numpy(dtype=float) / 3600.0
        rows.append(("clock_mean_h", rule.id, float(hours.mean()) if len(hours) else float("nan")))
        rows.append(("clock_p90_h", rule.id, float(np.quantile(hours, 0.9)) if len(hours) else float("nan")))
    return rows


def _utilisation(run: Any, warmup_days: float) -> list[tuple[str, str, float]]:
    table = run.utilisation
    if warmup_days <= 0:
        return [("utilisation_pct", str(r), 100.0 * float(u))
                for r, u, on in zip(table["role"], table["utilisation"], table["on_duty_minutes"], strict=True) if on > 0]
    after = role_utilisation(run.busy, run.groups, begin=warmup_days * _MINUTES_PER_DAY,
                             end=float(run.days) * _MINUTES_PER_DAY)
    return [("utilisation_pct", role, 100.0 * busy / on)
            for role, busy, on in zip(after["role"], after["busy_minutes"], after["on_duty_minutes"], strict=True)
            if on > 0]


def _phone(events: pd.DataFrame, kept: set[str] | None) -> list[tuple[str, str, float]]:
    wanted = events[events["activity"].isin(["call_received", "call_answered", "call_abandoned"])]
    if kept is not None:
        wanted = wanted[wanted["case_id"].astype(str).isin(kept)]
    firsts = (wanted.assign(case_id=wanted["case_id"].astype(str), activity=wanted["activity"].astype(str))
              .groupby(["case_id", "activity"])["timestamp"].min().unstack())
    received = firsts["call_received"] if "call_received" in firsts else pd.Series(dtype="datetime64[ns, UTC]")
    calls = int(received.notna().sum())
    rows = [("calls", "", float(calls))]
    if "call_answered" in firsts and calls:
        wait = ((firsts["call_answered"] - received).dropna().dt.total_seconds() / 3600.0).to_numpy(float)
        rows.append(("answer_wait_mean_h", "", float(wait.mean()) if len(wait) else float("nan")))
        rows.append(("answer_wait_p90_h", "", float(np.quantile(wait, 0.9)) if len(wait) else float("nan")))
    if calls:
        abandoned = int(firsts["call_abandoned"].notna().sum()) if "call_abandoned" in firsts else 0
        rows.append(("abandoned_pct", "", 100.0 * abandoned / calls))
    return rows


#: Columns of ``run.stock`` that repeat the scenario's inputs: not outcomes, never varying between replications.
_STOCK_INPUTS = frozenset({"base_stock", "unit_cost"})


def _stock(stock: Any) -> list[tuple[str, str, float]]:
    if not isinstance(stock, pd.DataFrame) or stock.empty:
        return []
    key = next((c for c in ("sku", "part", "part_id", "SKU") if c in stock.columns), None)
    labels = stock[key].astype(str) if key is not None else pd.Series(stock.index.astype(str), index=stock.index)
    rows = []
    for column in stock.columns:
        if column == key or column in _STOCK_INPUTS or not pd.api.types.is_numeric_dtype(stock[column]) \
                or pd.api.types.is_bool_dtype(stock[column]):
            continue
        for label, value in zip(labels, stock[column], strict=True):
            rows.append((f"stock.{column}", str(label), float(value) if pd.notna(value) else float("nan")))
    return rows
