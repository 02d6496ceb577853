"""Requirements: a minimum attainment per rule id, a minimum fill rate per part.

A requirement is judged on one number per replication: the rule's
attainment in % of the verdicts due by the horizon
(:func:`svcsim.rules.horizon.horizon_attainment`, as ``svcsim run`` counts
it), or the part's fill rate, the share of demands served from stock at
once (``run.stock``). Its *slack* is the mean's distance above the
threshold in percentage points (a fill rate's share times 100), so slacks
of both kinds compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from svcsim.errors import InputError

__all__ = ["FILL_PREFIX", "Requirement", "resolve_requirements"]

#: A requirements key naming a part's fill rate rather than a rule: ``"fill:MB-100"``.
FILL_PREFIX = "fill:"


@dataclass(frozen=True)
class Requirement:
    """A rule's minimum attainment (``threshold`` in %) or a part's minimum fill rate (a share)."""

    kind: Literal["attainment", "fill"]
    subject: str
    """The rule id, or the part's SKU."""
    threshold: float

    @property
    def key(self) -> str:
        """The requirement's name in tables: the rule id, or ``fill:SKU``."""
        return self.subject if self.kind == "attainment" else f"{FILL_PREFIX}{self.subject}"

    @property
    def label(self) -> str:
        """``arrive-20min >= 90%`` or ``fill MB-100 >= 0.95``."""
        if self.kind == "attainment":
            return f"{self.subject} >= {self.threshold:g}%"
        return f"fill {self.subject} >= {self.threshold:g}"

    def points(self, value: float) -> float:
        """``value`` in percentage points (a fill share times 100)."""
        return float(value) if self.kind == "attainment" else 100.0 * float(value)

    def slack(self, value: float) -> float:
        """How far ``value`` is above the threshold, in percentage points (negative: below)."""
        return self.points(value) - self.points(self.threshold)


def resolve_requirements(scenario: Any, rule_ids: list[str], requirements: Mapping[str, float] | None = None,
                         fill: Mapping[str, float] | None = None) -> list[Requirement]:
    """The requirements of a plan, checked against the rules and the parts.

    ``requirements`` maps a rule id to a minimum attainment in % (a key
    ``"fill:SKU"`` is a fill rate); ``fill`` maps a SKU to a minimum fill
    rate. Both ``None``: the scenario's ``[plan] require`` and ``require_fill``.
    """
    settings = getattr(scenario, "plan", None)
    if requirements is None and fill is None and settings is not None:
        requirements, fill = settings.require, settings.require_fill
    rules, fills = {}, dict(fill or {})
    for key, value in (requirements or {}).items():
        if key.startswith(FILL_PREFIX):
            fills[key.removeprefix(FILL_PREFIX)] = value
        else:
            rules[key] = value
    out = []
    for rule_id, value in rules.items():
        if rule_id not in rule_ids:
            raise InputError(f"unknown rule id {rule_id!r}", field="require",
                             expected="a rule id, one of " + ", ".join(rule_ids))
        out.append(Requirement("attainment", rule_id, _number(rule_id, value, 100.0, "a minimum attainment in %, "
                                                                                    "above 0 and at most 100")))
    skus = _skus(scenario)
    for sku, value in fills.items():
        if sku not in skus:
            raise InputError(f"unknown part {sku!r}", field="require_fill", expected="a SKU, one of " + ", ".join(skus))
        out.append(Requirement("fill", sku, _number(sku, value, 1.0, "a minimum fill rate, a share above 0 and at most 1")))
    if not out:
        raise InputError("no requirement to plan for", field="require",
                         expected="at least one, e.g. --require arrive-20min=90 or [plan] require = {...}")
    return out


def _number(name: str, value: Any, top: float, expected: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (0 < value <= top):
        raise InputError(f"{name} = {value!r}", field=name, expected=expected)
    return float(value)


def _skus(scenario: Any) -> list[str]:
    from svcsim.scenario.model import SinglePart

    if isinstance(scenario, SinglePart):
        return [scenario.sku]
    return [part.sku for part in scenario.spares.parts]
