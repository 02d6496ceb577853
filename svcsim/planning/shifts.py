"""Shift groups from per-hour requirements: the cheapest roster that covers every hour, by integer program.

Given the servers a role needs on duty in each hour of the day, ``r_h``
(:mod:`svcsim.planning.hourly`), and the shifts it may work (a start hour
and a length in whole hours, on a cyclic day: a shift may run past
midnight), choose how many heads ``x_s`` work each shift:

    minimise  sum_s cost_s x_s
    subject to  sum_s a_hs x_s >= r_h  for every hour h,  x_s >= 0 integer,

with ``a_hs = 1`` when shift ``s`` is on duty for the whole hour ``h``. This
is Dantzig's (1954) set-covering model of shift scheduling; it is solved by
``scipy.optimize.milp`` (HiGHS, branch and bound), so the answer is the
optimum, not a heuristic. The shifts with heads become the role's shift
groups in the scenario's own format (``[staffing.ROLE] groups = [...]``,
``docs/howto/stagger-shifts.md``).

:func:`shift_groups` does it for a scenario's operators and a target
"answered within t": the role's current shift and the same shift started
one to three hours earlier or later, unless a list of shifts is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from svcsim.errors import InputError

__all__ = ["Cover", "ShiftOption", "cover_hours", "groups_of", "parse_option", "shift_groups", "shifted_options"]

HOURS_PER_DAY = 24


@dataclass(frozen=True)
class ShiftOption:
    """A shift a role may work: ``length_hours`` whole hours from ``start_hour`` (0-23), cyclic over midnight."""

    start_hour: int
    length_hours: int

    def hours(self, period: int = HOURS_PER_DAY) -> list[int]:
        """The hours of the period this shift is on duty for."""
        return [(self.start_hour + k) % period for k in range(self.length_hours)]

    def text(self) -> list[str]:
        """The shift as scenario service hours, e.g. ``["08:00-17:00"]``, split at midnight if it runs past it."""
        end = self.start_hour + self.length_hours
        if end <= HOURS_PER_DAY:
            return [f"{self.start_hour:02d}:00-{end:02d}:00"]
        return [f"00:00-{end - HOURS_PER_DAY:02d}:00", f"{self.start_hour:02d}:00-24:00"]


@dataclass(frozen=True)
class Cover:
    """The optimal roster: heads per shift option, its cost, and the coverage it gives each hour."""

    options: tuple[ShiftOption, ...]
    heads: tuple[int, ...]
    """``x_s``, the heads on each option (same order as ``options``)."""
    cost: float
    required: tuple[int, ...]
    covered: tuple[int, ...]
    """Heads on duty in each hour: at least ``required``."""


def cover_hours(required: Sequence[int], options: Sequence[ShiftOption],
                cost_per_head: float | Sequence[float] = 1.0) -> Cover:
    """The cheapest whole number of heads per shift option that puts ``required[h]`` on duty in every hour ``h``.

    ``required`` has one entry per period (24 hours for a day, or any cyclic
    period, e.g. 7 days with 5-day shifts); ``cost_per_head`` is one price
    for every option or one per option. Raises ValueError when some hour with
    a requirement is covered by no option.
    """
    need = np.asarray([int(r) for r in required], dtype=float)
    if need.size == 0 or np.any(need < 0):
        raise ValueError("required: expected whole numbers >= 0, one per period")
    options = tuple(options)
    if not options:
        raise ValueError("options: expected at least one shift")
    period = need.size
    costs = np.broadcast_to(np.asarray(cost_per_head, dtype=float), (len(options),)).copy()
    if np.any(~np.isfinite(costs)) or np.any(costs < 0):
        raise ValueError("cost_per_head: expected prices >= 0")
    covers = np.zeros((period, len(options)))
    for s, option in enumerate(options):
        if not 0 < option.length_hours <= period or not 0 <= option.start_hour < period:
            raise ValueError(f"shift {option}: expected a start in 0..{period - 1} and a length in 1..{period}")
        covers[option.hours(period), s] = 1.0
    bare = [h for h in range(period) if need[h] > 0 and not covers[h].any()]
    if bare:
        raise ValueError(f"hour {bare[0]} needs {int(need[bare[0]])} on duty and no shift covers it")
    if not need.any():
        heads = np.zeros(len(options), dtype=int)
    else:
        from scipy.optimize import Bounds, LinearConstraint, milp

        # a tiny tie-break on the option's position: among rosters of equal cost the one on the
        # earlier options wins, the same on every run (far below any difference of one head's price)
        tie = 1e-6 * (1 + np.arange(len(options))) / len(options) * max(1.0, float(costs.max()))
        found = milp(costs + tie, constraints=LinearConstraint(covers, lb=need, ub=np.inf),
                     integrality=np.ones(len(options)), bounds=Bounds(0, np.inf))
        if found.status != 0 or found.x is None:
            raise ValueError(f"the shift covering problem was not solved: {found.message}")
        heads = np.rint(found.x).astype(int)
    covered = covers @ heads
    return Cover(options=options, heads=tuple(int(x) for x in heads), cost=float(costs @ heads),
                 required=tuple(int(r) for r in need), covered=tuple(int(c) for c in covered))


def parse_option(text: str, field: str = "shift_options") -> ShiftOption:
    """A shift option from ``"HH:00-HH:00"`` on whole hours; an end at or before the start runs past midnight."""
    try:
        start_text, end_text = str(text).split("-")
        (start_h, start_m), (end_h, end_m) = ((int(x) for x in part.split(":")) for part in (start_text, end_text))
    except ValueError:
        start_h = start_m = end_h = end_m = -1
    if start_m != 0 or end_m != 0 or not 0 <= start_h < HOURS_PER_DAY or not 0 <= end_h <= HOURS_PER_DAY:
        raise InputError(f"shift {text!r}", field=field,
                         expected='a shift on whole hours such as "06:00-14:00" (or "22:00-06:00" past midnight)')
    length = (end_h - start_h) % HOURS_PER_DAY or HOURS_PER_DAY
    return ShiftOption(start_h, length)


def shifted_options(hours: Sequence[str], offsets_hours: Sequence[int] = (-3, -2, -1, 0, 1, 2, 3)) -> list[ShiftOption]:
    """A role's shift (one interval on whole hours, e.g. ``["08:00-18:00"]``) moved by each offset, nearest first."""
    if len(hours) != 1:
        raise InputError(f"shift hours {list(hours)!r}", field="shift.hours",
                         expected="one interval on whole hours, e.g. [\"08:00-18:00\"], to stagger (or a list of shifts)")
    current = parse_option(hours[0], "shift.hours")
    start_h, length = current.start_hour, current.length_hours
    # nearest first: among rosters of equal cost the MILP keeps the one closest to the current shift
    options = [ShiftOption((start_h + k) % HOURS_PER_DAY, length) for k in sorted(set(offsets_hours), key=lambda k: (abs(k), k))]
    return list(dict.fromkeys(options))  # a 24-hour shift moved is the same shift


