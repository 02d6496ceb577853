"""The answer of :func:`svcsim.plan`: the chosen levers, their cost and each requirement against its threshold.

:class:`PlanResult` carries the starting and the planned scenario, the
lever values of both, each requirement's verdict at the plan (mean and
one-sided bounds), which requirements *bind*, the marginal-value table,
every candidate the search checked, and where the numbers came from (seed,
replications, confidence). :meth:`PlanResult.write` writes ``plan.toml``
(the planned scenario, which ``svcsim run`` takes as it is), ``plan.json``
and ``marginal.csv``, ``candidates.csv``.

A requirement binds when some one-unit-fewer neighbour of the plan does not
meet it: the plan cannot save that unit because of it. The marginal table
has, for each lever, one row for one unit more and one for one unit fewer
(within the bounds): the yearly cost change and each requirement's change
in mean (percentage points), on the same replications as the plan.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from svcsim.planning.feasibility import Check, RequirementVerdict
from svcsim.planning.levers import Lever
from svcsim.planning.requirements import Requirement

__all__ = ["PlanResult"]


@dataclass(frozen=True, eq=False)
class PlanResult:
    """The planner's answer (see the module docstring); ``found`` is False when no plan met the requirements."""

    mode: str
    """``"cheapest"`` or ``"budget"``."""
    found: bool
    status: str
    """``feasible``, ``undecided``, ``infeasible`` (budget mode: the best plan misses a requirement) or ``no_plan``."""
    message: str
    levers: tuple[Lever, ...]
    requirements: tuple[Requirement, ...]
    start_point: tuple[int, ...]
    warm_point: tuple[int, ...]
    warm_sources: tuple[str, ...]
    point: tuple[int, ...] | None
    scenario: Any
    """The planned scenario (None when no plan)."""
    start_scenario: Any
    cost_per_year: float | None
    start_cost_per_year: float
    check: Check | None
    start_check: Check | None
    at_bounds: Check | None
    binding: tuple[str, ...]
    marginal: pd.DataFrame
    candidates: pd.DataFrame
    seed: int
    confidence: float
    budget: float | None
    replications: int
    """Replications simulated by the search, over all candidates."""
    simulated_days: int
    days: int
    warmup_days: int
    extra: dict = field(default_factory=dict)

    # -- tables ------------------------------------------------------------------------------------------
    def requirement_table(self) -> pd.DataFrame:
        """Per requirement: threshold, the start's and the plan's mean and bounds, status, binding."""
        rows = []
        for index, requirement in enumerate(self.requirements):
            row: dict[str, Any] = {"requirement": requirement.key, "kind": requirement.kind,
                                   "threshold": requirement.threshold}
            for name, check in (("start", self.start_check), ("plan", self.check), ("bounds", self.at_bounds)):
                if check is None:
                    continue
                verdict = check.verdicts[index]
                row.update({f"{name}_mean": verdict.mean, f"{name}_low": verdict.low, f"{name}_high": verdict.high,
                            f"{name}_n": verdict.n, f"{name}_status": verdict.status})
            row["binding"] = requirement.key in self.binding
            rows.append(row)
        return pd.DataFrame(rows)

    def lever_table(self) -> pd.DataFrame:
        """Per lever: bounds, the scenario's value, the warm start, the plan's value, the price per unit."""
        return pd.DataFrame([{
            "lever": lever.path, "name": lever.name, "kind": lever.kind, "low": lever.low, "high": lever.high,
            "start": self.start_point[i], "warm_start": self.warm_point[i], "warm_start_source": self.warm_sources[i],
            "plan": None if self.point is None else self.point[i], "cost_per_unit_year": lever.cost_per_unit_year,
        } for i, lever in enumerate(self.levers)])

    def side_by_side(self) -> str:
        """The plan against the starting scenario, as text for the terminal."""
        lever_rows = [[lever.name, str(lever.start), "-" if self.point is None else str(self.point[i]),
                       _delta(lever.start, None if self.point is None else self.point[i]),
                       f"{lever.low}..{lever.high}", f"{lever.cost_per_unit_year:,.0f}"]
                      for i, lever in enumerate(self.levers)]
        lever_rows.append(["cost / year", f"{self.start_cost_per_year:,.0f}",
                           "-" if self.cost_per_year is None else f"{self.cost_per_year:,.0f}",
                           "" if self.cost_per_year is None else f"{self.cost_per_year - self.start_cost_per_year:+,.0f}",
                           "", ""])
        parts = [_text(["lever", "scenario", "plan", "change", "bounds", "cost/unit/yr"], lever_rows)]
        rows = []
        for index, requirement in enumerate(self.requirements):
            start = self.start_check.verdicts[index] if self.start_check is not None else None
            planned = self.check.verdicts[index] if self.check is not None else None
            rows.append([requirement.label, _verdict(start), _verdict(planned),
                         "yes" if requirement.key in self.binding else ""])
        parts.append(_text(["requirement", "scenario", "plan", "binds"], rows))
        return "\n\n".join(parts)

    # -- files ---------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """What ``plan.json`` holds."""
        return _plain({
            "mode": self.mode, "found": self.found, "status": self.status, "message": self.message,
            "cost_per_year": self.cost_per_year, "start_cost_per_year": self.start_cost_per_year,
            "budget": self.budget, "confidence": self.confidence, "seed": self.seed,
            "days": self.days, "warmup_days": self.warmup_days,
            "replications_simulated": self.replications, "simulated_days": self.simulated_days,
            "replications_at_plan": None if self.check is None else self.check.replications,
            "levers": self.lever_table().to_dict(orient="records"),
            "requirements": self.requirement_table().to_dict(orient="records"),
            "binding": list(self.binding),
            "marginal": self.marginal.to_dict(orient="records"),
            "candidates_checked": len(self.candidates),
            **self.extra,
        })

    def write(self, out: str | Path) -> list[Path]:
        """Write ``plan.toml`` (when there is a plan), ``plan.json``, ``marginal.csv``, ``candidates.csv`` to ``out``."""
        from svcsim.planning.toml_out import scenario_toml
        from svcsim.scenario.model import SinglePart

        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        if self.scenario is not None and not isinstance(self.scenario, SinglePart):
            header = (f"The plan svcsim plan chose for {self.start_scenario.name!r}: "
                      f"cost {self.cost_per_year:,.0f} a year ({self.status}).\n"
                      "Run it with: svcsim run plan.toml")
            path = folder / "plan.toml"
            path.write_text(scenario_toml(self.scenario, header), encoding="utf-8")
            written.append(path)
        path = folder / "plan.json"
        path.write_text(json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n", encoding="utf-8")
        written.append(path)
        for name, table in (("marginal.csv", self.marginal), ("candidates.csv", self.candidates)):
            table.to_csv(folder / name, index=False)
            written.append(folder / name)
        return written


def _text(header: list[str], rows: list[list[str]]) -> str:
    return pd.DataFrame(rows, columns=header).to_string(index=False)


def _delta(start: int, planned: int | None) -> str:
    if planned is None or planned == start:
        return ""
    return f"{planned - start:+d}"


def _verdict(verdict: RequirementVerdict | None) -> str:
    if verdict is None or not math.isfinite(verdict.mean):
        return "-"
    if verdict.requirement.kind == "attainment":
        return f"{verdict.mean:.1f}% [{verdict.low:.1f}, {verdict.high:.1f}] {verdict.status}"
    return f"{verdict.mean:.3f} [{verdict.low:.3f}, {verdict.high:.3f}] {verdict.status}"


def _plain(value: Any) -> Any:
    """JSON-ready: NaN and infinities become None, numpy numbers plain ones."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
