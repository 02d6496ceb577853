"""Simulation-based bias correction of the times whose measure hides a wait no event shows.

A few pairs of events cannot separate a service from a wait the log does
not narrate (docs/reference/fit-log.md, "biased up"): a ticket held for a
free engineer while the dispatcher is idle (``times.dispatch``), the
administrator's packing between two of her narrated events
(``times.warranty_check``), the center's closed hours inside a carry-in
delay or a mail transit, the repeats still to come at the end of a log
(``times.repeat_delay``), a question waiting for technical support. The
measure errs the same way on any log of the model, so its error can be
measured on a log the fitted scenario simulates itself: fit that log again
on the same template, and scale each such time by ``median(first fit) /
median(refit)``. This is one step of the iterated bootstrap bias correction
(MacKinnon and Smith 1998, "Approximate bias correction in econometrics",
J. Econometrics 85; in the indirect-inference family of Gourieroux, Monfort
and Renault 1993). It costs one simulation of at most :data:`DAYS_MAX`
days and one refit; ``fit(..., correct_bias=False)`` skips it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

__all__ = ["BIASED_TIMES", "DAYS_MAX", "corrected"]

#: The times a wait no event shows inflates (measured by experiments/fit_recovery.py before the correction).
BIASED_TIMES: tuple[str, ...] = ("times.dispatch", "times.tech_support", "times.warranty_check",
                                 "times.carry_in_delay", "times.mail_transit", "times.repeat_delay")
#: Days the correcting simulation runs, at most (a longer log gains precision, not another answer).
DAYS_MAX = 56
#: The correcting simulation's replication index: a stream of its own, apart from every run of a study.
REPLICATION = 900_001
#: A correction factor outside [1 / LIMIT, LIMIT] is not trusted (the refit found another shape): kept, warned.
LIMIT = 3.0


def corrected(scenario: Any, report: Any, days: int, seed: int, refit: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``scenario`` with each fitted time of :data:`BIASED_TIMES` scaled by its measured bias, and the report's rows saying so.

    ``refit(log)`` fits a log the way the first fit did (same template, no
    bootstrap, no correction) and returns its :class:`~svcsim.fitting.Fitted`.
    """
    from svcsim.scenario import with_changes
    from svcsim.simulation import simulate

    fitted = {row.path: row for row in report.parameters if row.source == "log" and row.path in BIASED_TIMES}
    if not fitted:
        return scenario, report
    days = max(7, min(int(days), DAYS_MAX))
    run = simulate(scenario, seed=seed, replication=REPLICATION, days=days)
    log = run.log
    overloaded = [f"{row.role} {100 * row.utilisation:.0f} %" for row in run.utilisation.itertuples()
                  if row.utilisation == row.utilisation and row.utilisation > 1.0]
    if overloaded:
        report = dataclasses.replace(report, warnings=(*report.warnings, (
            f"the fitted scenario keeps {', '.join(overloaded)} busy over {days} simulated days: its queue grows "
            "without bound, so the log's times of that role are not its service times (check which resource the "
            "mapping gives its events, and docs/reference/fit-log.md)")))
    refitted = refit(log)
    again = {row.path: row for row in refitted.report.parameters if row.source == "log"}
    changes: dict[str, Any] = {}
    rows = {}
    warnings = list(report.warnings)
    for path, row in fitted.items():
        other = again.get(path)
        if other is None:
            continue
        first, second = _median(scenario, path), _median(refitted.scenario, path)
        factor = first / second if second > 0 else math.nan
        if not math.isfinite(factor) or not 1 / LIMIT <= factor <= LIMIT:
            warnings.append(f"{path}: the bias correction's factor {factor:.3g} is outside [1/{LIMIT:g}, {LIMIT:g}]; "
                            "the measured value is kept")
            continue
        changes[path] = _scaled(_dist(scenario, path), factor)
        rows[path] = dataclasses.replace(
            row, estimate=changes[path],
            interval=None if row.interval is None else (row.interval[0] * factor, row.interval[1] * factor),
            note=(f"{row.note}; " if row.note else "") + f"bias-corrected by simulation: x {factor:.3f} (a log the "
                 f"fitted scenario simulated, {days} days, refit to a median of {second:.4g} for its {first:.4g})")
    if not changes:
        return scenario, dataclasses.replace(report, warnings=tuple(warnings))
    parameters = tuple(rows.get(row.path, row) for row in report.parameters)
    return (with_changes(scenario, changes).model_copy(update={"name": scenario.name, "description": scenario.description}),
            dataclasses.replace(report, parameters=parameters, warnings=tuple(warnings)))


def _dist(scenario: Any, path: str) -> Any:
    node = scenario
    for key in path.split("."):
        node = getattr(node, key)
    return node


def _median(scenario: Any, path: str) -> float:
    return float(_dist(scenario, path).frozen().median())


def _scaled(dist: Any, factor: float) -> dict[str, Any]:
    """The distribution's table with its values multiplied by ``factor`` (``scale`` and ``loc`` stretched)."""
    params = dict(dist.params)
    params["scale"] = float(params.get("scale", 1.0)) * factor
    if "loc" in params:
        params["loc"] = float(params["loc"]) * factor
    return {"dist": dist.dist, **params}
