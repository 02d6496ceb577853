"""A scenario fitted from an event log onto a template.

INTERFACE SKELETON (issue 19): returns the template unchanged until the
fitter lands. The shapes below are the contract the backtest codes against.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Fitted", "FitReport", "ParameterFit", "fit"]


@dataclass(frozen=True)
class ParameterFit:
    """One parameter of the fitted scenario: where it came from and what it rests on.

    ``path`` is the scenario field in ``with_changes`` spelling
    (``times.handle``, ``demand.calls_per_day.mon``, ``demand.mix.field``...).
    ``source`` is ``"log"`` or ``"template"`` (then ``note`` says why).
    """

    path: str
    estimate: Any
    interval: tuple[float, float] | None = None
    cases: int = 0
    events: int = 0
    family: str | None = None
    statistic: float | None = None
    source: str = "log"
    note: str = ""


@dataclass(frozen=True)
class FitReport:
    """Every parameter fitted or taken from the template, and the warnings of the fit."""

    parameters: tuple[ParameterFit, ...] = ()
    warnings: tuple[str, ...] = ()
    log_start: str | None = None
    log_end: str | None = None

    def to_json(self) -> str:
        """The report as ``fit.json`` text."""
        return json.dumps(asdict(self), indent=2, default=str)


@dataclass(frozen=True)
class Fitted:
    """The fitted scenario (runs with ``svcsim run`` as it is) and its report."""

    scenario: Any
    report: FitReport = field(default_factory=FitReport)

    def toml(self) -> str:
        """The scenario as TOML text."""
        from svcsim.planning.toml_out import scenario_toml

        return scenario_toml(self.scenario, header=f"fitted from a log; template {self.scenario.name}")


def fit(log: Any, template: Any = "baseline", *, mapping: str | Path | None = None,
        until: Any = None) -> Fitted:
    """Fit a scenario from ``log`` (an EventLog or a path; ``mapping`` for an export), on ``template``.

    ``until`` (a UTC timestamp) fits on the events before it only (the backtest's training part).
    """
    from svcsim.scenario import load_scenario

    return Fitted(load_scenario(template))
