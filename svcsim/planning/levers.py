"""Levers: the counts a plan may change, each with its bounds and its yearly price per unit.

A lever is a whole-number field of the scenario: the head count of a role
(``staffing.field_engineers.count``), of one shift group of a role staffed
by groups (``staffing.field_engineers.groups.late.count``), or the base
stock of a part (``spares.parts.MB-100.base_stock``; ``stock`` for the
one-part Palm case :func:`svcsim.scenarios.single_part`). Paths are the
dotted paths of :func:`svcsim.with_changes`, so a plan is a set of changes
to the starting scenario and nothing else.

Default bounds are a range around the scenario's value ``v``: staff from
``max(1, v // 2)`` to ``max(v + 2, ceil(1.5 v))``, stock from ``0`` to
``max(v + 5, 2 v)``. A role nobody staffs (count 0) and a store with
unlimited stock offer no lever unless one is asked for by path.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from svcsim.errors import InputError
from svcsim.planning.costs import head_cost, unit_holding_cost

__all__ = ["Lever", "apply_levers", "catalogue", "resolve_levers"]

#: The roles of ``[staffing]`` whose count is a lever, then the back office's roles.
STAFF_ROLES = ("operators", "tech_support", "dispatchers", "field_engineers", "bench_engineers",
               "supervisor", "sales_lead")
BACK_OFFICE_ROLES = ("administrators", "purchasing")


@dataclass(frozen=True)
class Lever:
    """One count a plan may change: its path, bounds, the scenario's value and its yearly price per unit."""

    path: str
    """The dotted path :func:`svcsim.with_changes` understands."""
    kind: Literal["staff", "stock"]
    name: str
    """A short label: the role, ``role.group`` or the part's SKU."""
    start: int
    """The starting scenario's value."""
    low: int
    high: int
    cost_per_unit_year: float
    """What one more unit costs a year (a head's cost, or a unit's holding cost)."""


def catalogue(scenario: Any) -> dict[str, Lever]:
    """Every count ``scenario`` has, as a lever with default bounds, by path."""
    from svcsim.scenario.model import SinglePart

    if isinstance(scenario, SinglePart):
        cost = unit_holding_cost(scenario, scenario.unit_cost)
        return {"stock": _lever("stock", "stock", scenario.sku, scenario.stock, cost)}
    levers: dict[str, Lever] = {}
    roles = [(f"staffing.{r}", r, getattr(scenario.staffing, r)) for r in STAFF_ROLES]
    roles += [(f"spares.{r}", r, getattr(scenario.spares, r)) for r in BACK_OFFICE_ROLES]
    for prefix, role_name, role in roles:
        if role.groups:
            for group in role.groups:
                name = f"{role_name}.{group.name}"
                path = f"{prefix}.groups.{group.name}.count"
                levers[path] = _lever(path, "staff", name, group.count, head_cost(scenario, role_name, group.name))
        else:
            path = f"{prefix}.count"
            levers[path] = _lever(path, "staff", role_name, role.count, head_cost(scenario, role_name, None))
    for part in scenario.spares.parts:
        path = f"spares.parts.{part.sku}.base_stock"
        levers[path] = _lever(path, "stock", part.sku, part.base_stock, unit_holding_cost(scenario, part.unit_cost))
    return levers


