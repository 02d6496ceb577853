"""Case-level events: one event per case from a column holding its time (``[case_events]`` of a mapping).

An export often repeats a case field such as ``opened_at`` on every row;
the mapping turns it into one event per case, read on the case's last kept
row. Where such an event shares its instant with the case's first row
events, it is the case's opening (an incident opened and first updated in
the same minute, as the UCI export's minute-resolution times give 1,449
times): it is placed before them, so that a clock started by it does not
start after the events it should contain. Any other case event at a shared
instant comes after the rows, in narration order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from svcsim.eventlog.time import NAT_NS as NAT
from svcsim.live.screen import outside_calendars
from svcsim.live.timestamps import parse_times

__all__ = ["case_events"]


def case_events(raw: pd.DataFrame, mapping: Any, kept: np.ndarray, case_code: np.ndarray, case_ids: Any, issues: Any,
                rows: np.ndarray, calendars: Any, events: pd.DataFrame) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """The case events of ``mapping``, split into openings (at or before the case's first row event) and the rest.

    ``events`` are the events made from rows. An opening gets, when the
    events carry ``seq``, a ``seq`` below its case's first, so that it sorts
    first at its instant either way (by ``seq``, or by row when the caller
    puts the openings first).
    """
    openings: list[pd.DataFrame] = []
    others: list[pd.DataFrame] = []
    if not mapping.case_events or not len(kept):
        return openings, others
    last = pd.DataFrame({"case_id": case_code[kept], "pos": kept}).groupby("case_id")["pos"].last()
    last.index = pd.Index(np.asarray(case_ids, dtype=object)[last.index.to_numpy()])
    first = events.groupby("case_id", observed=True)["timestamp"].min()
    first_seq = events.groupby("case_id", observed=True)["seq"].min() if "seq" in events.columns else None
    for activity, column in mapping.case_events.items():
        values = raw[column].iloc[last.to_numpy()].reset_index(drop=True)
        times = parse_times(values, mapping.timestamps)
        usable = times.code == None  # noqa: E711 (object array of None / codes)
        bad = ~usable & (times.code != "TS_NULL")
        for outside, why in outside_calendars(np.where(usable, times.ns, NAT), calendars):
            idx = np.flatnonzero(outside)
            issues.add(rows[last.to_numpy()[idx]], last.index.to_numpy()[idx], column, "TS_OUTSIDE_CALENDAR",
                       np.array([f"{v!r} is {why}" for v in values.astype(str).to_numpy()[idx]], dtype=object), "kept; no event made")
            usable &= ~outside
        if bad.any():
            idx = np.flatnonzero(bad)
            issues.add(rows[last.to_numpy()[idx]], last.index.to_numpy()[idx], column, "CASE_EVENT_UNPARSEABLE",
                       values.astype(str).to_numpy()[idx], "kept; no event made")
        made = pd.DataFrame({
            "case_id": last.index.to_numpy()[usable], "activity": activity,
            "timestamp": pd.to_datetime(times.ns[usable], unit="ns", utc=True), "source_row": rows[last.to_numpy()[usable]],
        })
        opening = (made["timestamp"] <= made["case_id"].map(first)).to_numpy()
        if first_seq is not None:
            made["seq"] = np.where(opening, made["case_id"].map(first_seq).to_numpy(dtype=float) - 1.0, np.nan)
        openings.append(made[opening])
        others.append(made[~opening])
    return openings, others