def groups_of(cover: Cover, days: str = "service") -> list[dict[str, Any]]:
    """The roster as a role's ``groups`` (only the shifts with heads), named by start hour: ``h08``, ``h11``..."""
    out = []
    for option, heads in zip(cover.options, cover.heads, strict=True):
        if heads > 0:
            name = f"h{option.start_hour:02d}" + ("" if _one_length(cover) else f"x{option.length_hours}")
            out.append({"name": name, "count": heads, "shift": {"hours": option.text(), "days": days}})
    return out


def _one_length(cover: Cover) -> bool:
    return len({o.length_hours for o in cover.options}) == 1


def shift_groups(scenario: Any, share: float, within_minutes: float, *, role: str = "operators",
                 options: Sequence[ShiftOption] | None = None,
                 offsets_hours: Sequence[int] = (-3, -2, -1, 0, 1, 2, 3)) -> list[dict[str, Any]]:
    """Shift groups for ``role`` that answer ``share`` of each hour's calls within ``within_minutes``, cheapest first.

    The per-hour requirement is :func:`svcsim.planning.hourly.operator_hourly_servers`
    on ``scenario`` (a Scenario or a name :func:`svcsim.scenario.load_scenario`
    reads); the allowed shifts are ``options``, or the role's current shift
    moved by each of ``offsets_hours``; every head costs the same (the role's
    price). Returns the groups as ``[staffing.operators] groups`` takes them,
    with the role's ``days``. Only operators have a per-hour requirement so far.
    """
    from svcsim.planning.hourly import operator_hourly_servers
    from svcsim.scenario import load_scenario

    if role != "operators":
        raise InputError(f"role {role!r}", field="role",
                         expected="'operators' (the only role with a per-hour requirement so far)")
    scenario = load_scenario(scenario)
    current = getattr(scenario.staffing, role)
    shift = current.groups[0].shift if current.groups else current.shift
    if options is None:
        options = shifted_options(shift.hours, offsets_hours)
    need = operator_hourly_servers(scenario, share, within_minutes / 60.0).servers
    try:
        cover = cover_hours(need, options)
    except ValueError as error:
        raise InputError(str(error), field=f"staffing.{role}.shift",
                         expected="shifts that cover every hour in which calls arrive") from None
    return groups_of(cover, shift.days)
