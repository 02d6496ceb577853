"""Staffing from the log's resources: how many of each role work, hour by hour.

A resource is *active* in an hour of a day when it narrates an event in
it. Per role: the head count is the most distinct resources active on one
day (a day someone is off does not shrink the team), and the report gives
the mean number active in each local hour of the service days, the
profile a shift plan would follow. Shift hours stay the template's (the
log shows when people worked, not when their shifts were). A role the log
has no resources for, or one the template staffs by shift groups, keeps
the template's staffing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from svcsim.fitting.observe import ROLE_PATHS, Observed
from svcsim.fitting.report import ParameterFit

__all__ = ["fit_staffing"]


def _role(template: Any, path: str) -> Any:
    node: Any = template
    for key in path.split("."):
        node = getattr(node, key)
    return node


def fit_staffing(obs: Observed, template: Any) -> tuple[dict[str, Any], list[ParameterFit], list[str]]:
    """Changes (``<role>.count``) and report rows for each role with resources in the log."""
    ev = obs.events[obs.events["resource"].notna() & obs.events["role"].notna()]
    local = ev["timestamp"].dt.tz_convert(template.timezone)
    ev = ev.assign(date=local.dt.date.to_numpy(), hour=local.dt.hour.to_numpy())
    changes: dict[str, Any] = {}
    rows: list[ParameterFit] = []
    for role, path in ROLE_PATHS.items():
        mine = ev[ev["role"] == role]
        current = _role(template, path)
        if not len(mine):
            rows.append(ParameterFit(f"{path}.count", current.count, source="template", note="no resource of this role in the log"))
            continue
        daily = mine.groupby("date")["resource"].nunique()
        count = int(daily.max())
        days = len(daily)
        hourly = mine.groupby(["date", "hour"])["resource"].nunique().unstack(fill_value=0)
        profile = [round(float(hourly[h].sum()) / days, 2) if h in hourly else 0.0 for h in range(24)]
        if getattr(current, "groups", None):
            rows.append(ParameterFit(f"{path}.count", current.count, source="template",
                                     note=f"the template staffs it by shift groups; the log: at most {count} a day"))
            continue
        changes[f"{path}.count"] = count
        rows.append(ParameterFit(f"{path}.count", count, (float(np.median(daily)), float(count)), mine["case_id"].nunique(),
                                 len(mine), None, None, "log",
                                 f"most distinct resources active in a day over {days} day(s) (interval: median to most); "
                                 f"mean active by local hour: {profile}"))
    return changes, rows, []
