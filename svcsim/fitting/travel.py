"""The drive from the center to each zone, from each field engineer's first visit of a day.

A field engineer starts every shift at the center (they drive back at the
end of the shift), so the first ``arrived_on_site`` of their day ends a
drive from the center that began at ``max(the ticket's latest
dispatched, the shift's start)``; the shift's start is the template's
(``staffing.field_engineers.shift``, local time). That gap is one
observation of ``times.travel_between.center.<zone>`` (the site's zone on
the cases table). Later visits of the day start from the last site after
the paperwork, which no event narrates: those drives stay the template's.
With a ``times.traffic`` factor other than 1 the fitted drive includes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from svcsim.calendar.hours import parse_intervals
from svcsim.fitting.observe import Observed
from svcsim.fitting.pairs import Sample

__all__ = ["center_drives"]


def center_drives(obs: Observed, template: Any) -> dict[str, Sample]:
    """Per zone, the drives from the center measured on the engineers' first visits of a day."""
    role = template.staffing.field_engineers
    if getattr(role, "groups", None) or not role.shift.hours:
        return {}
    first_minute = min(start for start, _ in parse_intervals(role.shift.hours, field="staffing.field_engineers.shift"))
    ev, zone_of = obs.events, obs.cases.get("zone")
    if zone_of is None:
        return {}
    arrivals = ev[(ev["activity"] == "arrived_on_site") & (ev["role"] == "field_engineers")]
    dispatched = ev[ev["activity"] == "dispatched"]
    if not len(arrivals) or not len(dispatched):
        return {}
    left = arrivals[["case_id", "pos", "t", "prev_t"]].sort_values("pos")
    right = dispatched[["case_id", "pos", "t"]].rename(columns={"t": "d_t"}).sort_values("pos")
    pairs = pd.merge_asof(left, right, on="pos", by="case_id", direction="backward").dropna(subset=["d_t"])
    zone = obs.timezone
    arrived = pd.to_datetime(pairs["t"].to_numpy(), utc=True).tz_convert(zone)
    day = arrived.normalize()
    prev = pairs["prev_t"].to_numpy()
    first_of_day = (prev == np.iinfo(np.int64).min) | (pd.to_datetime(np.maximum(prev, 0), utc=True).tz_convert(zone)
                                                        .normalize() < day)
    shift_on = (day + dt.timedelta(minutes=int(first_minute))).tz_convert("UTC").as_unit("ns").asi8
    start = np.maximum(pairs["d_t"].to_numpy().astype(np.int64), shift_on)
    minutes = (pairs["t"].to_numpy() - start) / 60e9
    keep = first_of_day & (minutes > 0)
    zones = zone_of.reindex(pairs["case_id"].astype(str).to_numpy()).astype(str).to_numpy()
    out = {}
    for name in template.demand.zones:
        mine = keep & (zones == name)
        values = minutes[mine]
        out[name] = Sample(values, np.zeros(len(values), bool), int(mine.sum()), 2 * int(mine.sum()))
    return out
