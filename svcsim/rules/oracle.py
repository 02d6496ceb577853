"""A per-case Python oracle of the rule engine, for tests and benchmarks only.

It restates the semantics of every registered rule kind as plain loops over
one case's events at a time, with no array tricks, so a property test can
hold the vectorised engine to it: each kind's restatement is the ``oracle`` of
its :class:`~svcsim.rules.kinds.RuleKind` (written beside its evaluator, from
the pieces of :mod:`svcsim.rules.casewise`); this module reads the log into
cases, runs every rule's oracle and marks invalid cases. It uses the same
calendars (whose own correctness is tested separately against an independent
day-by-day computation). Slow by design; never use it for real work.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.eventlog.time import to_as_of_ns
from svcsim.rules.casewise import CaseEvents, result_row
from svcsim.rules.kinds import kind_of
from svcsim.rules.load import RuleSet, load_rules
from svcsim.rules.spec import RuleSpec

__all__ = ["check_oracle", "ORACLE_COLUMNS"]

#: the columns of :func:`check_oracle`'s rows
ORACLE_COLUMNS = ["rule_id", "case_id", "cycle", "repeat", "status", "start", "stop", "due", "elapsed",
                  "business_elapsed", "paused", "target", "target_reason", "level", "reason", "related_case_id",
                  "_activities"]


def check_oracle(log: EventLog, rules: RuleSet | None = None, as_of: datetime | str | None = None) -> pd.DataFrame:
    """The result rows the engine should produce, computed one case at a time."""
    rules = rules if isinstance(rules, RuleSet) else load_rules(rules)
    cases = _cases(log)
    as_of_ns = to_as_of_ns(as_of)
    if as_of_ns is None:
        as_of_ns = max((t for c in cases for t, _ in c.events), default=0)
    for c in cases:
        c.events = [e for e in c.events if e[0] <= as_of_ns]
    rows: list[dict] = []
    for rule in rules.rules:
        per_case = kind_of(rule).oracle(rule, cases, rules.calendar_for(rule), as_of_ns)
        for case, found in zip(cases, per_case, strict=True):
            rows.extend(_invalid(rule, case, found))
    return pd.DataFrame(rows, columns=ORACLE_COLUMNS)


def _cases(log: EventLog) -> list[CaseEvents]:
    """Every case in the engine's case order, with its events in narration order."""
    events = log.events
    attrs = log.cases.assign(case_id=log.cases["case_id"].astype(str)).set_index("case_id")
    cid = events["case_id"]
    order_ids = list(map(str, cid.cat.categories)) if isinstance(cid.dtype, pd.CategoricalDtype) else list(dict.fromkeys(map(str, cid)))
    order_ids += [c for c in attrs.index if c not in set(order_ids)]
    cases = {c: CaseEvents(c, i, {k: (None if pd.isna(v) else v) for k, v in attrs.loc[c].items()}) for i, c in enumerate(order_ids)}
    t = events["timestamp"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    seq = pd.to_numeric(events["seq"], errors="coerce").fillna(0).to_numpy() if "seq" in events.columns else np.zeros(len(events))
    keyed = sorted(zip(map(str, cid), t.tolist(), seq.tolist(), range(len(events)), map(str, events["activity"]), strict=True), key=lambda r: (r[1], r[2], r[3]))
    for case_id, ti, _, _, act in keyed:
        cases[case_id].events.append((ti, act))
    return list(cases.values())


def _invalid(rule: RuleSpec, case: CaseEvents, rows: list[dict]) -> list[dict]:
    """A case a loader marked invalid: every row invalid, and one row per result id where the rule touched it but gave none."""
    reason = case.attrs.get("invalid_reason")
    if reason is None:
        return rows
    for r in rows:
        r["status"], r["reason"] = "invalid", reason
    if rows:
        return rows
    touched = not case.events or any(a in rule.activities() for _, a in case.events)
    if not touched:
        return rows
    return [result_row(rid, case, status="invalid", reason=reason) for rid in rule.result_ids()]
