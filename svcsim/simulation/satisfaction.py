"""What the customers say at the satisfaction callback.

The dispatcher's callback after every completed ticket asks whether the
customer is satisfied (the source document's every role answers for
"customer satisfaction 100 %"). The model's customer is dissatisfied with a
chance that rises with each target the ticket missed and with a repeat
fault:

    P(dissatisfied) = min(1, base + per_missed x targets missed + repeat x [a repeat fault])

where the targets are those a customer lives through, as the rules the run
is judged by measure them (:data:`CUSTOMER_TARGETS`: ``dispatch-4h``,
``arrive-20min``, ``complete-6h``, ``ship-4h``; not the center's internal
``badpart-6h`` nor the callback's own) and a repeat fault is a ticket that
follows a failed fix (it has a ``parent_id``). The three numbers are
``probabilities.dissatisfied``, ``dissatisfied_per_missed_target`` and
``dissatisfied_repeat_fault``: assumptions to calibrate on a center's own
survey, not findings.

The answer is decided once the run is over, from the ticket's whole story
(what a customer has lived through by the callback): each ``callback_made``
gets the reason ``satisfied`` or ``dissatisfied: ...`` naming what went
wrong, and the cases table gets ``satisfied`` (true, false, or empty for a
case with no callback). Each case's uniform number comes from the
``satisfaction`` stream by case number, so the same call answers the same
way under any staffing that does not change what it lived through. Nothing
in the simulation depends on the answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.eventlog import EventLog
from svcsim.rules.load import RuleSet
from svcsim.rules.spec import DurationRule
from svcsim.scenario.model import Probabilities
from svcsim.streams import rng

__all__ = ["CALLBACK", "CUSTOMER_TARGETS", "answers", "target_rules"]

#: The activity whose reason carries the customer's answer.
CALLBACK = "callback_made"
#: The built-in targets a customer lives through (rule ids).
CUSTOMER_TARGETS = ("dispatch-4h", "arrive-20min", "complete-6h", "ship-4h")


def target_rules(rules: RuleSet) -> RuleSet:
    """The ticket targets a customer notices (:data:`CUSTOMER_TARGETS` among ``rules``)."""
    chosen = tuple(r for r in rules.rules if isinstance(r, DurationRule) and r.id in CUSTOMER_TARGETS)
    return RuleSet(rules=chosen, calendars=rules.calendars, default_calendar=rules.default_calendar,
                   source=f"{rules.source}: the ticket targets", extra_activities=rules.extra_activities)


def answers(log: EventLog, rules: RuleSet, p: Probabilities, *, seed: int, replication: int,
            as_of: pd.Timestamp) -> EventLog:
    """``log`` with every callback's answer: the reason of ``callback_made`` and the cases' ``satisfied``."""
    events, cases = log.events, log.cases
    called = (events["activity"] == CALLBACK).to_numpy()
    if not called.any():
        return log
    from svcsim.rules import check  # the engine judges the full story once, at the end of the run

    verdicts = check(log, target_rules(rules), as_of=as_of).results
    breached = (verdicts["status"] == "breached").to_numpy()
    case_ids = pd.Index(cases["case_id"])
    missed_row = _rows(case_ids, verdicts["case_id"][breached])
    missed_rule = verdicts["rule_id"].astype(str).to_numpy()[breached]
    known = missed_row >= 0
    missed_row, missed_rule = missed_row[known], missed_rule[known]
    n_missed = np.bincount(missed_row, minlength=len(cases))
    repeat = cases["parent_id"].notna().to_numpy() & (cases["case_type"].astype(str) == "ticket").to_numpy()
    chance = np.minimum(1.0, p.dissatisfied + p.dissatisfied_per_missed_target * n_missed
                        + p.dissatisfied_repeat_fault * repeat)
    draws = rng("satisfaction", seed, replication).random(len(cases))
    unhappy = draws < chance
    named: dict[int, list[str]] = {}
    told = unhappy[missed_row]  # the reasons are written for the unhappy only
    for row, rule in zip(missed_row[told].tolist(), missed_rule[told].tolist(), strict=True):
        named.setdefault(row, []).append(rule)
    text = np.full(len(cases), "satisfied", dtype=object)
    for row in np.flatnonzero(unhappy).tolist():
        rules_missed = named.get(row)
        text[row] = _dissatisfied(", ".join(sorted(rules_missed)) if rules_missed else None, bool(repeat[row]))
    callback_row = _rows(case_ids, events["case_id"][called])
    reason = events["reason"].astype(object).to_numpy(copy=True)
    reason[called] = text[callback_row]
    answered = np.zeros(len(cases), dtype=bool)
    answered[callback_row] = True
    satisfied = pd.arrays.BooleanArray(~unhappy, mask=~answered)
    return EventLog.from_frames(events.assign(reason=reason), cases.assign(satisfied=satisfied))


def _rows(case_ids: pd.Index, ids: pd.Series) -> np.ndarray:
    """The row of each of ``ids`` among ``case_ids`` (``-1``: not there); a categorical's categories are looked up once."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        codes = ids.cat.codes.to_numpy()
        rows = case_ids.get_indexer(ids.cat.categories.astype(str))
        return np.where(codes >= 0, rows[codes], -1)
    return case_ids.get_indexer(ids.astype(str))


def _dissatisfied(missed: object, repeat: bool) -> str:
    parts = [f"missed {missed}"] if isinstance(missed, str) else []
    if repeat:
        parts.append("repeat fault")
    return "dissatisfied: " + ("; ".join(parts) if parts else "no stated reason")
