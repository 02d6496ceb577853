"""Repair success rate: the share of fixes that held, judged by the rule engine's recurrence rules.

A fix is a ``completed`` event a *fix rule* applies to: a recurrence rule
that starts after ``completed`` (built in: ``software-72h``, software fault:
no new ticket on the same device and fault within 72 hours, and
``hardware-7d``, hardware repair without a part replaced: none within 7
days). The rules are chosen by what they say, not by their ids, so a rules
file of one's own with other ids and windows is read the same way. The
engine reports each fix ``held``, ``failed``, ``pending`` (its window is still
open at ``as_of``), ``not_applicable`` (no device or fault to match repeats
on) or ``invalid``. A fix counts in the local month of its ``completed``
event; the rate is held / (held + failed), pending fixes are reported apart.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import local_month_codes, missing
from svcsim.metrics._rows import counts_by_month, kpi_rows
from svcsim.metrics._verdicts import verdicts
from svcsim.rules.engine import CheckResult
from svcsim.rules.load import RuleSet, load_rules
from svcsim.rules.spec import RecurrenceRule

__all__ = ["BENCH_FIX_ACTIVITY", "FIX_ACTIVITY", "REPAIR_KPIS", "fix_rules", "repair_success"]

#: The activity a field fix ends with: the recurrence rules that start after it are the fix rules.
FIX_ACTIVITY = "completed"
#: The KPIs this module computes.
REPAIR_KPIS = ("repair_success_rate", "repairs_pending", "repair_success_field", "repair_success_bench")
#: The activity a bench fix ends with (the unit passed its post-repair test).
BENCH_FIX_ACTIVITY = "repaired"


def fix_rules(rules: RuleSet | str | Path | None) -> tuple[RuleSet | None, str | None]:
    """The rule set reduced to the fix rules (recurrence rules after ``completed``), or ``None`` and why not."""
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    chosen = tuple(r for r in ruleset.rules if isinstance(r, RecurrenceRule) and FIX_ACTIVITY in r.after)
    if not chosen:
        return None, f"the rules have no recurrence rule after {FIX_ACTIVITY} (such as software-72h or hardware-7d)"
    return replace(ruleset, rules=chosen), None


def _needs(ruleset: RuleSet) -> tuple[set[str], set[str]]:
    activities: set[str] = set()
    columns: set[str] = set()
    for rule in ruleset.rules:
        activities |= {FIX_ACTIVITY, *rule.repeat}  # a log of field work only has no bench fixes: not needed
        columns |= set(rule.key)
        if rule.applies_to is not None:
            columns |= rule.applies_to.fields()
    return activities, columns


def repair_success(
    log: EventLog, as_of: pd.Timestamp, months: np.ndarray, zone: str, rules: RuleSet | str | Path | None,
    *, result: CheckResult | None = None,
) -> tuple[list[pd.DataFrame], dict[str, str], pd.DataFrame | None]:
    """Rows of ``repair_success_rate`` (every fix), ``repair_success_field`` and ``repair_success_bench``
    (a bench fix: a case whose unit was received, ``unit_received``) and ``repairs_pending``; the skips, and
    the engine's fix rows.

    ``result``, when given, is :func:`svcsim.check` of the same ``log`` and
    rules as of ``as_of``: its verdicts of the fix rules are used instead of
    judging the log again (``rules=None`` then means ``result.rules``).
    """
    if result is not None and rules is None:
        rules = result.rules
    ruleset, why = fix_rules(rules)
    if ruleset is not None:
        activities, columns = _needs(ruleset)
        why = missing(log, activities=sorted(activities), case_columns=sorted(columns))
    if why or ruleset is None:
        return [], dict.fromkeys(REPAIR_KPIS, str(why)), None
    results = verdicts(log, ruleset, as_of, result)
    pending = _pending(results, months, zone)
    rows = [*_success_rows("repair_success_rate", results, months, zone),
            kpi_rows("repairs_pending", months, unit="fixes", value=pending, numerator=pending)]
    bench = _bench_cases(log)
    on_bench = results["case_id"].astype(str).isin(bench).to_numpy() if len(results) else np.zeros(0, dtype=bool)
    rows.append(_success_rows("repair_success_field", results.loc[~on_bench], months, zone)[0])
    rows.append(_success_rows("repair_success_bench", results.loc[on_bench], months, zone)[0])
    return rows, {}, results


def _bench_cases(log: EventLog) -> set[str]:
    """The cases repaired on the bench: those whose unit was received at a repair point."""
    events = log.events
    return set(events.loc[events["activity"].astype(str) == "unit_received", "case_id"].astype(str))


def _pending(results: pd.DataFrame, months: np.ndarray, zone: str) -> np.ndarray:
    status = results["status"].astype(str).to_numpy()
    codes = local_month_codes(results["start"], zone) if len(results) else np.zeros(0, dtype=np.int64)
    return counts_by_month(codes[status == "pending"], months)


def _success_rows(kpi: str, results: pd.DataFrame, months: np.ndarray, zone: str) -> list[pd.DataFrame]:
    """One KPI of fixes that held over fixes decided, by the month of the fix, from the engine's fix rows."""
    status = results["status"].astype(str).to_numpy()
    codes = local_month_codes(results["start"], zone) if len(results) else np.zeros(0, dtype=np.int64)
    held = counts_by_month(codes[status == "held"], months)
    failed = counts_by_month(codes[status == "failed"], months)
    pending = counts_by_month(codes[status == "pending"], months)
    other = counts_by_month(codes[np.isin(status, ["not_applicable", "invalid"])], months)
    decided = held + failed
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(decided > 0, held / np.where(decided > 0, decided, 1), np.nan)
    notes = np.array(
        [", ".join(filter(None, (f"{int(p)} pending" if p else "", f"{int(o)} not judged (no device/fault, or invalid)" if o else ""))) or None
         for p, o in zip(pending, other, strict=True)],
        dtype=object,
    )
    return [kpi_rows(kpi, months, unit="share", value=rate, numerator=held, denominator=decided,
                     flag=pd.array(np.where(decided > 0, failed > 0, pd.NA), dtype="boolean"), note=notes)]
