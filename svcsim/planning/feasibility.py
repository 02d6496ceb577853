"""The sequential feasibility check: replications in batches until every requirement is decided.

For one candidate, each requirement's values over ``n`` replications have a
mean ``m``, a standard deviation ``s`` and a one-sided Student t bound
``m - t s / sqrt(n)`` (and ``m + t s / sqrt(n)`` above). A requirement is

* ``met`` when the lower bound is at or above its threshold,
* ``failed`` when the upper bound is below it,
* ``undecided`` otherwise.

The candidate is *feasible* when every requirement is met, *infeasible* as
soon as one has failed, and otherwise gets another batch of replications,
up to ``max_replications``; then it stays *undecided* and is reported so,
never rounded to a verdict. With ``k`` requirements each bound is taken at
``1 - (1 - confidence) / k`` (Bonferroni), so "every requirement met" holds
jointly at the stated confidence. A replication in which a requirement had
nothing due (NaN) is left out of that requirement's ``n``; a requirement
whose values do not vary (``s = 0``, say 100 % in every replication) is
decided by its mean.

This is a screen, not a guarantee: checking many candidates, some
infeasible one can pass by chance. The final selection
(:mod:`svcsim.planning.select`) bounds that: it confirms the screen's
feasible candidates, cheapest first, on fresh replications at the
confidence split over them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from svcsim.planning.evaluate import Evaluator
from svcsim.planning.requirements import Requirement

__all__ = ["Check", "RequirementVerdict", "check_point", "verdicts"]

Status = Literal["met", "failed", "undecided"]


@dataclass(frozen=True)
class RequirementVerdict:
    """One requirement of one candidate: its mean, its one-sided bounds, and the verdict."""

    requirement: Requirement
    n: int
    mean: float
    low: float
    """One-sided lower bound at the check's (per-requirement) confidence."""
    high: float
    status: Status

    @property
    def slack(self) -> float:
        """The mean's distance above the threshold in points (NaN with no data)."""
        return self.requirement.slack(self.mean) if math.isfinite(self.mean) else float("nan")


@dataclass(frozen=True)
class Check:
    """The sequential check of one candidate: its verdict per requirement and overall, and replications used."""

    point: tuple[int, ...]
    verdicts: tuple[RequirementVerdict, ...]
    replications: int
    status: Literal["feasible", "infeasible", "undecided"]

    @property
    def min_slack(self) -> float:
        """The smallest slack over the requirements, in points (how far the tightest one is above its threshold)."""
        slacks = [v.slack for v in self.verdicts]
        return float(min(slacks)) if slacks and all(math.isfinite(s) for s in slacks) else float("-inf")

    def failing(self) -> list[RequirementVerdict]:
        """The requirements not met (failed or undecided)."""
        return [v for v in self.verdicts if v.status != "met"]


def verdicts(values: np.ndarray, requirements: list[Requirement], confidence: float) -> list[RequirementVerdict]:
    """The verdict of each requirement (a column of ``values``) at ``confidence`` jointly."""
    from scipy import stats

    level = 1.0 - (1.0 - confidence) / max(len(requirements), 1)
    out = []
    for column, requirement in zip(values.T, requirements, strict=True):
        kept = column[np.isfinite(column)]
        n = int(kept.size)
        if n == 0:
            out.append(RequirementVerdict(requirement, 0, float("nan"), float("nan"), float("nan"), "undecided"))
            continue
        mean = float(kept.mean())
        std = float(kept.std(ddof=1)) if n > 1 else float("inf")
        if n > 1 and std == 0.0:
            half = 0.0
        else:
            half = float(stats.t.ppf(level, n - 1)) * std / math.sqrt(n) if n > 1 else float("inf")
        top = 100.0 if requirement.kind == "attainment" else 1.0
        low, high = max(mean - half, 0.0), min(mean + half, top)  # inside what the value can be (coverage unchanged)
        threshold = requirement.threshold
        status: Status = "met" if low >= threshold else "failed" if high < threshold else "undecided"
        out.append(RequirementVerdict(requirement, n, mean, low, high, status))
    return out


def check_point(evaluator: Evaluator, point: tuple[int, ...], *, confidence: float, batch: int,
                max_replications: int, first: int | None = None, offset: int = 0) -> Check:
    """Add replications to ``point`` in batches of ``batch`` until it is decided or has ``max_replications``.

    Replications already simulated for ``point`` are reused; the first look
    is at ``first`` replications (default ``batch``) or what is known, if more.
    ``offset`` is the first replication's index (the final selection's own block).
    """
    n = max(first or batch, evaluator.known(point, offset), 2)
    n = min(n, max_replications)
    requirements = evaluator.requirements
    while True:
        found = verdicts(evaluator.values(point, n, offset), requirements, confidence)
        statuses = {v.status for v in found}
        if "failed" in statuses:
            status = "infeasible"
        elif statuses == {"met"}:
            status = "feasible"
        else:
            status = "undecided"
        if status != "undecided" or n >= max_replications:
            return Check(point=tuple(point), verdicts=tuple(found), replications=n, status=status)
        n = min(n + batch, max_replications)
