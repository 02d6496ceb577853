"""Repair success rate: the share of fixes that held, judged by the rule engine's recurrence rules.

A fix is a ``completed`` event the rules ``software-72h`` (software fault: no
new ticket on the same device and fault within 72 hours) or ``hardware-7d``
(hardware repair without a part replaced: none within 7 days) apply to. The
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
from svcsim.rules.engine import check
from svcsim.rules.load import RuleSet, load_rules
from svcsim.rules.spec import RecurrenceRule

__all__ = ["FIX_RULES", "fix_rules", "repair_success"]

#: The recurrence rules whose verdicts make the repair success rate.
FIX_RULES: tuple[str, ...] = ("software-72h", "hardware-7d")


def fix_rules(rules: RuleSet | str | Path | None) -> tuple[RuleSet | None, str | None]:
    """The rule set reduced to the fix rules, or ``None`` and why not."""
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    chosen = tuple(r for r in ruleset.rules if isinstance(r, RecurrenceRule) and r.id in FIX_RULES)
    if not chosen:
        return None, f"the rules have no recurrence rule {' or '.join(FIX_RULES)}"
    return replace(ruleset, rules=chosen), None


def _needs(ruleset: RuleSet) -> tuple[set[str], set[str]]:
    activities: set[str] = set()
    columns: set[str] = set()
    for rule in ruleset.rules:
        activities |= {rule.after, *rule.repeat}
        columns |= set(rule.key)
        if rule.applies_to is not None:
            columns |= rule.applies_to.fields()
    return activities, columns


def repair_success(
    log: EventLog, as_of: pd.Timestamp, months: np.ndarray, zone: str, rules: RuleSet | str | Path | None,
) -> tuple[list[pd.DataFrame], dict[str, str], pd.DataFrame | None]:
    """Rows of ``repair_success_rate`` and ``repairs_pending``, the skips, and the engine's fix rows."""
    ruleset, why = fix_rules(rules)
    if ruleset is not None:
        activities, columns = _needs(ruleset)
        why = missing(log, activities=sorted(activities), case_columns=sorted(columns))
    if why or ruleset is None:
        return [], {"repair_success_rate": str(why), "repairs_pending": str(why)}, None
    results = check(log, ruleset, as_of).results
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
    rows = [
        kpi_rows("repair_success_rate", months, unit="share", value=rate, numerator=held, denominator=decided,
                 flag=pd.array(np.where(decided > 0, failed > 0, pd.NA), dtype="boolean"), note=notes),
        kpi_rows("repairs_pending", months, unit="fixes", value=pending, numerator=pending),
    ]
    return rows, {}, results
