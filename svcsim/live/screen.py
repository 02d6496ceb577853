"""What the rules cannot judge, found before they judge it.

Two things a log (live or canonical) can hold that the rules would either
crash on or pass over in silence:

- an event dated outside the years a rule's calendar covers (1970 in an
  export of 2026): its row is quarantined (``TS_OUTSIDE_CALENDAR``) and its
  case reported ``invalid``, so one bad row never stops a check;
- an activity neither the vocabulary nor any rule knows, or a mapping that
  produces one, or an interval state the map never produces: the rows are
  kept, and the report carries a warning line and a count (``svcsim check
  --strict`` turns warnings into exit status 2).

:func:`screen_log` does this for a log already in the canonical shape;
:func:`~svcsim.live.load_events` does it row by row when given ``rules``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.calendar import ServiceCalendar
from svcsim.eventlog.log import EventLog
from svcsim.eventlog.vocabulary import ACTIVITY_NAMES
from svcsim.live.report import ISSUE_COLUMNS, ValidationReport
from svcsim.rules.ruleset import RuleSet

__all__ = ["known_activities", "rule_calendars", "outside_calendars", "unknown_activity_warning", "screen_log"]


def known_activities(rules: RuleSet) -> set[str]:
    """The vocabulary, the rules' extra activities and every activity a rule names."""
    named = set().union(*(rule.activities() for rule in rules.rules)) if rules.rules else set()
    return set(ACTIVITY_NAMES) | set(rules.extra_activities) | named


def rule_calendars(rules: RuleSet) -> dict[str, ServiceCalendar]:
    """The calendars the rules measure with, by name (a calendar no rule uses cannot stop a check)."""
    used = {rule.calendar or rules.default_calendar for rule in rules.rules} - {None}
    return {name: rules.calendars[name] for name in sorted(used) if name in rules.calendars}


def outside_calendars(t_ns: np.ndarray, calendars: dict[str, ServiceCalendar]) -> list[tuple[np.ndarray, str]]:
    """Per calendar that some instant falls outside of: the mask of those instants (not already
    outside an earlier calendar) and the words that say why, e.g. ``"outside the years of calendar
    'service' (2001-2026)"``."""
    found = []
    flagged = np.zeros(len(t_ns), dtype=bool)
    for name, calendar in calendars.items():
        out = ~calendar.covers(t_ns) & ~flagged
        if out.any():
            found.append((out, f"outside the years of calendar '{name}' ({calendar.first_year}-{calendar.last_year})"))
            flagged |= out
    return found


def unknown_activity_warning(counts: dict[str, int], mapped_from: dict[str, list[str]] | None = None) -> str:
    """One line naming the activities no rule and no vocabulary knows, with their row counts
    (and, through a mapping, the source values mapped to them)."""
    mapped_from = mapped_from or {}

    def one(name: str, n: int) -> str:
        source = mapped_from.get(name)
        via = f"mapped from {', '.join(map(repr, source))}; " if source else ""
        return f"{name!r} ({via}{_rows(n)})"

    named = ", ".join(one(name, n) for name, n in sorted(counts.items()))
    total = sum(counts.values())
    return (f"{_rows(total)} {'has' if total == 1 else 'have'} an activity no rule and no vocabulary knows: {named}; "
            "the rules pass over them (map them, or list them in the rules' [activities] extra)")


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def screen_log(log: EventLog, rules: RuleSet, *, source: str = "the event log") -> tuple[EventLog, ValidationReport]:
    """A canonical log screened against ``rules``: events outside the calendars' years quarantined
    (their cases invalid), unknown activities kept and warned about.

    Row numbers are the log's event rows counted from 1 (the data rows of a flat file).
    """
    events = log.events
    n = len(events)
    rows = np.arange(1, n + 1)
    t_ns = events["timestamp"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    parts = []
    outside = np.zeros(n, dtype=bool)
    for mask, why in outside_calendars(t_ns, rule_calendars(rules)):
        idx = np.flatnonzero(mask)
        parts.append(pd.DataFrame({"source_row": rows[idx], "case_id": events["case_id"].to_numpy()[idx], "column": "timestamp",
                                   "code": "TS_OUTSIDE_CALENDAR", "message": [f"{s.isoformat()!r} is {why}" for s in events["timestamp"].iloc[idx]],
                                   "action": "quarantined"}))
        outside |= mask
    activity = pd.Categorical(events["activity"])  # judged once per distinct activity, not per row
    known = np.isin(np.asarray(activity.categories, dtype=object), sorted(known_activities(rules)))
    codes = np.asarray(activity.codes)
    unknown = ~known[codes] & (codes >= 0) & ~outside
    warnings = []
    if unknown.any():
        idx = np.flatnonzero(unknown)
        parts.append(pd.DataFrame({"source_row": rows[idx], "case_id": events["case_id"].to_numpy()[idx], "column": "activity",
                                   "code": "ACTIVITY_NOT_JUDGED", "message": [f"{a!r} is known to no rule" for a in np.asarray(activity)[idx]],
                                   "action": "kept"}))
        warnings.append(unknown_activity_warning(pd.Series(np.asarray(activity)[idx]).value_counts().to_dict()))
    issues = (pd.concat(parts, ignore_index=True).sort_values(["source_row", "code"], kind="stable").reset_index(drop=True)
              if parts else pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS}).astype({"source_row": np.int64}))
    quarantined = events[outside].assign(source_row=rows[outside], code="TS_OUTSIDE_CALENDAR").reset_index(drop=True)
    if outside.any():
        lost = set(events["case_id"].to_numpy()[outside])
        cases = log.cases.copy()
        reason = cases["invalid_reason"] if "invalid_reason" in cases else pd.Series(None, index=cases.index, dtype=object)
        hit = cases["case_id"].isin(lost)
        reason = reason.astype(object)
        cases["invalid_reason"] = reason.where(~hit, [f"{r},TS_OUTSIDE_CALENDAR" if isinstance(r, str) and r else "TS_OUTSIDE_CALENDAR" for r in reason])
        log = EventLog.from_frames(events[~outside], cases, source=source)
    report = ValidationReport(
        source=source, rows_read=n, rows_kept=int(n - outside.sum()), rows_quarantined=int(outside.sum()),
        rows_repaired=0, events_derived=0, issues=issues, quarantined=quarantined, warnings=tuple(warnings),
    )
    assert report.rows_kept + report.rows_quarantined == report.rows_read
    return log, report

