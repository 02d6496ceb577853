"""The final choice: the cheapest surviving candidate whose feasibility is confirmed, split over the candidates.

The search (:mod:`svcsim.planning.search`) screens many candidates, each
at the stated confidence ``C``; keeping the cheapest one that passed is
then biased: among many infeasible candidates near the threshold, one
passes by chance more often than ``1 - C``, and it is the one kept
(experiments/plan_confidence.py saw it). This step bounds that.

A plan's cost is known exactly (its yearly price); only its feasibility is
uncertain. Choosing the best of systems under stochastic constraints then
reduces to deciding feasibility, cheapest first: the decomposition of
Andradóttir and Kim (2010), "Fully sequential procedures for comparing
constrained systems via simulation" (Naval Research Logistics 57(5),
403-421), and of Healey, Andradóttir and Kim (2014), "Selection procedures
for simulations with multiple constraints under independent and correlated
sampling" (ACM TOMACS 24(3)): a feasibility check of each system, with the
error ``1 - C`` split over the systems and, within one, over its
constraints, then the best of those declared feasible. We follow that
split, with our own check in place of their indifference-zone boundaries:

1. The *survivors* are the ``m`` candidates the screen found feasible,
   in order of cost (then of lever values).
2. Each in turn is checked again by the sequential check
   (:func:`~svcsim.planning.feasibility.check_point`) on a block of
   replications no screen look has used (indices from
   :data:`CONFIRM_OFFSET`, still common random numbers across
   candidates), at confidence ``1 - (1 - C) / m``, itself split over the
   ``k`` requirements (Bonferroni).
3. The first one confirmed is the plan. None confirmed: no plan is
   claimed (status ``undecided``).

The fresh block makes each confirmation independent of the screen that
chose the survivors, so the chance that any infeasible survivor is
confirmed is at most ``m x (1 - C) / m = 1 - C``; the plan returned is
then feasible with probability at least ``C`` (up to the t bound's
approximation and the check's repeated looks, which are not corrected
for, as in the screen). It costs at least one batch of replications more
than the screen alone; the confirmed plan's verdicts are those of its
confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from svcsim.planning.feasibility import Check, check_point

__all__ = ["CONFIRM_OFFSET", "Selection", "select_cheapest"]

#: The first replication index of the confirmation block (fixed forever: cached replications stay valid).
CONFIRM_OFFSET = 1_000_000


@dataclass(frozen=True)
class Selection:
    """The final choice: the confirmed check (None: none confirmed), and every confirmation made."""

    chosen: Check | None
    survivors: int
    """``m``: the candidates the screen found feasible."""
    confidence_each: float
    """The confidence of each confirmation, ``1 - (1 - C) / m``."""
    confirmations: tuple[Check, ...]

    def to_dict(self, cost: Callable[[tuple[int, ...]], float]) -> dict[str, Any]:
        """What ``plan.json`` records of the selection."""
        return {"survivors": self.survivors, "confidence_each": self.confidence_each,
                "first_replication": CONFIRM_OFFSET,
                "confirmations": [{"point": list(c.point), "cost": cost(c.point), "status": c.status,
                                   "replications": c.replications} for c in self.confirmations]}


def select_cheapest(evaluator: Any, screened: Mapping[tuple[int, ...], Check], cost: Callable[[tuple[int, ...]], float],
                    *, confidence: float, batch: int, max_replications: int) -> Selection:
    """The cheapest of the screen's feasible candidates whose feasibility a fresh check confirms (module docstring).

    ``evaluator`` is the search's (anything with ``requirements``,
    ``known(point, offset)`` and ``values(point, n, offset)``); ``screened``
    the search's checks by point.
    """
    survivors: Sequence[tuple[int, ...]] = sorted((p for p, c in screened.items() if c.status == "feasible"),
                                                  key=lambda p: (cost(p), p))
    m = len(survivors)
    each = 1.0 - (1.0 - confidence) / max(m, 1)
    confirmations = []
    for point in survivors:
        found = check_point(evaluator, point, confidence=each, batch=batch, max_replications=max_replications,
                            offset=CONFIRM_OFFSET)
        confirmations.append(found)
        if found.status == "feasible":
            return Selection(found, m, each, tuple(confirmations))
    return Selection(None, m, each, tuple(confirmations))
