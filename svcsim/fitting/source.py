"""The log a fit reads: an EventLog as it is, or a path (a canonical log, or an export through a mapping)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svcsim.errors import InputError

__all__ = ["read_any"]


def read_any(log: Any, mapping: str | Path | None = None, rules: Any = None) -> Any:
    """An :class:`~svcsim.EventLog` from ``log``; a path is read with ``read_log``, or ``load_events`` with ``mapping``.

    ``rules`` (a RuleSet) are those the export is checked against for
    activities no rule knows (default: the built-in rules), as ``svcsim check`` does.

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

            log, report = load_events(path, mapping, rules=rules)
            if "TS_NULL" in set(report.issues["code"].astype(str)):
                _untimed_activity(path, mapping)
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


def _untimed_activity(path: Path, mapping: str | Path | Any) -> None:
    """Refuse an export in which one activity (a raw value of the mapping's activity column) never has a timestamp."""
    from svcsim.live.mapping import Mapping, load_mapping
    from svcsim.live.source import read_source

    spec = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    frame, _ = read_source(path, spec.source)
    activity, stamp = spec.columns.activity, spec.columns.timestamp
    if activity not in frame or stamp not in frame:
        return
    timed = frame[stamp].astype(str).str.strip().replace({"": None, "nan": None, "None": None}).notna()
    has_time = timed.groupby(frame[activity].astype(str)).any()
    if not has_time.all():
        name = has_time.index[~has_time.to_numpy()][0]
        raise InputError(f"activity {name!r} has no timestamps in column {stamp!r}", field=stamp,
                         expected="a timestamp on the events of every activity the fit reads").located(path)
