"""The log a fit reads: an EventLog as it is, or a path (a canonical log, or an export through a mapping)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svcsim.errors import InputError

__all__ = ["read_any"]


def read_any(log: Any, mapping: str | Path | None = None) -> Any:
    """An :class:`~svcsim.EventLog` from ``log``; a path is read with ``read_log``, or ``load_events`` with ``mapping``.

    An activity whose events have no timestamp is refused, naming it (a
    canonical log cannot hold one; a mapped export quarantines the rows, so
    an activity left without any timed event is named too).
    """
    if isinstance(log, (str, Path)):
        path = Path(log)
        if not path.exists():
            raise InputError(f"no such log {str(path)!r}", field="LOG", expected="an event log file or directory")
        if mapping is not None:
            from svcsim.live import load_events

            log, report = load_events(path, mapping)
            untimed = _untimed_activities(report)
            if untimed:
                raise InputError(f"activity {untimed[0]!r} has no timestamps in the export", field="timestamp",
                                 expected="a timestamp on every event the fit reads").located(path)
        else:
            from svcsim.eventlog import read_log

            log = read_log(path)
    elif mapping is not None:
        raise InputError("a mapping is for reading an export from a path", field="mapping",
                         expected="fit(path, mapping=...) or fit(EventLog)")
    events = getattr(log, "events", None)
    if events is None:
        raise InputError(f"cannot fit {type(log).__name__}", field="log", expected="an EventLog or a path to one")
    empty = events.groupby("activity", observed=True)["timestamp"].apply(lambda s: s.isna().all())
    if empty.any():
        raise InputError(f"activity {empty.index[empty][0]!r} has no timestamps", field="timestamp",
                         expected="a timestamp on every event")
    return log


def _untimed_activities(report: Any) -> list[str]:
    """Activities whose every row the loader quarantined for a missing or bad timestamp."""
    issues = getattr(report, "issues", None)
    if issues is None or not len(issues) or "activity" not in getattr(issues, "columns", ()):
        return []
    code = issues["code"].astype(str) if "code" in issues else None
    if code is None:
        return []
    timed = issues[code.str.startswith("TS")]
    return sorted(set(timed["activity"].dropna().astype(str))) if len(timed) else []
