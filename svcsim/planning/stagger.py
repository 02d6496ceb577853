"""The planner's opt-in staggered start: the operators rewritten as the MILP's shift groups.

With ``plan(..., shifts="stagger")`` (``svcsim plan --stagger-shifts``,
``[plan] shifts = "stagger"``) the planner does not start from the
operators' one shift. It takes the requirements on "answered within t"
rules (:func:`svcsim.planning.warm_start.answer_targets`), computes the
servers each hour needs (:mod:`svcsim.planning.hourly`, the largest over
those requirements), chooses the cheapest shift groups covering them
(:mod:`svcsim.planning.shifts`) among the allowed shifts (``[plan]
shift_options``, or the operators' shift moved by up to 3 hours each way),
and plans on the scenario so rewritten: one lever per group, each starting
at the MILP's count (named levers or not: the groups' names are the MILP's,
``h08`` for a shift from 08:00, so they are added to any levers named).
Everything else about the plan is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from svcsim.errors import InputError
from svcsim.planning.levers import Lever
from svcsim.planning.requirements import Requirement
from svcsim.planning.warm_start import WarmStart

__all__ = ["SHIFT_MODES", "Staggered", "stagger"]

#: What ``plan(shifts=...)`` accepts: keep the scenario's shifts, or start from the MILP's groups.
SHIFT_MODES = ("keep", "stagger")
_ROLE = "operators"


@dataclass(frozen=True)
class Staggered:
    """The rewritten scenario, its groups, the hourly needs they cover, and the words for the report."""

    scenario: Any
    groups: list[dict[str, Any]]
    servers_per_hour: tuple[int, ...]
    source: str

    def lever_paths(self) -> list[str]:
        """The operator groups' count paths: levers of the plan whenever levers are named at all."""
        return [f"staffing.{_ROLE}.groups.{group['name']}.count" for group in self.groups]

    def with_groups(self, levers: Mapping[str, Any] | Iterable[str] | None) -> dict[str, Any] | None:
        """The planner's ``levers`` with every operator group added at default bounds (None stays None)."""
        if levers is None:
            return None
        given = dict(levers) if isinstance(levers, Mapping) else dict.fromkeys(levers)
        return {**given, **{path: given.get(path) for path in self.lever_paths()}}

    def warm(self, warm: WarmStart, levers: Sequence[Lever]) -> WarmStart:
        """``warm`` with each operator group's lever sourced to the MILP (its value is the group's count)."""
        prefix = f"staffing.{_ROLE}.groups."
        sources = tuple(self.source if lever.path.startswith(prefix) and source == "the scenario's value" else source
                        for lever, source in zip(levers, warm.sources, strict=True))
        return WarmStart(point=warm.point, sources=sources)

    def to_dict(self) -> dict[str, Any]:
        """The record ``plan.json`` keeps under ``shifts``."""
        return {"mode": "stagger", "role": _ROLE, "servers_per_hour": list(self.servers_per_hour),
                "groups": self.groups, "source": self.source}


def stagger(scenario: Any, requirements: Sequence[Requirement], rules: Any,
            options: Sequence[str] | None = None,
            named: Mapping[str, Any] | Iterable[str] | None = None, fixed: Iterable[str] = ()) -> Staggered:
    """``scenario`` with the operators as the MILP's shift groups (see the module docstring).

    ``named`` and ``fixed`` are the planner's ``levers`` and ``fixed``:
    naming the operators' count there is a mistake, since they are now
    planned per group.
    """
    from svcsim.planning.hourly import operator_hourly_servers
    from svcsim.planning.shifts import cover_hours, groups_of, parse_option, shifted_options
    from svcsim.planning.warm_start import answer_targets
    from svcsim.scenario import with_changes
    from svcsim.scenario.model import SinglePart

    if isinstance(scenario, SinglePart):
        raise InputError("shifts = 'stagger' on a one-part scenario", field="shifts",
                         expected="a service-center scenario with operators")
    settings = getattr(scenario, "plan", None)
    paths = [*(named if named is not None else ()), *fixed,
             *((settings.levers if settings is not None else {}).keys()),
             *(settings.fix if settings is not None else [])]
    for path in paths:
        if path in (f"staffing.{_ROLE}", f"staffing.{_ROLE}.count"):
            raise InputError(f"lever {path!r} with shifts = 'stagger'", field="levers",
                             expected=f"staffing.{_ROLE}.groups.<name>.count (the operators are planned per "
                             "shift group), or leave the operators out")
    targets = answer_targets(requirements, rules)
    if not targets:
        raise InputError("shifts = 'stagger' without a requirement on an answered-within rule", field="shifts",
                         expected="a requirement on a duration rule from call_received to call_answered "
                         "(wall clock), or shifts = 'keep'")
    role = getattr(scenario.staffing, _ROLE)
    shifts = {(tuple(g.shift.hours), g.shift.days) for g in role.shift_groups()}
    if options:
        allowed = [parse_option(text) for text in options]
        days = next(iter(shifts))[1] if len(shifts) == 1 else "service"
    else:
        if len(shifts) != 1:
            raise InputError(f"the {_ROLE} work {len(shifts)} different shifts", field=f"staffing.{_ROLE}",
                             expected="one shift to stagger, or a list of shifts ([plan] shift_options)")
        hours, days = next(iter(shifts))
        allowed = shifted_options(list(hours))
    needs = [operator_hourly_servers(scenario, min(share, 1.0 - 1e-12), hours_within).servers
             for hours_within, share in targets if share > 0]
    servers = tuple(max(column) for column in zip(*needs, strict=True)) if needs else ()
    if not any(servers):
        raise InputError("shifts = 'stagger' with requirements that need no operator in any hour", field="shifts",
                         expected="an answered-within requirement above 0 % on a scenario with calls, "
                         "or shifts = 'keep'")
    try:
        cover = cover_hours(servers, allowed)
    except ValueError as error:
        raise InputError(str(error), field="shift_options",
                         expected="shifts that cover every hour in which calls arrive") from None
    groups = groups_of(cover, days)
    rewritten = with_changes(scenario, {f"staffing.{_ROLE}": {"groups": groups}})
    wanted = ", ".join(f"{100 * share:g}% within {_minutes_text(60 * hours_within)}" for hours_within, share in targets)
    source = (f"MILP cover of the hourly Erlang {'A' if _erlang_a(scenario) else 'C'} needs "
              f"(peak {max(servers)}, {wanted}) over {len(allowed)} shifts")
    return Staggered(scenario=rewritten, groups=groups, servers_per_hour=servers, source=source)


def _erlang_a(scenario: Any) -> bool:
    patience = scenario.patience
    return patience is not None and not isinstance(patience, str) and patience.dist == "expon"


def _minutes_text(minutes: float) -> str:
    return f"{60 * minutes:.0f} s" if minutes < 1 else f"{minutes:g} min"
