"""The analytic warm start: where the search begins, from queueing and inventory formulas.

Two cases have an exact formula, and the search starts there:

* **Operators and an answer-within-t rule.** A requirement on a duration
  rule from ``call_received`` to ``call_answered`` on wall-clock time with
  target ``t`` is a service level. With Poisson calls at the peak hour's
  rate ``lambda`` (``calls_per_day`` of the busiest day times the largest
  share of ``hourly_profile``) and a mean handle time ``1 / mu``, the
  operators' count starts at :func:`svcsim.analytic.min_servers`: Erlang C,
  or Erlang A when callers hang up after an exponential patience. On
  :func:`svcsim.scenarios.mmc` this is the exact answer.
* **A part with a fill-rate requirement in the Palm case**
  (:func:`svcsim.scenarios.single_part`): Palm's theorem, so the stock
  starts at :func:`svcsim.analytic.min_stock` of the demand rate and the
  mean resupply time.

Every other lever starts at the scenario's value. That is not a formula:
the field engineers' load depends on drives, repairs and parts the
analytic module does not model yet, and a part's demand rate in the full
model follows from the fault mix (a pilot run could measure it; later).
Every start is clipped to the lever's bounds, and each lever's source is
written down for the report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from svcsim.planning.levers import Lever
from svcsim.planning.requirements import Requirement

__all__ = ["WarmStart", "answer_targets", "warm_start"]


@dataclass(frozen=True)
class WarmStart:
    """The starting point of the search (one value per lever) and where each value came from."""

    point: tuple[int, ...]
    sources: tuple[str, ...]


def warm_start(scenario: Any, levers: Sequence[Lever], requirements: Sequence[Requirement], rules: Any) -> WarmStart:
    """The analytic starting point (see the module docstring); ``rules`` is the RuleSet requirements are judged on."""
    from svcsim.scenario.model import SinglePart

    point, sources = [], []
    for lever in levers:
        value, source = lever.start, "the scenario's value"
        if isinstance(scenario, SinglePart):
            found = _palm_start(scenario, requirements)
        elif lever.path == "staffing.operators.count":
            found = _operator_start(scenario, requirements, rules)
        else:
            found = None
        if found is not None:
            value, source = found
        clipped = min(max(int(value), lever.low), lever.high)
        if clipped != value:
            source += f" ({value}, clipped to the bounds)"
        point.append(clipped)
        sources.append(source)
    return WarmStart(point=tuple(point), sources=tuple(sources))


def _palm_start(part: Any, requirements: Sequence[Requirement]) -> tuple[int, str] | None:
    from svcsim.analytic import min_stock

    shares = [r.threshold for r in requirements if r.kind == "fill" and r.subject == part.sku]
    if not shares:
        return None
    resupply_days = float(part.resupply.mean())
    stock = int(min_stock(part.demand_rate, resupply_days, min(max(shares), 1.0 - 1e-12)))
    return stock, f"Palm: min_stock({part.demand_rate:g}/day, {resupply_days:g} days, {max(shares):g})"


def answer_targets(requirements: Sequence[Requirement], rules: Any) -> list[tuple[float, float]]:
    """(target in hours, share) of each requirement on a call_received -> call_answered wall-clock rule."""
    out = []
    by_id = {rule.id: rule for rule in rules.rules}
    for requirement in requirements:
        rule = by_id.get(requirement.subject)
        if requirement.kind != "attainment" or rule is None or rule.kind != "duration":
            continue
        if list(rule.start) == ["call_received"] and list(rule.stop) == ["call_answered"] and rule.basis == "wall" \
                and not rule.special and not rule.pause:
            out.append((rule.target.total_seconds() / 3600.0, requirement.threshold / 100.0))
    return out


def _operator_start(scenario: Any, requirements: Sequence[Requirement], rules: Any) -> tuple[int, str] | None:
    from svcsim.analytic import min_servers

    targets = answer_targets(requirements, rules)
    if not targets:
        return None
    demand = scenario.demand
    peak_share = max(demand.hourly_profile) / sum(demand.hourly_profile)
    calls_per_hour = max(demand.calls_per_day.values()) * peak_share
    service_rate = 60.0 / float(scenario.times.handle.mean())
    patience = scenario.patience
    exponential_patience = patience is not None and not isinstance(patience, str) and patience.dist == "expon"
    best, text = 0, ""
    for hours, share in targets:
        target = min(share, 1.0 - 1e-12)
        if exponential_patience:
            abandon_rate = 60.0 / float(patience.mean())
            found = min_servers(calls_per_hour, service_rate, target, t=hours, model="erlang_a",
                                abandon_rate=abandon_rate)
            model = "Erlang A"
        else:
            found = min_servers(calls_per_hour, service_rate, target, t=hours)
            model = "Erlang C"
        if int(found.servers) > best:
            best = int(found.servers)
            text = (f"{model}: {calls_per_hour:g} calls/h at the peak, {service_rate:g}/h handled, "
                    f"{100 * share:g}% within {hours * 60:g} min")
    return (best, text) if best and math.isfinite(best) else None
