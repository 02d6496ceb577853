"""Utilisation per role: busy time over on-duty time, inside a window of simulation minutes.

What it models: a role is staffed by one or more *groups* of workers, each
group ``(count, duty)`` being ``count`` interchangeable workers on duty over
the same intervals ``duty`` (minutes since the run's start). The role's
on-duty time in the window ``[begin, end]`` is the sum over its groups of
``count`` x the length of ``duty`` inside the window; with shift groups
(an early and a late shift of field engineers, say) each group brings its
own intervals. The role's busy time is the length inside the window of
every busy record of its resources. Work finished after a shift ends still
counts as busy, so the ratio can exceed 1 slightly; a role with nobody on
duty in the window has utilisation NaN.

A run's groups are ``World.groups`` (:mod:`svcsim.simulation.world`), kept
in ``Run.groups``; :func:`one_group_per_role` builds the form for a roster
of one group per role.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["Duty", "DutyGroups", "one_group_per_role", "role_utilisation"]

#: On-duty intervals ``(on, off)`` in simulation minutes, in order.
Duty = list[tuple[float, float]]
#: Per role: its groups of workers, each ``(count, duty)``.
DutyGroups = dict[str, list[tuple[int, Duty]]]


def one_group_per_role(duty: dict[str, Duty], staff: dict[str, int]) -> DutyGroups:
    """The group form of a roster where each role's ``staff[role]`` workers share ``duty[role]``."""
    return {role: [(staff[role], intervals)] for role, intervals in duty.items()}


def role_utilisation(busy: pd.DataFrame, duty: DutyGroups, *, end: float, begin: float = 0.0) -> pd.DataFrame:
    """Busy and on-duty minutes per role inside ``[begin, end]``, and their ratio.

    ``busy`` has the busy records of a run (:func:`svcsim.simulation.results.busy_table`:
    ``resource`` categorical, ``role``, ``start``, ``end``); ``duty`` the
    groups of each role (see the module docstring). One row per role of
    ``duty``, in its order: ``role``, ``staff`` (workers over all groups),
    ``busy_minutes``, ``on_duty_minutes``, ``utilisation``.
    """
    codes = busy["resource"].cat.codes.to_numpy(np.int64)
    start = busy["start"].to_numpy(float)
    stop = busy["end"].to_numpy(float)
    spent = np.clip(np.minimum(stop, end) - np.maximum(start, begin), 0.0, None)
    per_resource = np.bincount(codes, weights=spent, minlength=len(busy["resource"].cat.categories))
    role_of = dict(zip(codes.tolist(), busy["role"].astype(object).tolist(), strict=True))
    busy_by_role: dict[str, float] = dict.fromkeys(duty, 0.0)
    for code, minutes in enumerate(per_resource.tolist()):
        role = role_of.get(code)
        if role in busy_by_role:
            busy_by_role[role] += minutes
    rows = []
    for role, groups in duty.items():
        on_duty = sum(count * sum(max(0.0, min(off, end) - max(on, begin)) for on, off in intervals)
                      for count, intervals in groups)
        minutes = busy_by_role[role]
        rows.append({"role": role, "staff": sum(count for count, _ in groups), "busy_minutes": minutes,
                     "on_duty_minutes": on_duty,
                     "utilisation": minutes / on_duty if on_duty > 0 else float("nan")})
    return pd.DataFrame(rows)