def _lever(path: str, kind: Literal["staff", "stock"], name: str, value: int, cost: float) -> Lever:
    if kind == "staff":
        low, high = max(1, value // 2), max(value + 2, math.ceil(1.5 * value))
    else:
        low, high = 0, max(value + 5, 2 * value)
    return Lever(path=path, kind=kind, name=name, start=int(value), low=min(low, value), high=high,
                 cost_per_unit_year=float(cost))


def _default_paths(scenario: Any, levers: Mapping[str, Lever]) -> list[str]:
    """The levers used when none are named: every staffed role or group, every part if stock is kept."""
    from svcsim.scenario.model import SinglePart

    if isinstance(scenario, SinglePart):
        return ["stock"]
    keep_stock = scenario.spares.store == "base_stock"
    return [p for p, lever in levers.items() if (lever.kind == "staff" and lever.start > 0)
            or (lever.kind == "stock" and keep_stock)]


def normalise_path(path: str, levers: Mapping[str, Lever]) -> str:
    """The catalogue path of ``path``: a role alone means its count, a part may be named by position."""
    if path in levers:
        return path
    keys = path.split(".")
    candidates = [f"{path}.count"]
    if len(keys) >= 3 and keys[:2] == ["spares", "parts"] and keys[2].isdigit():
        skus = [lever.name for lever in levers.values() if lever.kind == "stock"]
        index = int(keys[2])
        if index < len(skus):
            candidates.append(".".join(["spares", "parts", skus[index], *keys[3:]]))
    for candidate in candidates:
        if candidate in levers:
            return candidate
    raise InputError(f"lever {path!r} is not a count the planner can change", field="levers",
                     expected="a staffing count or a base stock, one of " + ", ".join(levers))


def resolve_levers(scenario: Any, levers: Mapping[str, Sequence[int] | None] | Iterable[str] | None = None,
                   fixed: Iterable[str] = ()) -> list[Lever]:
    """The levers of a plan: ``levers`` (path -> ``(low, high)`` or None for default bounds), less ``fixed``.

    ``None`` takes the scenario's ``[plan] levers`` and, for every other
    staffed role and kept part, the default bounds. Bounds must be whole
    numbers with ``0 <= low <= high``; the scenario's value may lie outside
    them (the plan then starts from the nearest bound).
    """
    known = catalogue(scenario)
    settings = getattr(scenario, "plan", None)
    if levers is None:
        given: dict[str, Sequence[int] | None] = dict.fromkeys(_default_paths(scenario, known))
        if settings is not None:
            given.update({normalise_path(p, known): b for p, b in settings.levers.items()})
    elif isinstance(levers, Mapping):
        given = dict(levers)
    else:
        given = dict.fromkeys(levers)
    fixed = {normalise_path(p, known) for p in [*fixed, *(settings.fix if settings is not None else [])]}
    out: list[Lever] = []
    for raw_path, bounds in given.items():
        path = normalise_path(raw_path, known)
        if path in fixed:
            continue
        lever = known[path]
        if bounds is not None:
            low, high = _bounds(path, bounds)
            lever = Lever(path=path, kind=lever.kind, name=lever.name, start=lever.start, low=low, high=high,
                          cost_per_unit_year=lever.cost_per_unit_year)
        if all(existing.path != path for existing in out):
            out.append(lever)
    if not out:
        raise InputError("no lever left to change", field="levers",
                         expected="at least one staffing count or base stock that is not fixed")
    return out


def _bounds(path: str, bounds: Sequence[int]) -> tuple[int, int]:
    if isinstance(bounds, str | bytes) or len(bounds) != 2:
        raise InputError(f"{path} = {bounds!r}", field=path, expected="bounds [low, high]")
    low, high = bounds
    for value in (low, high):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"{path} bounds {low}:{high}", field=path, expected="whole numbers >= 0")
    if low > high:
        raise InputError(f"{path} bounds {low}:{high} are the wrong way round", field=path,
                         expected="LOW:HIGH with LOW <= HIGH")
    return int(low), int(high)


def apply_levers(scenario: Any, levers: Sequence[Lever], values: Sequence[int]) -> Any:
    """A validated copy of ``scenario`` with each lever set to its value (the original is untouched)."""
    from svcsim.scenario import with_changes
    from svcsim.scenario.model import SinglePart

    changes = {lever.path: int(v) for lever, v in zip(levers, values, strict=True)}
    if isinstance(scenario, SinglePart):
        data = scenario.model_dump(mode="python")
        data.update(changes)
        return SinglePart.model_validate(data)
    return with_changes(scenario, changes)
